/**
 * What Yosys `synth_xilinx` (xc7) makes of the generated ChannelwiseOp (_rtl-gen.ts): per lane the Func's
 * datapath on the W-bit two's-complement operands (add: a carry chain, ≈ 1 LUT per result bit kept, none for a constant; mul: a
 * DSP48E1 when the kept result is ≥ 9 bits, else a LUT multiplier ≈ XV·PV LUTs, or a few shifts and adds by a
 * constant when there is one fold; compare: a carry chain, ≈ W/2 LUTs; a ROM of ≤ 16 words folds into them), the parameter ROM of C/PE words
 * (src/hdl/rom-estimate.ts; with one fold the parameters are constants folded into the datapath), the
 * fold counter.
 */
import { datatype, numbers, resources, romSynthEstimate, type KernelNodeView } from '../../src/kernel.js';
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
  const kept = Math.min(RW, OB);
  const onDsp = a.Func === 'mul' && NF > 1 && kept >= 9;
  let lane: number;
  // Adding a constant (one fold) maps onto the CARRY4 chain alone.
  if (a.Func === 'add') lane = NF > 1 ? kept : 0;
  else if (a.Func === 'mul') lane = onDsp ? 0 : NF > 1 ? XV * PV : Math.ceil(kept / 4);
  else lane = Math.ceil(W / 2) + 1;
  // Add and compare fold a ROM of ≤ 16 words into their carry-chain LUTs (address + operand bit ≤ 6 inputs).
  const rom = a.Func !== 'mul' && NF <= 16 ? { LUT: 0, BRAM_18K: 0 } : romSynthEstimate(NF, a.PE * PV, false);
  const control = NF > 1 ? 2 * Math.ceil(Math.log2(NF)) : 0;
  return resources({ LUT: a.PE * lane + rom.LUT + control + 1, DSP: onDsp ? a.PE : 0, BRAM_18K: rom.BRAM_18K });
}
