/**
 * Stream behaviour of Thresholding (our RTL, docs/RTL-KERNELS.md): one word per cycle through an output
 * register; a word is taken when the register is free or its word leaves in the same cycle, and leaves one
 * cycle later.
 */
import type { KernelNodeView, StreamBehaviour } from '../../src/kernel.js';
import { reduceBehaviour } from '../../src/kernel.js';
import { thresholding, thresholdingCycles } from './_model.js';

export function thresholdingStreamBehaviour(node: KernelNodeView): StreamBehaviour {
  return reduceBehaviour(thresholdingCycles(thresholding(node)), 1);
}
