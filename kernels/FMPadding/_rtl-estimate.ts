/**
 * What Yosys 0.23 `synth_xilinx` makes of the Verilog of _rtl-gen.ts, counted as the synthesis report counts
 * (INV cells are LUTs), fitted on the fit table's FMPadding rows (docs/RTL-ESTIMATES.md):
 * - one LUT per output bit: the input word gated to zero on a padding position, in front of the output register;
 * - two per counter bit (channel fold, output column, output row): increment, wrap compare and the inverters;
 * - 12 of handshake and the padding-region compares.
 * No memory, no DSP.
 */
import type { KernelNodeView, ResourceEstimate } from '../../src/index.js';
import { clog2, datatype, resources } from '../../src/kernel.js';
import { fmpadding, outDims } from './_model.js';

export function synthEstimate(node: KernelNodeView): ResourceEstimate {
  const a = fmpadding(node);
  const [oh, ow] = outDims(a);
  const bits = (n: number) => (n > 1 ? clog2(n) : 0);
  const dataBits = a.SIMD * datatype(a.inputDataType).bitwidth();
  return resources({ LUT: dataBits + 12 + 2 * (bits(a.NumChannels / a.SIMD) + bits(ow) + bits(oh)) });
}
