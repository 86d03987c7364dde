/**
 * Stream behaviour of the MVAU (our RTL, docs/RTL-KERNELS.md): one (nf, sf) tile per cycle (`step`). With
 * NF > 1 a vector's SF words fill one of two buffers: its first tile waits one cycle after its last word, and
 * a word of vector v waits one cycle after the last tile of vector v − 2 (its buffer is free again). With
 * NF = 1 each tile is an input handshake. The tile that ends a fold (sf = SF − 1) needs the output register
 * free (the previous output word leaves in that cycle at the latest); the output is valid one cycle later.
 */
import type { KernelNodeView, StreamBehaviour } from '../../src/kernel.js';
import { prod, reduceBehaviour } from '../../src/kernel.js';
import { mvau } from './_model.js';

export function mvauStreamBehaviour(node: KernelNodeView): StreamBehaviour {
  const a = mvau(node);
  const V = prod(a.numInputVectors);
  const SF = a.MW / a.SIMD;
  const NF = a.MH / a.PE;
  if (NF === 1) {
    return reduceBehaviour(V * SF, SF);
  }
  const T = NF * SF;
  return {
    words: { in0: V * SF, out0: V * NF, step: V * T },
    rules: [
      { at: 'in0', on: 'step', word: (i) => (Math.floor(i / SF) - 1) * T - 1, delay: 1 },
      { at: 'step', on: 'in0', word: (k) => (k % T === 0 ? (k / T) * SF + SF - 1 : undefined), delay: 1 },
      { at: 'step', on: 'out0', word: (k) => (k % SF === SF - 1 ? Math.floor(k / SF) - 1 : undefined), delay: 0 },
      { at: 'out0', on: 'step', word: (o) => o * SF + SF - 1, delay: 1 },
    ],
  };
}
