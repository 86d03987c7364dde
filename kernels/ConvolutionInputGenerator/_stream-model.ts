/**
 * Stream behaviour of the sliding window generator, as FINN documents its RTL (reference §2.4): input words
 * (pixel, channel fold) go into a cyclic buffer of `rtlBufferDepth` words; windows leave in raster order, one
 * word per cycle (kh·kw·cf words per window, or cf with parallel_window), each window once its last input word
 * is in the buffer. An input word overwrites the word `depth` places before it, so it waits until the last
 * window that reads that word has left.
 */
import type { KernelNodeView, StreamBehaviour } from '../../src/kernel.js';
import { geometry, rtlBufferDepth, swg } from './_model.js';

export function swgStreamBehaviour(node: KernelNodeView, bufferDepth?: number): StreamBehaviour {
  const a = swg(node);
  const g = geometry(a);
  const per = a.parallel_window === 1 ? g.cf : g.kh * g.kw * g.cf;
  const windows = g.ofmH * g.ofmW;
  const inWords = g.ifmH * g.ifmW * g.cf;
  const B = Math.max(1, bufferDepth ?? rtlBufferDepth(a));
  /** Last input word a window needs: its bottom-right pixel, last channel fold. */
  const need = (p: number): number => {
    const oy = Math.floor(p / g.ofmW);
    const ox = p - oy * g.ofmW;
    return ((oy * g.sh + (g.kh - 1) * g.dh) * g.ifmW + ox * g.sw + (g.kw - 1) * g.dw) * g.cf + g.cf - 1;
  };
  /** The last window that reads input word e (undefined: none does). */
  const lastUse = (e: number): number | undefined => {
    const pix = Math.floor(e / g.cf);
    const y = Math.floor(pix / g.ifmW);
    const x = pix - y * g.ifmW;
    const oy = Math.min(g.ofmH - 1, Math.floor(y / g.sh));
    const ox = Math.min(g.ofmW - 1, Math.floor(x / g.sw));
    if (y - oy * g.sh > (g.kh - 1) * g.dh || x - ox * g.sw > (g.kw - 1) * g.dw) return undefined;
    return oy * g.ofmW + ox;
  };
  return {
    words: { in0: inWords, out0: windows * per },
    rules: [
      { at: 'out0', on: 'in0', word: (j) => need(Math.floor(j / per)), delay: 1 },
      {
        at: 'in0',
        on: 'out0',
        word: (i) => {
          if (i < B) return undefined;
          const p = lastUse(i - B);
          return p === undefined ? undefined : (p + 1) * per - 1;
        },
        delay: 1,
      },
    ],
  };
}
