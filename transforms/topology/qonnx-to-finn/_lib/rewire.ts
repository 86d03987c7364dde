// Graph edits the QONNX → FINN transforms share.
import {
  QONNX_GENERAL_DOMAIN, makeNode, makeValueInfo, type Graph, type Model, type Node, type NodeInit,
} from '../../../../src/index.js';

/** A name for a node derived from `from` (unnamed when `from` is unnamed; GiveUniqueNodeNames fixes that). */
export function derivedNodeName(graph: Graph, from: Node, suffix: string): string | undefined {
  if (!from.name) return undefined;
  let name = `${from.name}_${suffix}`;
  for (let i = 1; graph.findNode(name); i++) name = `${from.name}_${suffix}${i}`;
  return name;
}

/**
 * Makes `node` write output `index` into a fresh tensor and inserts, right after it, a node built by `make`
 * that reads the fresh tensor (and whatever else it names) and writes the original output, so consumers, graph
 * outputs and declared types of that tensor stay as they are. Returns the inserted node.
 */
export function appendAfterOutput(graph: Graph, node: Node, index: number, make: (fresh: string, out: string) => NodeInit): Node {
  const out = node.outputs[index]!;
  const fresh = graph.uniqueTensorName(`${out}_pre`);
  const shape = graph.getShape(out);
  graph.setOutput(node, index, fresh);
  if (shape) graph.setValueInfo(makeValueInfo(fresh, graph.getElemType(out) ?? 1, shape));
  return graph.insertAfter(node, makeNode(make(fresh, out)));
}

/** Makes sure the model imports the QONNX general domain (MultiThreshold lives there). */
export function ensureQonnxOpset(model: Model): void {
  const imports = (model.proto.opset_import ??= []);
  if (!imports.some((o) => (o.domain ?? '') === QONNX_GENERAL_DOMAIN)) imports.push({ domain: QONNX_GENERAL_DOMAIN, version: 1 });
}

/** A node of the default ONNX domain. */
export function isStandardNode(node: Node): boolean {
  return node.domain === '' || node.domain === 'ai.onnx';
}

/** The only use of a tensor: one consuming node reading it once, and the tensor is no graph output. */
export function soleUse(graph: Graph, tensor: string): { node: Node; index: number } | undefined {
  if (graph.isGraphOutput(tensor)) return undefined;
  const uses = graph.consumers(tensor);
  return uses.length === 1 ? uses[0] : undefined;
}
