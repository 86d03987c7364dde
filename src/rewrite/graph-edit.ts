// Pattern matching and rewiring shared by the streamlining and lowering transforms.
import {
  QONNX_GENERAL_DOMAIN, normalizeDomain, isStandardDomain, tryParseDataType,
  type Graph, type Model, type Node,
} from '../index.js';
import { constOf, type Const } from './consts.js';

export const isOnnxOp = (node: Node, opType: string): boolean => node.opType === opType && isStandardDomain(node.domain);

export const isQonnxOp = (node: Node, opType: string): boolean =>
  node.opType === opType && normalizeDomain(node.domain) === QONNX_GENERAL_DOMAIN;

/** The only node reading `tensor`, when exactly one use exists and the tensor is not a graph output. */
export function soleConsumer(graph: Graph, tensor: string): Node | undefined {
  if (!tensor || graph.isGraphOutput(tensor)) return undefined;
  const uses = graph.consumers(tensor);
  return uses.length === 1 ? uses[0]!.node : undefined;
}

/** A binary op with one dynamic input and one initializer: x op c. */
export interface ConstBinary {
  node: Node;
  /** The dynamic input tensor. */
  x: string;
  /** Slot of the dynamic input (0 or 1). */
  xIndex: number;
  /** The initializer's name and value. */
  cName: string;
  c: Const;
}

/** Matches `opType(x, c)` or `opType(c, x)` (only for commutative ops) with c an initializer and x not. */
export function matchConstBinary(graph: Graph, node: Node, opType: string, commutative = true): ConstBinary | undefined {
  if (!isOnnxOp(node, opType) || node.inputs.length !== 2 || node.outputs.length !== 1) return undefined;
  const [a, b] = node.inputs as [string, string];
  const cb = constOf(graph, b);
  if (cb && !graph.isInitializer(a)) return { node, x: a, xIndex: 0, cName: b, c: cb };
  if (!commutative) return undefined;
  const ca = constOf(graph, a);
  if (ca && !graph.isInitializer(b)) return { node, x: b, xIndex: 1, cName: a, c: ca };
  return undefined;
}

/**
 * `first` (output read only by `second`, at slot `secondData`) and `second` trade places: `second` reads
 * first's data input, and `first` reads second's result and produces second's old output. The tensor in
 * between gets a fresh name with second's output shape.
 */
export function swapPast(graph: Graph, first: Node, firstData: number, second: Node, secondData = 0): string {
  const x = first.inputs[firstData]!;
  const firstOut = first.outputs[0]!;
  const out = second.outputs[0]!;
  const mid = graph.uniqueTensorName(`${second.name || second.opType}_out`);
  graph.setInput(second, secondData, x);
  graph.setOutput(second, 0, mid);
  graph.setInput(first, firstData, mid);
  graph.setOutput(first, 0, out);
  const shape = graph.getShape(out);
  if (shape) graph.setShape(mid, shape, graph.getElemType(out));
  graph.removeValueInfo(firstOut);
  graph.setDatatypeName(firstOut, undefined);
  graph.removeNode(first);
  graph.insertAfter(second, first);
  return mid;
}

/**
 * Removes a node whose output equals its input `dataIndex` for every reader: readers are rewired to the
 * input. Refuses (false) when the output is a graph output.
 */
export function bypass(graph: Graph, node: Node, dataIndex = 0): boolean {
  const out = node.outputs[0]!;
  if (graph.isGraphOutput(out)) return false;
  const x = node.inputs[dataIndex]!;
  const uses = graph.consumers(out);
  graph.removeNode(node);
  for (const u of uses) graph.setInput(u.node, u.index, x);
  graph.removeValueInfo(out);
  graph.setDatatypeName(out, undefined);
  return true;
}

/** Removes initializers no longer read by any node (parameters a rewrite replaced). */
export function dropIfUnused(graph: Graph, ...tensors: string[]): void {
  for (const t of tensors) if (t && graph.isInitializer(t) && !graph.hasConsumers(t) && !graph.isGraphOutput(t)) graph.removeInitializer(t);
}

/** The datatype annotated on a tensor, when it is an integer one. */
export function integerDatatype(graph: Graph, tensor: string) {
  const name = graph.getDatatypeName(tensor);
  const dt = name ? tryParseDataType(name) : undefined;
  return dt && dt.isInteger() ? dt : undefined;
}

/**
 * After a rewrite makes a MatMul/Conv read different inputs: the accumulator datatype QONNX's datatype
 * inference gives (INT32, UINT32 when all inputs are unsigned), or none when an input is not integer.
 */
export function annotateAccumulator(graph: Graph, node: Node): void {
  const dts = node.inputs.slice(0, 2).map((t) => integerDatatype(graph, t));
  const out = node.outputs[0]!;
  if (dts.every((d) => d !== undefined)) graph.setDatatypeName(out, dts.every((d) => !d!.signed()) ? 'UINT32' : 'INT32');
  else graph.setDatatypeName(out, undefined);
}

/** A linear op (Mul or Add by a constant) whose result feeds only `next`, with the slot it is read at. */
export function linearBefore(graph: Graph, tensor: string, opTypes: readonly string[]): ConstBinary | undefined {
  const p = graph.producer(tensor);
  if (!p || graph.isGraphOutput(tensor) || graph.consumers(tensor).length !== 1) return undefined;
  for (const op of opTypes) {
    const m = matchConstBinary(graph, p, op);
    if (m) return keepsShape(graph, m) ? m : undefined;
  }
  return undefined;
}

/** The constant does not enlarge the dynamic input by broadcasting (so moving the op keeps every shape). */
export function keepsShape(graph: Graph, m: ConstBinary): boolean {
  if (m.c.data.length === 1 && m.c.dims.length <= 1) return true;
  const shape = graph.getShape(m.x);
  if (!shape || m.c.dims.length > shape.length) return false;
  const off = shape.length - m.c.dims.length;
  return m.c.dims.every((d, i) => d === 1 || d === shape[off + i]);
}

/** Invariant ops pass datatypes through: annotate the output like the (new) input. */
export function copyDatatype(graph: Graph, from: string, to: string): void {
  graph.setDatatypeName(to, graph.getDatatypeName(from));
}

/**
 * Removes `follower`, which is the only reader of `node`'s first output: `node` takes over the follower's
 * output tensor (so this works when that tensor is a graph output).
 */
export function absorbFollower(graph: Graph, node: Node, follower: Node): void {
  const old = node.outputs[0]!;
  const out = follower.outputs[0]!;
  graph.removeNode(follower);
  graph.setOutput(node, 0, out);
  graph.removeValueInfo(old);
  graph.setDatatypeName(old, undefined);
}

/** Declares the QONNX custom-op domain in the model's opset imports once a rewrite adds one of its ops. */
export function ensureQonnxOpset(model: Model): void {
  if (model.opsets.has(QONNX_GENERAL_DOMAIN)) return;
  model.proto.opset_import = [...(model.proto.opset_import ?? []), { domain: QONNX_GENERAL_DOMAIN, version: 1 }];
}
