/**
 * Stream behaviour of Pool, as FINN documents hlslib's Pool_batch (reference §2.6): per output pixel NF·K
 * iterations, K (taps) innermost, one input word each; one output word (PE channels) per fold.
 */
import type { KernelNodeView, StreamBehaviour } from '../../src/kernel.js';
import { prod, reduceBehaviour } from '../../src/kernel.js';

export function poolStreamBehaviour(node: KernelNodeView): StreamBehaviour {
  const a = node.attrs as { Channels: number; PE: number; KernelSize: number[]; OutImgDims: number[]; BatchSize: number };
  const K = prod(a.KernelSize);
  return reduceBehaviour(prod(a.OutImgDims) * a.BatchSize * (a.Channels / a.PE) * K, K);
}
