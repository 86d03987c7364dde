/**
 * What Yosys `synth_xilinx` (xc7) makes of the generated ChannelwiseOp (_rtl-gen.ts), counted as the synthesis
 * report counts (INV cells are LUTs); fitted on the fit table's ChannelwiseOp rows (docs/RTL-ESTIMATES.md).
 * A sum of parts:
 * - The parameter ROM of C/PE words, read through a registered port at the fold counter (foldRom): its cost
 *   from its contents (src/hdl/rom-estimate.ts registeredRomEstimate, the word kept in its own flip-flops in
 *   front of the lanes, as Thresholding's), block RAM where memory_libmap finds it cheaper; its address
 *   register is the fold counter. One parameter word (C = PE) is a constant folded into the lanes.
 * - Per lane, the Func's datapath on the registered parameter: add, one LUT per kept result bit on the carry
 *   chain; compare, one LUT per bit of the W-bit operands on the carry chain; mul, a DSP48E1 when the kept
 *   result is ≥ 9 bits, else a LUT multiplier, each kept product bit from the operand bits below it (one LUT
 *   up to 6 inputs, 2^(inputs − 6) LUT6 above, as lutMultiplierCells; plus the carries, n − 4, when all
 *   n operand bits fit one LUT). With one parameter word: add, inverters for the constant's bits (about XV/2);
 *   mul, shifts and adds by a constant (≈ kept/3); compare as above.
 * - One LUT of handshake.
 */
import { codingOf, datatype, numbers, registeredRomEstimate, synthResources, unknownRomWords, type KernelNodeView } from '../../src/kernel.js';
import { channelwiseOpAttributes } from './kernel.js';
import { channelwiseParamWords, channelwiseWidths } from './_rtl-gen.js';

/** Bits of the input element that vary: its datatype's bits, one for BINARY and BIPOLAR. */
function inputBits(dt: string): number {
  return codingOf(dt) === 'bipolar' ? 1 : datatype(dt).bitwidth();
}

/** LUTs of a LUT multiplier of xBits × wBits operand bits whose low `kept` product bits are used. */
function productLuts(xBits: number, wBits: number, kept: number): number {
  const n = xBits + wBits;
  let luts = 0;
  for (let k = 0; k < kept; k++) {
    const inputs = Math.min(k + 1, xBits) + Math.min(k + 1, wBits);
    luts += Math.max(1, 2 ** (inputs - 6));
  }
  return luts + (n <= 6 ? Math.max(0, n - 4) : 0);
}

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
  if (a.Func === 'add') lane = NF > 1 ? kept : Math.ceil(XV / 2);
  else if (a.Func === 'mul') lane = onDsp ? 0 : NF > 1 ? productLuts(inputBits(a.inputDataType), PV, kept) : Math.ceil(kept / 3);
  else lane = W;
  // Parameters not known yet: random stand-in words (every column varies), as the MAC kernels' unknown ROMs.
  const words = pt ? channelwiseParamWords(params, a.PE, PV, NF) : unknownRomWords(NF, a.PE * PV);
  const rom = registeredRomEstimate(words, a.PE * PV, true);
  return synthResources({
    LUT: Math.round(a.PE * lane + rom.LUT + 1),
    FF: rom.FF + (onDsp ? 0 : a.PE * OB) + 1, // a DSP48E1 takes the output register as its P register
    DSP: onDsp ? a.PE : 0,
    BRAM_18K: rom.BRAM_18K,
  });
}
