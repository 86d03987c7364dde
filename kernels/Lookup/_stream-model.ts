/**
 * Stream behaviour of Lookup: one index in, its table row out one cycle later (one output word per index,
 * reference §2.17); the next index moves in the cycle the previous row leaves.
 */
import type { KernelNodeView, StreamBehaviour } from '../../src/kernel.js';
import { prod, reduceBehaviour } from '../../src/kernel.js';

export function lookupBehaviour(node: KernelNodeView): StreamBehaviour {
  const n = prod((node.attrs as { InputShape: number[] }).InputShape);
  return reduceBehaviour(n, 1);
}
