/**
 * What Yosys 0.23 `synth_xilinx` makes of the Verilog of _rtl-gen.ts: the counters and their compares only
 * (the zero words come from the output register's synchronous reset, no LUTs); 25 + one LUT per counter bit,
 * fitted on native Yosys runs (15 to 51 LUTs measured, docs/RTL-KERNELS.md). No memory, no DSP.
 */
import type { KernelNodeView, ResourceEstimate } from '../../src/index.js';
import { clog2, resources } from '../../src/kernel.js';
import { fmpadding, outDims } from './_model.js';

export function synthEstimate(node: KernelNodeView): ResourceEstimate {
  const a = fmpadding(node);
  const [oh, ow] = outDims(a);
  const bits = (n: number) => (n > 1 ? clog2(n) : 0);
  return resources({ LUT: 25 + bits(a.NumChannels / a.SIMD) + bits(ow) + bits(oh) });
}
