/**
 * Stream behaviour of AddStreams, as FINN documents it (reference §2.11): an II=1 loop that reads one word
 * from each input in the same iteration (both inputs move together) and writes their sum one cycle later.
 */
import type { KernelNodeView, StreamBehaviour } from '../../src/kernel.js';
import { prod, reduceRules } from '../../src/kernel.js';

export function addStreamsBehaviour(node: KernelNodeView): StreamBehaviour {
  const a = node.attrs as { NumChannels: number; PE: number; numInputVectors: number[] };
  const n = (prod(a.numInputVectors) * a.NumChannels) / a.PE;
  return { words: { in0: n, in1: n, out0: n }, rules: reduceRules(1), together: [['in0', 'in1']] };
}
