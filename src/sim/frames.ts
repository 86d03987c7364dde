/**
 * Frames of tensors as stream words and back, with FINN's packing (reference §1): a frame's tensor in C
 * order, `elemsPerWord` elements per word, element 0 at the LSB. And the bit-exact comparison of simulated
 * frames with the reference executor's.
 */
import { BrainsmithError } from '../errors.js';
import { packStream, unpackStream } from '../hdl/pack.js';
import { tensorToNumbers, type TensorValue } from '../tensor/tensor-value.js';
import type { StreamInfo } from '../codegen/design.js';

function layout(s: StreamInfo): { per: number; words: number } {
  if (!s.datatype) throw new BrainsmithError('E_SIM_LAYOUT', `stream '${s.tensor}' has no QONNX datatype annotation, so its words cannot be packed`, { kind: 'input' });
  if (!s.elemsPerWord || !s.wordsPerFrame) {
    throw new BrainsmithError('E_SIM_LAYOUT', `stream '${s.tensor}' (${s.datatype}, ${s.bits}-bit words, shape [${s.shape.join(', ')}]) does not hold a whole number of elements per word and words per frame`, { kind: 'input' });
  }
  return { per: s.elemsPerWord, words: s.wordsPerFrame };
}

/** The words of `frames` (one tensor per frame) on stream `s`. */
export function packFrames(s: StreamInfo, frames: readonly TensorValue[]): bigint[] {
  const { per, words } = layout(s);
  const out: bigint[] = [];
  frames.forEach((t, f) => {
    const v = tensorToNumbers(t);
    if (v.length !== per * words) throw new BrainsmithError('E_SIM_LAYOUT', `frame ${f} of '${s.tensor}' has ${v.length} elements, the stream carries ${per * words} per frame`, { kind: 'work' });
    try {
      for (const w of packStream(v, per, s.datatype)) out.push(w);
    } catch (e) {
      throw new BrainsmithError('E_SIM_STIMULUS', `frame ${f} of '${s.tensor}': ${(e as Error).message}`, { kind: 'input', cause: e });
    }
  });
  return out;
}

/** The values of each frame on stream `s`, from its words. */
export function unpackFrames(s: StreamInfo, words: readonly bigint[]): Float64Array[] {
  const { per, words: n } = layout(s);
  const frames: Float64Array[] = [];
  for (let k = 0; k + n <= words.length; k += n) frames.push(unpackStream(words.slice(k, k + n), per, s.datatype));
  return frames;
}

export interface FrameMismatch {
  tensor: string;
  frame: number;
  /** Element index within the frame (C order of the normal shape). */
  index: number;
  expected: number;
  actual: number;
  /** Differing elements over all frames. */
  count: number;
}

/** The first element (over frames in order) where `got` differs from the reference frames, if any. */
export function firstMismatch(s: StreamInfo, got: readonly Float64Array[], want: readonly TensorValue[]): FrameMismatch | undefined {
  let first: FrameMismatch | undefined;
  let count = 0;
  want.forEach((t, f) => {
    const w = tensorToNumbers(t);
    const g = got[f];
    for (let i = 0; i < w.length; i++) {
      const a = g ? g[i]! : NaN;
      if (a !== w[i]) {
        count++;
        first ??= { tensor: s.tensor, frame: f, index: i, expected: w[i]!, actual: a, count: 0 };
      }
    }
  });
  return first ? { ...first, count } : undefined;
}

export function describeFrameMismatch(m: FrameMismatch): string {
  const got = Number.isNaN(m.actual) ? 'no value' : String(m.actual);
  return `'${m.tensor}' frame ${m.frame} element ${m.index}: expected ${m.expected}, got ${got} (${m.count} element${m.count === 1 ? '' : 's'} differ)`;
}
