/**
 * What Yosys synth_xilinx makes of the Pool RTL: per PE lane a max lane (compare and select) or an
 * accumulator adder (1 LUT per bit unsigned, 2 signed: the sign extension splits the carry chain's LUTs), and
 * the tap/fold counters. No memory.
 */
import type { KernelNodeView } from '../../src/index.js';
import { counterBits, datatype, maxLaneLuts, prod, resources } from '../../src/kernel.js';
import { pool } from './kernel.js';
import { avgAccBits } from './_rtl-gen.js';

export function synthEstimate(node: KernelNodeView): Record<string, number> {
  const a = pool(node);
  const K = prod(a.KernelSize);
  if (K === 1) return resources({ LUT: 4 });
  const t = datatype(a.InputDataType);
  // More than 4 taps: Yosys spreads the first-tap select over more LUTs per lane (measured ×1.6).
  const lane = a.Function === 'MaxPool' ? maxLaneLuts(t.bitwidth()) * (K > 4 ? 1.6 : 1) : (t.signed() ? 2 : 1) * avgAccBits(a);
  const control = 4 + 1.5 * counterBits([K, a.Channels / a.PE]);
  return resources({ LUT: Math.round(a.PE * lane + control) });
}
