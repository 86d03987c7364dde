// Absorb1BitMulIntoMatMul / Absorb1BitMulIntoConv: a Mul by ±1 or 0/1 values after a weighted op goes into
// the weights (per output channel), keeping them in an integer datatype.
import { TENSOR_SPARSITY_KEY, smallestDataTypeFor, tryParseDataType, type DataType, type Graph, type Node } from '../../../src/index.js';
import { addConst, floatTypeOf, type Const } from '../../../src/rewrite.js';

/** Every entry is −1, 0 or +1 (a bipolar, binary or ternary factor). */
export const isOneBitFactor = (c: Const): boolean => c.data.every((v) => v === 1 || v === -1 || v === 0) && c.data.length > 0;

/** Writes the new weights as a fresh initializer read by `node` at slot 1, keeping a valid datatype and the sparsity annotation. */
export function replaceWeights(graph: Graph, node: Node, w: Const): void {
  const old = node.inputs[1]!;
  const name = addConst(graph, `${node.name || node.opType}_weights`, w, floatTypeOf(graph, old));
  const oldDt = graph.getDatatypeName(old);
  const dt = oldDt ? tryParseDataType(oldDt) : undefined;
  if (dt) {
    const fits = allAllowed(dt, w.data);
    graph.setDatatypeName(name, fits ? dt.name : smallestDataTypeFor(w.data).name);
  }
  // Scaling output columns keeps a depthwise (block-diagonal) matrix depthwise.
  const sparsity = graph.getAnnotation(old, TENSOR_SPARSITY_KEY);
  if (sparsity !== undefined) graph.setAnnotation(name, TENSOR_SPARSITY_KEY, sparsity);
  graph.setInput(node, 1, name);
  if (!graph.hasConsumers(old)) graph.removeInitializer(old);
}

/**
 * Whether `dt` allows every value, asking once per distinct value while there are few (allowed() builds a
 * bigint per call, and weights repeat a handful of values: a plain loop over them is what stays cheap in a
 * short compile, where this code runs before V8 optimizes it).
 */
function allAllowed(dt: DataType, data: Float64Array): boolean {
  const seen: number[] = [];
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (seen.includes(v)) continue;
    if (!dt.allowed(v)) return false;
    if (seen.length < 16) seen.push(v);
  }
  return true;
}
