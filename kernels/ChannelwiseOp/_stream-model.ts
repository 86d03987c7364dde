/**
 * Stream behaviour of ChannelwiseOp: an II=1 loop, one word in and its result one cycle later through the
 * output register; the next word moves in the cycle the previous result leaves.
 */
import type { KernelNodeView, StreamBehaviour } from '../../src/kernel.js';
import { prod } from '../../src/kernel.js';

export function channelwiseBehaviour(node: KernelNodeView): StreamBehaviour {
  const a = node.attrs as { NumChannels: number; PE: number; numInputVectors: number[] };
  const n = (prod(a.numInputVectors) * a.NumChannels) / a.PE;
  return {
    words: { in0: n, out0: n },
    rules: [
      { at: 'in0', on: 'out0', word: (i) => i - 1, delay: 0 },
      { at: 'out0', on: 'in0', word: (j) => j, delay: 1 },
    ],
  };
}
