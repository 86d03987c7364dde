/**
 * What Yosys (0.23, `synth_xilinx -family xc7`) makes of the MVAU RTL (_rtl-gen.ts): a first fit over the
 * table of docs/RTL-ESTIMATES.md. XNOR-popcount: about 15 LUT per lane and SIMD element. Multipliers: a linear
 * form in the products (P·S·product bits), the weight ROM in LUTs (P·S·W bits × ceil(words/64)), the threshold
 * comparators and ROM (P·T·ACC) and the adders (P·S·ACC). It does NOT yet meet the 15% target on every
 * configuration (the weight ROM is constant and Yosys folds it into the datapath): see the doc. BRAM is not
 * predicted (the table's weight ROMs stay in LUTs).
 */
import type { KernelNodeView, ResourceEstimate } from '../../src/index.js';
import { datatype, synthResources } from '../../src/kernel.js';
import { mvau } from './_model.js';

function valueBits(dt: string): number {
  const t = datatype(dt);
  return t.name === 'BIPOLAR' ? 2 : t.signed() ? t.bitwidth() : t.bitwidth() + 1;
}

/** Constant ROMs deeper than 512 words and larger than 16 Kbit go to RAMB36E1s on the table; others stay in LUTs. */
export function weightBlockRams(depth: number, width: number): number {
  if (depth <= 512 || depth * width <= 16384) return 0;
  return Math.min(...[[9, 4096], [18, 2048], [36, 1024], [72, 512]].map(([w, d]) => Math.ceil(width / w!) * Math.ceil(depth / d!)));
}

export function synthEstimate(node: KernelNodeView): ResourceEstimate {
  const a = mvau(node);
  const { PE: P, SIMD: S, MW, MH } = a;
  const SF = MW / S;
  const NF = MH / P;
  const WMEM = SF * NF;
  const W = datatype(a.weightDataType).bitwidth();
  if (a.binaryXnorMode === 1) return synthResources({ LUT: 15 * P * S + 50, FF: P * (Math.ceil(Math.log2(MW + 1)) + 1) + 20, BRAM_36K: weightBlockRams(WMEM, P * S * W) });
  const XV = valueBits(a.inputDataType);
  const WV = valueBits(a.weightDataType);
  const bipolar = datatype(a.inputDataType).name === 'BIPOLAR' && datatype(a.weightDataType).name === 'BIPOLAR';
  const prod = bipolar ? 2 : XV * WV;
  const ACC = Math.ceil(Math.log2(MW * 2 ** (XV - 1) * 2 ** (WV - 1) + 1)) + 1;
  const T = a.noActivation === 1 ? 0 : 2 ** datatype(a.outputDataType).bitwidth() - 1;
  const rom = P * S * W * (WMEM > 1 ? Math.ceil(WMEM / 64) : 0);
  const thr = P * T * ACC * (1 + (NF > 1 ? Math.ceil(NF / 64) : 0));
  const bram = weightBlockRams(WMEM, P * S * W);
  const lut = 0.0295 * P * S * prod + 0.2584 * (bram ? 0 : rom) + 0.6434 * thr + 1.0 * P * S * ACC + 89;
  // Yosys maps a multiplier to a DSP48E1 when its product is at least 9 bits wide (DSP_Y_MINWIDTH).
  const dsp = !bipolar && XV + WV >= 9 ? P * S : 0;
  return synthResources({ LUT: lut, FF: P * (ACC + datatype(a.outputDataType).bitwidth()) + 20, BRAM_36K: bram, DSP: dsp });
}
