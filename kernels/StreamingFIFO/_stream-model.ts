/**
 * Stream behaviour of bs_fifo (docs/RTL-KERNELS.md): a word written in cycle t can be read from cycle t + 1
 * (first-word fall-through); the "full" rule (write j waits for read j − depth) is added by the dataflow
 * model from `fifo.depth`, so that FIFO sizing can leave it out.
 */
import type { KernelNodeView, StreamBehaviour } from '../../src/kernel.js';
import { fifo } from './_model.js';

export function fifoStreamBehaviour(node: KernelNodeView): StreamBehaviour {
  const a = fifo(node);
  const words = a.folded_shape.slice(0, -1).reduce((x, y) => x * y, 1);
  return {
    words: { in0: words, out0: words },
    rules: [{ at: 'out0', on: 'in0', word: (j) => j, delay: 1 }],
    fifo: { depth: a.depth },
  };
}
