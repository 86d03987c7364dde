/**
 * Stream behaviour of ChannelwiseOp: an II=1 loop, one word in and its result one cycle later through the
 * output register; the next word moves in the cycle the previous result leaves.
 */
import type { KernelNodeView, StreamBehaviour } from '../../src/kernel.js';
import { prod, reduceBehaviour } from '../../src/kernel.js';

export function channelwiseBehaviour(node: KernelNodeView): StreamBehaviour {
  const a = node.attrs as { NumChannels: number; PE: number; numInputVectors: number[] };
  const n = (prod(a.numInputVectors) * a.NumChannels) / a.PE;
  return reduceBehaviour(n, 1);
}
