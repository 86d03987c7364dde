// Where the topology transforms may act: FINN's streamlining and lowering exist for the quantized (integer)
// datapath, so every topology transform only rewrites nodes inside it and leaves float models alone.
//
// The rule (the one place it is defined):
//   A quantization point is
//     - a QONNX quantizer or integer op (Quant, IntQuant, BipolarQuant, Trunc, MultiThreshold,
//       QuantAvgPool2d, XnorPopcountMatMul), or
//     - a node that reads an initializer or graph input whose finn_datatype annotation is an integer or
//       bipolar type (integer weights after FoldQuantWeights, an annotated UINT8 image input) while its ONNX
//       element type is floating point (an INT64 shape tensor is not quantized data).
//   A node is in the quantized datapath when it is a quantization point, or it reaches one along the data
//   flow (it feeds a quantizer: input scaling, BatchNorm before an activation quantizer), or one reaches it
//   (it computes on quantized values: accumulators, scales after a MatMul, the final TopK).
//   Inferred annotations on other tensors do not count: they follow from these points anyway, and standard
//   ops on float data must not become "quantized" because a rule guessed an integer type.
// A model without any quantization point (the light float models) has an empty datapath, so topology leaves
// it unchanged and the compile reports its op types as left alone.
import { QONNX_GENERAL_DOMAIN, normalizeDomain, tryParseDataType, elemTypeInfo, type Graph, type Node } from '../../../src/index.js';

const QUANTIZATION_OPS = new Set([
  'Quant', 'IntQuant', 'BipolarQuant', 'Trunc', 'MultiThreshold', 'QuantAvgPool2d', 'XnorPopcountMatMul',
]);

/** Whether the tensor is a float-typed initializer or graph input annotated with an integer/bipolar datatype. */
function quantizedSource(graph: Graph, tensor: string): boolean {
  const name = graph.getDatatypeName(tensor);
  if (!name) return false;
  const dt = tryParseDataType(name);
  if (!dt || !dt.isInteger()) return false;
  const et = graph.getElemType(tensor);
  return et === undefined || elemTypeInfo(et).isFloat;
}

function isQuantizationOp(node: Node): boolean {
  return QUANTIZATION_OPS.has(node.opType) && normalizeDomain(node.domain) === QONNX_GENERAL_DOMAIN;
}

/**
 * The last datapath computed per graph, with the graph's version then. Nearly every topology transform asks
 * for it, most of them without changing the graph: recomputing it each time was the largest share of
 * topology's time on long chains.
 */
const computed = new WeakMap<Graph, { version: number; scope: ReadonlySet<Node> }>();

/** The nodes of the quantized datapath (see the rule above); empty for float models. Do not modify it. */
export function quantizedDatapath(graph: Graph): ReadonlySet<Node> {
  const hit = computed.get(graph);
  if (hit && hit.version === graph.version) return hit.scope;
  const scope = computeDatapath(graph);
  computed.set(graph, { version: graph.version, scope });
  return scope;
}

function computeDatapath(graph: Graph): Set<Node> {
  const anchors = new Set<Node>();
  for (const n of graph.nodes()) if (isQuantizationOp(n)) anchors.add(n);
  // Only annotated tensors can be quantized sources: far fewer than the initializers of a large model.
  for (const t of graph.annotatedTensors()) {
    if ((graph.isInitializer(t) || graph.isGraphInput(t)) && quantizedSource(graph, t)) for (const c of graph.consumerNodes(t)) anchors.add(c);
  }
  if (anchors.size === 0) return anchors;
  // Downstream and upstream closures are separate walks: going down then up would cover every node that
  // merely shares an ancestor with the datapath (a float branch next to it).
  const down = new Set(anchors);
  const stack = [...anchors];
  while (stack.length) {
    const n = stack.pop()!;
    for (const out of n.outputs) {
      if (!out) continue;
      for (const c of graph.consumerNodes(out)) if (!down.has(c)) { down.add(c); stack.push(c); }
    }
  }
  const all = new Set(down);
  const up = new Set(anchors);
  stack.push(...anchors);
  while (stack.length) {
    const n = stack.pop()!;
    for (const inp of n.inputs) {
      const p = inp ? graph.producer(inp) : undefined;
      if (p && !up.has(p)) { up.add(p); all.add(p); stack.push(p); }
    }
  }
  return all;
}

/**
 * The nodes a topology transform may rewrite, in graph order: those in the quantized datapath, optionally of
 * one op type. Computed once per call, so nodes a rewrite adds are considered on the next (fixpoint) run.
 */
export function quantizedNodes(graph: Graph, opType?: string): Node[] {
  const nodes = opType === undefined ? graph.nodeList() : graph.nodesByOpType(opType);
  // Most transforms find no candidate at all: skip the walk (and its garbage) then.
  if (nodes.length === 0) return nodes;
  const scope = quantizedDatapath(graph);
  return scope.size === 0 ? [] : nodes.filter((n) => scope.has(n));
}
