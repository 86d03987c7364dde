/**
 * What Yosys synth_xilinx makes of the UpsampleNearestNeighbour RTL: the two row buffers (LUTRAM, or BRAM when
 * Yosys finds it cheaper: the read data is registered) and the counters, Bresenham steps and compares; the data
 * path is otherwise the output register.
 */
import type { KernelNodeView, z } from '../../src/index.js';
import { counterBits, memoryResources, resources } from '../../src/kernel.js';
import type { upsampleAttributes } from './kernel.js';
import { upsampleShape } from './_rtl-gen.js';

export function synthEstimate(node: KernelNodeView): Record<string, number> {
  const a = node.attrs as z.infer<typeof upsampleAttributes>;
  const { iw, ow, ih, oh, bits, depth } = upsampleShape(a);
  // The read data goes straight into the output register: Yosys may make it a synchronous (BRAM) read.
  const mem = memoryResources(depth, bits, true);
  const control = 18 + 2 * counterBits([iw, ih, ow, oh]) + 2 * counterBits([iw, ih]) + 0.09 * bits;
  return resources({ LUT: Math.round(mem.LUT + control), BRAM_18K: mem.BRAM_18K });
}
