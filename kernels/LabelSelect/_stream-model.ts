/**
 * Stream behaviour of LabelSelect (our RTL, docs/RTL-KERNELS.md): Labels/PE input words per vector; the last
 * one moves the K labels to the output buffer, so it waits until the previous vector's K labels have left
 * (the last in the same cycle); the labels leave one per cycle from the next cycle on.
 */
import type { KernelNodeView, StreamBehaviour } from '../../src/kernel.js';
import { prod } from '../../src/kernel.js';

export function labelSelectStreamBehaviour(node: KernelNodeView): StreamBehaviour {
  const a = node.attrs as { Labels: number; PE: number; K: number; numInputVectors: number[] };
  const V = prod(a.numInputVectors);
  const NB = a.Labels / a.PE;
  const K = a.K;
  return {
    words: { in0: V * NB, out0: V * K },
    rules: [
      { at: 'in0', on: 'out0', word: (i) => (i % NB === NB - 1 ? Math.floor(i / NB) * K - 1 : undefined), delay: 0 },
      { at: 'out0', on: 'in0', word: (o) => Math.floor(o / K) * NB + NB - 1, delay: 1 },
    ],
  };
}
