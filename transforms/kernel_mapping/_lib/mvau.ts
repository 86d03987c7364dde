// Shared by InferQuantizedMatrixVectorActivation and InferBinaryMatrixVectorActivation: a matrix product
// with constant weights becomes an MVAU, absorbing a following MultiThreshold when it can. The absorption
// (fusibleActivation / replaceFused) is shared with InferVectorVectorActivation.
import { TENSOR_SPARSITY_KEY, getString, type DataType, type Graph, type Node, type NodeProto } from '../../../src/index.js';
import { activationOf } from './activation.js';
import { constOf, datatypeOf, freshName, hwNode, isQonnxOp, setFloatInit, staticShape, thresholdDatatype, thresholdRows } from '../../../src/rewrite.js';

/** A MultiThreshold that can move into the kernel computing its input, with one threshold row per channel. */
export interface FusibleActivation {
  node: Node;
  rows: Float64Array;
  steps: number;
  outputDataType: string;
  actVal: number;
}

/**
 * The MultiThreshold that is the only reader of `out` (the product's result, `rank` axes, channels last),
 * when its thresholds are integers, per channel or shared, and its output scale/bias fit a kernel.
 */
export function fusibleActivation(graph: Graph, out: string, channels: number, rank: number): FusibleActivation | undefined {
  const uses = graph.consumers(out);
  if (uses.length !== 1 || graph.isGraphOutput(out) || uses[0]!.index !== 0) return undefined;
  const mt = uses[0]!.node;
  if (!isQonnxOp(mt, 'MultiThreshold')) return undefined;
  const act = activationOf(graph, mt);
  if (typeof act === 'string') return undefined;
  if (rank > 2 && getString(mt, 'data_layout', 'NCHW') !== 'NHWC') return undefined;
  const rows = thresholdRows(act.thresholds, channels);
  if (!rows || !rows.every((v) => Number.isInteger(v))) return undefined;
  return { node: mt, rows, steps: act.thresholds.dims[1]!, outputDataType: act.outputDataType, actVal: act.actVal };
}

/**
 * Replaces `product` and its fusible MultiThreshold by the kernel `make` builds from the name of a fresh
 * thresholds initializer; the kernel writes the MultiThreshold's output.
 */
export function replaceFused(graph: Graph, product: Node, act: FusibleActivation, channels: number, make: (thresholds: string, output: string) => NodeProto): void {
  const mt = act.node;
  const out = product.outputs[0]!;
  const tName = graph.uniqueTensorName(`${mt.name || product.name || 'kernel'}_thresholds`);
  setFloatInit(graph, tName, [channels, act.steps], act.rows, thresholdDatatype(act.rows));
  graph.insertBefore(product, make(tName, mt.outputs[0]!));
  const oldT = mt.inputs[1]!;
  graph.removeNode(product);
  graph.removeNode(mt);
  graph.removeValueInfo(out);
  graph.setDatatypeName(out, undefined);
  if (!graph.hasConsumers(oldT)) graph.removeInitializer(oldT);
}

/** Rewrites one product node into an MVAU; false when the pattern does not fit (the node stays). */
export function toMvau(graph: Graph, mm: Node, binary: boolean, check: (idt: DataType, wdt: DataType) => boolean): boolean {
  const x = mm.inputs[0]!;
  const wName = mm.inputs[1]!;
  const out = mm.outputs[0]!;
  if (graph.isInitializer(x)) return false;
  const w = constOf(graph, wName);
  if (!w || w.dims.length !== 2) return false;
  // Weights with a sparsity annotation (depthwise convolutions) are VVAU's, as in FINN.
  if (graph.getAnnotation(wName, TENSOR_SPARSITY_KEY) !== undefined) return false;
  const idt = datatypeOf(graph, x);
  const wdt = datatypeOf(graph, wName);
  if (!check(idt, wdt)) return false;
  const shape = staticShape(graph, x);
  const [MW, MH] = w.dims as [number, number];
  if (!shape || shape[shape.length - 1] !== MW) return false;
  const vectors = shape.length > 1 ? shape.slice(0, -1) : [1];
  const accDataType = datatypeOf(graph, out).name;
  const attrs = {
    PE: 1, SIMD: 1, MW, MH,
    inputDataType: idt.name,
    weightDataType: wdt.name,
    accDataType,
    binaryXnorMode: binary ? 1 : 0,
    numInputVectors: vectors,
    mem_mode: 'internal_decoupled',
  };
  const name = freshName(graph, `MVAU_${mm.name}`);
  const act = fusibleActivation(graph, out, MH, shape.length);
  if (act) {
    replaceFused(graph, mm, act, MH, (t, y) =>
      hwNode('MVAU', [x, wName, t], [y], { ...attrs, outputDataType: act.outputDataType, ActVal: act.actVal, noActivation: 0 }, name));
    return true;
  }
  graph.insertBefore(mm, hwNode('MVAU', [x, wName], [out], { ...attrs, outputDataType: accDataType, ActVal: 0, noActivation: 1 }, name));
  graph.removeNode(mm);
  return true;
}
