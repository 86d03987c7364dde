/**
 * Stream behaviour of StreamingMaxPool, as FINN documents hlslib's StreamingMaxPool (reference §2.5): per
 * output row it reads k input rows (one word per cycle), then writes the row's outputs while reading nothing
 * (the 1/k² term of its cycle count); an output word needs the last input word of its window. 1D: an output
 * word per k input words (of the same channel fold).
 */
import type { KernelNodeView, StreamBehaviour } from '../../src/kernel.js';

export function maxPoolStreamBehaviour(node: KernelNodeView): StreamBehaviour {
  const a = node.attrs as { ImgDim: number[]; PoolDim: number[]; NumChannels: number; PE: number };
  const [H, W] = a.ImgDim as [number, number];
  const [kh, kw] = a.PoolDim as [number, number];
  const oneD = H === 1 || W === 1;
  // Words per pixel: 2D carries all channels in one word, 1D C/PE words of PE channels.
  const wpp = oneD ? a.NumChannels / a.PE : 1;
  const out = node.outputShapes[0] ?? [1, Math.floor(H / kh), Math.floor(W / kw), a.NumChannels];
  const rows = Math.max(1, out[1]!);
  const OW = Math.max(1, out[2]!) * wpp;
  const inWords = H * W * wpp;
  const outWords = rows * OW;
  const rowBlock = kh * W * wpp;
  return {
    words: { in0: inWords, out0: outWords },
    rules: [
      {
        at: 'out0',
        on: 'in0',
        word: (j) => {
          const oy = Math.floor(j / OW);
          const ox = j - oy * OW;
          const px = Math.min(W - 1, (Math.floor(ox / wpp) + 1) * kw - 1);
          return Math.min(inWords - 1, ((oy * kh + kh - 1) * W + px) * wpp + (ox % wpp));
        },
        delay: 1,
      },
      { at: 'in0', on: 'out0', word: (i) => (i > 0 && i % rowBlock === 0 ? (i / rowBlock) * OW - 1 : undefined), delay: 1 },
    ],
  };
}
