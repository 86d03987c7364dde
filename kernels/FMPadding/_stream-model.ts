/**
 * Stream behaviour of FMPadding, as FINN documents its RTL (reference §2.8): three counters walk the padded
 * image one output word per cycle; a word inside the image forwards the next input word through the output
 * register (one cycle later; the input waits until the register is free), a padding word is a zero and reads
 * nothing.
 */
import type { KernelNodeView, StreamBehaviour } from '../../src/kernel.js';
import { batchOf, fmpadding, outDims } from './_model.js';

export function fmpaddingStreamBehaviour(node: KernelNodeView): StreamBehaviour {
  const a = fmpadding(node);
  const [H, W] = a.ImgDim as [number, number];
  const [top, left] = a.Padding as [number, number, number, number];
  const [OH, OW] = outDims(a);
  const cf = a.NumChannels / a.SIMD;
  const n = batchOf(a);
  const outPer = OH * OW * cf;
  const inPer = H * W * cf;
  /** Output word of image-local input word i. */
  const outOf = (i: number): number => {
    const b = Math.floor(i / inPer);
    const r = i - b * inPer;
    const pix = Math.floor(r / cf);
    const y = Math.floor(pix / W);
    const x = pix - y * W;
    return b * outPer + ((y + top) * OW + x + left) * cf + (r % cf);
  };
  /** The input word output word j forwards (image-local), or undefined for a padding word. */
  const inputOf = (j: number): number | undefined => {
    const b = Math.floor(j / outPer);
    const r = j - b * outPer;
    const pix = Math.floor(r / cf);
    const y = Math.floor(pix / OW) - top;
    const x = (pix % OW) - left;
    if (y < 0 || y >= H || x < 0 || x >= W) return undefined;
    return b * inPer + (y * W + x) * cf + (r % cf);
  };
  return {
    words: { in0: n * inPer, out0: n * outPer },
    rules: [
      { at: 'in0', on: 'out0', word: (i) => outOf(i) - 1, delay: 0 },
      { at: 'out0', on: 'in0', word: inputOf, delay: 1 },
    ],
  };
}
