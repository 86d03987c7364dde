/**
 * Stream behaviour of StreamingConcat (FINN's element order, our RTL and FINN's HLS loop alike): for every
 * pixel the C_0/SIMD words of input 0, then those of input 1, and so on, one word per cycle through one output
 * register. Only the input whose turn it is moves, so a branch that feeds a later input must hold the earlier
 * inputs' words of the pixel: the reason a duplicated stream concatenated with itself needs FIFO depth.
 */
import type { KernelNodeView, StreamBehaviour, StreamRule } from '../../src/kernel.js';
import { prod } from '../../src/kernel.js';

export function concatBehaviour(node: KernelNodeView): StreamBehaviour {
  const a = node.attrs as { ChannelsPerStream: number[]; SIMD: number; numInputVectors: number[] };
  const pixels = prod(a.numInputVectors);
  const per = a.ChannelsPerStream.map((c) => c / a.SIMD);
  const W = per.reduce((s, w) => s + w, 0);
  const offset = per.map((_, i) => per.slice(0, i).reduce((s, w) => s + w, 0));
  /** Output word of input i's word x. */
  const outOf = (i: number, x: number): number => Math.floor(x / per[i]!) * W + offset[i]! + (x % per[i]!);
  /** Input (and its word) behind output word j. */
  const inOf = (j: number): [number, number] => {
    const p = Math.floor(j / W);
    const r = j % W;
    let i = 0;
    while (i + 1 < offset.length && offset[i + 1]! <= r) i++;
    return [i, p * per[i]! + r - offset[i]!];
  };
  const rules: StreamRule[] = [];
  const words: Record<string, number> = { out0: pixels * W };
  per.forEach((w, i) => {
    words[`in${i}`] = pixels * w;
    // An input word moves when the output register is free: in the cycle the previous output word leaves.
    rules.push({ at: `in${i}`, on: 'out0', word: (x) => outOf(i, x) - 1, delay: 0 });
    // An output word leaves at the earliest one cycle after its input word moved.
    rules.push({ at: 'out0', on: `in${i}`, word: (j) => { const [k, x] = inOf(j); return k === i ? x : undefined; }, delay: 1 });
  });
  return { words, rules };
}
