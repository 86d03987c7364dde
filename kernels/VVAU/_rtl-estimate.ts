/**
 * What Yosys `synth_xilinx` (xc7) makes of the generated VVAU (_rtl-gen.ts), component by component:
 * - products: Yosys puts a multiplier on a DSP48E1 when its result is ≥ 9 bits and both operands ≥ 2 bits
 *   (mul2dsp's minimum widths after wreduce), one per (p, s) lane and A ≤ 25 / B ≤ 18 slice; narrower ones
 *   become LUT multipliers (≈ XV·WV LUTs; a BIPOLAR operand only negates: ≈ the other's width);
 * - per lane the SIMD-term adder tree and the accumulator (≈ ACC LUTs per term, carry chains);
 * - thresholds: per lane `steps` compares (≈ K/3 LUTs each with carry chains) and the count;
 * - weight and threshold ROMs (src/hdl/rom-estimate.ts).
 */
import { codingOf, resources, romSynthEstimate, thresholdRows, type KernelNodeView } from '../../src/kernel.js';
import { kernelSize, vvau } from './_model.js';
import { vvauAccumulatorRange, vvauDatapath } from './_rtl-gen.js';

export function synthEstimate(node: KernelNodeView): Record<string, number> {
  const a = vvau(node);
  const w = node.constantInput(1);
  // Without the weights, the accumulator range from the weight datatype's extremes.
  const range = w ? vvauAccumulatorRange(w, a) : { lo: -(2 ** 15), hi: 2 ** 15 };
  const { XV, WV, PW, ACC } = vvauDatapath(a, range);
  const { PE, SIMD } = a;
  const K = kernelSize(a);
  const SF = K / SIMD;
  const NF = a.Channels / PE;
  const bip = [codingOf(a.inputDataType), codingOf(a.weightDataType)].filter((c) => c === 'bipolar').length;
  const onDsp = PW >= 9 && XV >= 2 && WV >= 2 && bip === 0;
  const dspPer = onDsp ? Math.ceil(XV / 25) * Math.ceil(WV / 18) : 0;
  const mult = onDsp ? 0 : bip === 2 ? 0 : bip === 1 ? Math.max(XV, WV) : XV * WV + XV + WV;
  // Terms per lane: SIMD products, plus the accumulator when SF > 1; DSPs absorb the adds of their chain
  // but not the accumulator's reset multiplexer.
  const terms = SIMD - 1 + (SF > 1 ? 1 : 0);
  const adders = onDsp ? (SF > 1 ? ACC : 0) : terms * ACC;
  let act = 0;
  let thrRom = { LUT: 0, BRAM_18K: 0 };
  const thr = a.noActivation === 0 ? node.constantInput(2) : undefined;
  if (thr) {
    const { steps } = thresholdRows(thr, a.Channels);
    act = steps * (Math.ceil(ACC / 3) + 1);
    // Threshold words have many constant high bits: about 0.4 of the ROM estimate.
    const t = romSynthEstimate(NF, PE * steps * ACC, false);
    thrRom = { LUT: 0.4 * t.LUT, BRAM_18K: t.BRAM_18K };
  }
  const wRom = romSynthEstimate(NF * SF, PE * SIMD * (w ? WV - (codingOf(a.weightDataType) === 'unsigned' ? 1 : 0) : WV), false);
  const control = 2 * (Math.ceil(Math.log2(SF + 1)) + Math.ceil(Math.log2(NF + 1))) + 4;
  return resources({
    LUT: Math.round(PE * (SIMD * mult + adders + act) + wRom.LUT + thrRom.LUT + control),
    DSP: PE * SIMD * dspPer,
    BRAM_18K: wRom.BRAM_18K + thrRom.BRAM_18K,
  });
}
