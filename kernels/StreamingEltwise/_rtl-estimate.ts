/**
 * What Yosys `synth_xilinx` makes of the generated lane operation (measured with Yosys 0.23; docs/RTL-KERNELS.md):
 * per lane, an adder or subtractor on a CARRY4 chain takes one LUT per bit of the wider input, or for Add of the
 * narrower one when that is zero-extended (two for a 1-bit lane without carry chain), one more (an INV) when the
 * narrower is signed and the wider unsigned; AbsDiff adds the negation (one INV per bit, counted as a LUT as the
 * synthesis report does) and its select: three per bit (one XOR for 1-bit inputs); about 4 LUTs of handshake.
 * No BRAM, URAM or DSP.
 */
import type { KernelNodeView } from '../../src/index.js';
import { datatype, resources } from '../../src/kernel.js';
import { eltwiseSpec, type LaneOpSpec } from './_rtl-gen.js';

export function laneOpLuts(s: LaneOpSpec): number {
  const [t0, t1] = s.inputTypes.map(datatype) as [ReturnType<typeof datatype>, ReturnType<typeof datatype>];
  const A = Math.max(t0.bitwidth(), t1.bitwidth());
  const O = datatype(s.outputType).bitwidth();
  // A zero-extended narrower operand leaves the upper bits of the chain without a LUT.
  const narrow = t0.bitwidth() < t1.bitwidth() ? t0 : t1.bitwidth() < t0.bitwidth() ? t1 : undefined;
  // Sub inverts the subtrahend: its zero-extension bits become inverters, so only Add gets the narrow chain.
  const zeroExtended = s.op === 'Add' && narrow && !narrow.signed() && narrow.name !== 'BIPOLAR';
  const wide = narrow === t0 ? t1 : t0;
  const adder = zeroExtended ? narrow.bitwidth() : A + (narrow?.signed() && !wide.signed() ? 1 : 0);
  const lane = s.op === 'AbsDiff' ? (A === 1 ? 1 : 3 * A) : Math.max(adder, Math.min(O, 2));
  return s.pe * lane + 4;
}

export function synthEstimate(node: KernelNodeView): Record<string, number> {
  return resources({ LUT: laneOpLuts(eltwiseSpec(node)) });
}
