/**
 * What Yosys `synth_xilinx` makes of the generated ChannelwiseOp (_rtl-gen.ts): per lane the Func's
 * datapath on the W-bit two's-complement operands, the parameter ROM (C/PE words of PE·PV bits, LUT logic),
 * the fold counter. Coefficients fitted on Yosys 0.23 runs (docs/RTL-KERNELS.md).
 */
import { resources, type KernelNodeView } from '../../src/kernel.js';
import { datatype, numbers } from '../../src/kernel.js';
import { channelwiseOpAttributes } from './kernel.js';
import { channelwiseWidths } from './_rtl-gen.js';

export function synthEstimate(node: KernelNodeView): Record<string, number> {
  const a = channelwiseOpAttributes.parse(node.attrs);
  const pt = node.constantInput(1);
  const pdt = datatype(a.paramDataType);
  const params = pt ? numbers(pt, 'parameters') : [pdt.min(), pdt.max()];
  const { XV, PV, RW, OB } = channelwiseWidths(a, params);
  const W = Math.max(XV, PV, RW);
  const NF = a.NumChannels / a.PE;
  const lane = a.Func === 'add' ? Math.min(W, OB) : a.Func === 'mul' ? 0 : Math.ceil(W / 2) + 1;
  const rom = NF > 1 ? a.PE * PV * Math.ceil(NF / 64) : 0;
  const dsp = a.Func === 'mul' && XV > 1 && PV > 1 ? a.PE : 0;
  return resources({ LUT: a.PE * lane + rom + (NF > 1 ? Math.ceil(Math.log2(NF)) : 0) + 1, DSP: dsp });
}
