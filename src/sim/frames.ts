/**
 * Frames of tensors as stream words and back, with FINN's packing (reference §1): a frame's tensor in C
 * order (or in the stream's declared order: a depthwise window stream), `elemsPerWord` elements per word,
 * element 0 at the LSB. And the bit-exact comparison of simulated
 * frames with the reference executor's.
 */
import { BrainsmithError } from '../errors.js';
import { packStream, unpackStream } from '../hdl/pack.js';
import { tensorToNumbers, type TensorValue } from '../tensor/tensor-value.js';
import type { StreamInfo } from '../codegen/design.js';

/**
 * Stream position → tensor index of one frame in the stream's order (identity when it has none, or when one
 * fold holds every channel).
 */
function streamPositions(s: StreamInfo, n: number): Int32Array | undefined {
  const o = s.order;
  if (!o || o.simd === o.channels) return undefined;
  const block = o.taps * o.channels;
  if (n % block !== 0 || o.channels % o.simd !== 0) {
    throw new BrainsmithError('E_SIM_LAYOUT', `stream '${s.tensor}': its order (${o.taps} taps × ${o.channels} channels in folds of ${o.simd}) does not tile its ${n} elements per frame`, { kind: 'work' });
  }
  const pos = new Int32Array(n);
  let k = 0;
  for (let px = 0; px < n; px += block)
    for (let f = 0; f < o.channels; f += o.simd)
      for (let t = 0; t < o.taps; t++)
        for (let c = f; c < f + o.simd; c++) pos[k++] = px + t * o.channels + c;
  return pos;
}

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
  const pos = streamPositions(s, per * words);
  frames.forEach((t, f) => {
    const c = tensorToNumbers(t);
    if (c.length !== per * words) throw new BrainsmithError('E_SIM_LAYOUT', `frame ${f} of '${s.tensor}' has ${c.length} elements, the stream carries ${per * words} per frame`, { kind: 'work' });
    const v = pos ? Array.from(pos, (i) => c[i]!) : c;
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
  const pos = streamPositions(s, per * n);
  for (let k = 0; k + n <= words.length; k += n) {
    const v = unpackStream(words.slice(k, k + n), per, s.datatype);
    if (!pos) frames.push(v);
    else {
      const c = new Float64Array(v.length);
      pos.forEach((i, j) => { c[i] = v[j]!; });
      frames.push(c);
    }
  }
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
