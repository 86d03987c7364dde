/**
 * Stream behaviour of DuplicateStreams, as FINN documents it (reference §2.12): an II=1 loop that reads a
 * word and writes it to every output in the same iteration, so all outputs move together (each waits for the
 * slowest consumer), one cycle after the input; the next word is read when the outputs have taken the last.
 */
import type { KernelNodeView, StreamBehaviour } from '../../src/kernel.js';
import { prod } from '../../src/kernel.js';

export function duplicateStreamsBehaviour(node: KernelNodeView): StreamBehaviour {
  const a = node.attrs as { NumChannels: number; PE: number; NumOutputStreams: number; numInputVectors: number[] };
  const n = (prod(a.numInputVectors) * a.NumChannels) / a.PE;
  const outs = Array.from({ length: a.NumOutputStreams }, (_, k) => `out${k}`);
  return {
    words: Object.fromEntries([['in0', n], ...outs.map((o) => [o, n])]),
    rules: [
      { at: 'in0', on: 'out0', word: (i) => i - 1, delay: 0 },
      { at: 'out0', on: 'in0', word: (j) => j, delay: 1 },
    ],
    together: [outs],
  };
}
