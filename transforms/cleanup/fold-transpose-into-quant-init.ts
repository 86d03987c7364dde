import {
  defineTransform, getInts, getAttribute, makeTensor, normalizeNodeDomain, QONNX_GENERAL_DOMAIN, tensorFromProto, tensorToProto,
  type Graph, type Node, type NumericArray, type TensorValue,
} from '../../src/index.js';

const QUANTIZERS = new Set(['Quant', 'IntQuant', 'BipolarQuant']);

/** The tensor with its axes permuted (numpy.transpose). */
function transposeValue(v: TensorValue, perm: readonly number[]): TensorValue {
  const dims = perm.map((p) => v.dims[p]!);
  const rank = dims.length;
  const inStrides = new Array<number>(rank).fill(1);
  for (let i = rank - 2; i >= 0; i--) inStrides[i] = inStrides[i + 1]! * v.dims[i + 1]!;
  const src = v.data as NumericArray;
  const out = new (src.constructor as new (n: number) => NumericArray)(src.length);
  const idx = new Array<number>(rank).fill(0);
  const permStrides = perm.map((p) => inStrides[p]!);
  let offset = 0;
  for (let k = 0; k < src.length; k++) {
    (out as unknown as number[])[k] = (src as unknown as number[])[offset]!;
    // Advance the output multi-index (last axis fastest), keeping the input offset in step.
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]!++;
      offset += permStrides[d]!;
      if (idx[d]! < dims[d]!) break;
      offset -= permStrides[d]! * dims[d]!;
      idx[d] = 0;
    }
  }
  return makeTensor(v.elemType, dims, out);
}

/** A Quant input that must be permuted with X: per-element (same rank) ones; scalars stay. */
function permutable(v: TensorValue, rank: number): 'scalar' | 'same-rank' | 'no' {
  if (v.dims.every((d) => d === 1)) return 'scalar';
  return v.dims.length === rank ? 'same-rank' : 'no';
}

function tryFold(graph: Graph, transpose: Node): boolean {
  const q = graph.producer(transpose.inputs[0] ?? '');
  if (!q || !QUANTIZERS.has(q.opType) || normalizeNodeDomain(q) !== QONNX_GENERAL_DOMAIN) return false;
  const qOut = q.outputs[0]!;
  if (graph.isGraphOutput(qOut) || graph.consumers(qOut).length !== 1) return false;
  if (!q.inputs.every((t) => t === '' || graph.isInitializer(t))) return false;
  const x = tensorFromProto(graph.getInitializer(q.inputs[0]!)!);
  const perm = getAttribute(transpose, 'perm') ? getInts(transpose, 'perm') : x.dims.map((_, i) => x.dims.length - 1 - i);
  if (perm.length !== x.dims.length) return false;
  // Every initializer Quant reads must be ours alone, and per-channel parameters must have X's rank.
  const moves: { slot: number; value: TensorValue }[] = [{ slot: 0, value: x }];
  for (let i = 1; i < q.inputs.length; i++) {
    const name = q.inputs[i]!;
    if (!name) continue;
    const v = tensorFromProto(graph.getInitializer(name)!);
    const kind = permutable(v, x.dims.length);
    if (kind === 'no') return false;
    if (kind === 'same-rank') moves.push({ slot: i, value: v });
  }
  if (moves.some(({ slot }) => graph.consumers(q.inputs[slot]!).length !== 1)) return false;
  for (const { slot, value } of moves) {
    const name = q.inputs[slot]!;
    graph.setInitializer(tensorToProto(transposeValue(value, perm), name));
  }
  // Quant now writes what the Transpose wrote.
  const tOut = transpose.outputs[0]!;
  graph.removeNode(transpose);
  graph.setOutput(q, 0, tOut);
  graph.removeValueInfo(qOut);
  for (const key of [...(graph.annotationsOf(qOut)?.keys() ?? [])]) graph.setAnnotation(qOut, key, undefined);
  for (const { slot } of moves) {
    const name = q.inputs[slot]!;
    graph.removeValueInfo(name);
    // Older exports (opset 9) also declare every initializer as a graph input. Its declared shape is now
    // stale, and a caller feeding the old layout would get wrong results: the value is baked in from here
    // on, so the declaration goes (what RemoveStaticGraphInputs does).
    if (graph.isGraphInput(name)) graph.removeInput(name);
  }
  return true;
}

/**
 * QONNX FoldTransposeIntoQuantInit: a Transpose after a quantizer whose inputs are all initializers
 * (a weight quantizer) disappears; the weight (and per-channel scale / zero point) is stored transposed.
 */
export default defineTransform({
  name: 'FoldTransposeIntoQuantInit',
  stage: 'cleanup',
  description: 'Fold a Transpose after a weight Quant/BipolarQuant into the quantizer\'s initializers',
  apply(model, ctx) {
    const graph = model.graph;
    let folded = 0;
    for (const t of graph.nodesByOpType('Transpose')) if (tryFold(graph, t)) folded++;
    if (folded) ctx.log.debug({ folded }, 'folded transposes into quantizer initializers');
    return folded > 0;
  },
});
