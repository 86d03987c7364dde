import type { KernelNodeView } from '../../src/index.js';
import { resources } from '../../src/kernel.js';
export function synthEstimate(node: KernelNodeView): Record<string, number> {
  void node;
  return resources({});
}
