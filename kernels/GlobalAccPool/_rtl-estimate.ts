/**
 * What Yosys synth_xilinx makes of the GlobalAccPool RTL: per PE lane an accumulator adder (1 LUT per sum bit
 * unsigned, 2 signed), the accumulator memory of C/PE words (a register for one fold; LUTRAM, or BRAM when
 * Yosys finds it cheaper: its read address is the fold register) and the counters.
 */
import type { KernelNodeView, z } from '../../src/index.js';
import { counterBits, datatype, memoryResources, resources } from '../../src/kernel.js';
import type { globalAccPoolAttributes } from './kernel.js';
import { accPoolShape } from './_rtl-gen.js';

export function synthEstimate(node: KernelNodeView): Record<string, number> {
  const a = node.attrs as z.infer<typeof globalAccPoolAttributes>;
  const { pixels, outBits } = accPoolShape(a);
  const NF = a.NumChannels / a.PE;
  const t = datatype(a.inputDataType);
  if (pixels === 1) return resources({ LUT: 4 });
  const lanes = a.PE * (t.signed() ? 2 : 1) * outBits;
  const mem = memoryResources(NF, a.PE * outBits, true);
  const control = 12 + 1.5 * counterBits([NF, pixels]) + (NF > 1 ? 10 : 0);
  return resources({ LUT: Math.round(lanes + mem.LUT + control), BRAM_18K: mem.BRAM_18K });
}
