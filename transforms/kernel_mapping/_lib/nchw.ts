// Channels-first streams (NCHW, NCW) around channels-last kernels, as FINN's Infer* rules do it: FINN's kernels
// read the channel axis last, so the input is transposed to channels last before the kernel and the kernel's
// output transposed back. Pairs that meet (back, then forward again) cancel in AbsorbConsecutiveTransposes.
// Not a plugin (the folder name starts with `_`).
import { BrainsmithError, ElemType, makeNode, type Graph, type Node } from '../../../src/index.js';
import { TO_NCHW, TO_NHWC, addTranspose, permute } from '../../../src/rewrite.js';
import { freshName } from '../../../src/rewrite.js';

/** Channels-first layouts by rank, as InferDataLayouts annotates them (NCW for rank 3, NCHW for rank 4). */
const CHANNELS_FIRST: Record<number, string[]> = { 3: ['N', 'C', 'W'], 4: ['N', 'C', 'H', 'W'] };
/** Perms moving axis 1 last and back; for rank 4 the lowering's TO_NHWC / TO_NCHW. */
const TO_LAST: Record<number, readonly number[]> = { 3: [0, 2, 1], 4: TO_NHWC };
const TO_FIRST: Record<number, readonly number[]> = { 3: [0, 2, 1], 4: TO_NCHW };

/** Whether a tensor of this rank can be wrapped (rank 3 or 4). */
export const wrappableRank = (rank: number): boolean => rank in TO_LAST;

/** Whether the tensor's tensor_layout annotation is the channels-first one of its rank (NCHW or NCW). */
export function annotatedChannelsFirst(graph: Graph, tensor: string, rank: number): boolean {
  const want = CHANNELS_FIRST[rank];
  return want !== undefined && graph.getTensorLayout(tensor)?.join('') === want.join('');
}

/** The channels-last shape of a channels-first rank-3/4 shape. */
export function channelsLastShape(shape: readonly number[]): number[] {
  const perm = TO_LAST[shape.length];
  if (!perm) throw rankError(shape.length);
  return permute(shape, perm);
}

/**
 * For a rule mapping `ref` (reading channels-first x of this shape, writing y) to a channels-last kernel:
 * adds Transpose(x → channels last) before `ref`, lets `addKernel` insert the kernel from that tensor into a
 * fresh channels-last tensor (shape, datatype `outDatatype` and layout set), and adds the Transpose back into
 * y. The caller removes `ref` afterwards.
 */
export function wrapChannelsLast(
  graph: Graph, ref: Node, x: string, y: string, shape: readonly number[], outDatatype: string,
  addKernel: (input: string, output: string) => void,
): void {
  const rank = shape.length;
  const toLast = TO_LAST[rank];
  const toFirst = TO_FIRST[rank];
  if (!toLast || !toFirst) throw rankError(rank);
  const first = CHANNELS_FIRST[rank]!;
  const last = permute(first, toLast);
  const suffix = (l: string[]): string => l.join('').toLowerCase();
  const input = addTranspose(graph, ref, x, toLast, freshName(graph, `${ref.name}_to_${suffix(last)}`));
  graph.setShape(input, permute(shape, toLast), graph.getElemType(x) ?? ElemType.FLOAT);
  graph.setTensorLayout(input, last);
  const output = graph.uniqueTensorName(`${y}_${suffix(last)}`);
  graph.setShape(output, permute(shape, toLast), ElemType.FLOAT);
  graph.setDatatypeName(output, outDatatype);
  graph.setTensorLayout(output, last);
  addKernel(input, output);
  graph.insertBefore(ref, makeNode({
    opType: 'Transpose', inputs: [output], outputs: [y], name: freshName(graph, `${ref.name}_to_${suffix(first)}`),
    attributes: [{ name: 'perm', type: 7, ints: [...toFirst] }],
  }));
  if (!graph.getTensorLayout(y)) graph.setTensorLayout(y, first);
}

const rankError = (rank: number): BrainsmithError =>
  new BrainsmithError('E_LAYOUT_RANK', `only rank-3 (NCW) and rank-4 (NCHW) tensors can be transposed to channels last, got rank ${rank}`, { kind: 'work' });
