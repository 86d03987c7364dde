/**
 * What Yosys 0.23 `synth_xilinx` (xc7) makes of a multiply-accumulate kernel built from macLane and
 * macMemories (MVAU, VVAU), term by term. The constant ROMs are registered reads (romReadAtCounter), so their
 * cost is their own (registeredRomEstimate, from the contents) and the datapath behind them is generic: its
 * terms are counts of the cells it is built from, weighted by a fit over the table of docs/RTL-ESTIMATES.md
 * (`MAC_LUT_WEIGHTS`). A one-word ROM stays a constant that Yosys folds into the logic it feeds, which the
 * `*Const` terms count.
 */
import type { ElementCoding } from './verilog.js';
import { clog2 } from './verilog.js';
import { valueBits, type MacOperands } from './datapath.js';
import { registeredRomEstimate, unknownRomWords } from './rom-estimate.js';
import { memoryResources } from './streams.js';

export interface MacEstimateSpec extends MacOperands {
  pe: number;
  simd: number;
  /** Folds per output (SF) and outputs per lane per vector (NF). */
  sf: number;
  nf: number;
  outBits: number;
  /** Threshold steps (0: no activation). */
  steps: number;
  /** ROM words as generated (macMemories); absent when the constants are unknown (every column varying). */
  weights: { words?: readonly bigint[]; bits: number; depth: number };
  thresholds?: { words?: readonly bigint[]; bits: number; depth: number };
  /** The MVAU's double SF-word input buffer (read while the NF folds replay a vector). */
  inputBuffer: boolean;
}

/** DSP48E1 per product: Yosys maps a multiplier when its product is ≥ 9 bits and both operands ≥ 2 bits. */
export function macDspPerProduct(m: MacEstimateSpec): number {
  if (m.mode !== 'multiply' || m.xCoding === 'bipolar' || m.wCoding === 'bipolar') return 0;
  const XV = valueBits(m.xCoding, m.xBits);
  const WV = valueBits(m.wCoding, m.wBits);
  return XV + WV >= 9 && XV >= 2 && WV >= 2 ? Math.ceil(XV / 25) * Math.ceil(WV / 18) : 0;
}

function romOf(r: { words?: readonly bigint[]; bits: number; depth: number } | undefined): ReturnType<typeof registeredRomEstimate> {
  if (!r) return { LUT: 0, FF: 0, BRAM_18K: 0, columns: 0 };
  return registeredRomEstimate(r.words ?? unknownRomWords(r.depth, r.bits), r.bits);
}

/**
 * The cell-count terms of the datapath (LUTs before weighting): products, adders, compares, input buffer.
 * Terms whose operand is a constant (a one-word ROM) are counted apart.
 */
export function macTerms(m: MacEstimateSpec): Record<string, number> {
  const { pe: P, simd: S, acc: ACC } = m;
  const XV = valueBits(m.xCoding, m.xBits);
  const WV = valueBits(m.wCoding, m.wBits);
  const dsp = macDspPerProduct(m) > 0;
  const constW = m.weights.depth <= 1;
  const constT = (m.thresholds?.depth ?? 0) <= 1;
  const t: Record<string, number> = {};
  const add = (k: string, v: number): void => {
    t[k] = (t[k] ?? 0) + v;
  };
  // Products. XNOR: folded into the popcount. BIPOLAR × BIPOLAR: a ±1 per match. One BIPOLAR operand: a
  // PW-bit negate-or-pass. A LUT multiplier multiplies both operands sign-extended to the product width PW and
  // keeps PW bits: its partial-product bits are those (i, j), i + j < PW, where neither operand bit is a
  // constant 0 (an unsigned operand's extension). A DSP48E1: none.
  const PW = XV + WV;
  const live = (bits: number, coding: ElementCoding): number => (coding === 'unsigned' ? bits : PW);
  let partial = 0;
  for (let i = 0; i < live(m.xBits, m.xCoding); i++) partial += Math.max(0, Math.min(live(m.wBits, m.wCoding), PW - i));
  if (m.mode === 'bipolar') add('bipolarMatch', P * S);
  else if (m.mode === 'multiply' && (m.xCoding === 'bipolar' || m.wCoding === 'bipolar')) add('negate', P * S * PW);
  else if (m.mode === 'multiply' && !dsp) add(constW ? 'mulConst' : 'mulLut', P * S * partial);
  // Sums. XNOR: a chain of S conditional increments whose widths grow as the count can (wreduce), up to ACC.
  // Otherwise S ACC-bit terms summed per lane (after DSPs too, in LUTs). With SF > 1 the accumulator's add.
  if (m.mode === 'xnor') {
    let chain = 0;
    for (let s = 1; s <= S; s++) chain += Math.min(ACC, clog2(s + 1));
    add('popcount', P * chain);
  } else add(dsp ? 'addDsp' : 'add', P * S * ACC);
  if (m.sf > 1) add('accumulate', P * ACC);
  // Thresholds: per lane `steps` ACC-bit compares (against constants when there is one threshold word); the
  // count of those that hold fits in their LUTs.
  if (m.steps > 0) add(constT ? 'cmpConst' : 'cmp', P * m.steps * ACC);
  // The MVAU's input buffers: two SF-word LUTRAMs (RAM32M/RAM64M) and the 2:1 multiplexer between them.
  if (m.inputBuffer && m.nf > 1) add('buffer', 2 * memoryResources(m.sf, S * m.xBits, false).LUT + S * m.xBits);
  return t;
}

/**
 * LUT per term: weighted least squares (relative error) over the 55 MVAU and VVAU rows of
 * bench/rtl-fit-table.ts, Yosys 0.23 (docs/RTL-ESTIMATES.md). A popcount input bit costs ~3 LUT (the chain of
 * conditional increments), a ±1 match ~5.5 (an ACC-bit add or subtract per element), a partial-product bit
 * ~1.1; adds after LUT multipliers mostly merge into them (0.18 per bit), after DSPs into the carry chains of
 * the accumulator (0.06). `mulConst` and `cmpConst` (one-word ROMs folded into the logic) rest on one
 * configuration each.
 */
export const MAC_LUT_WEIGHTS: Record<string, number> = {
  popcount: 3.06, bipolarMatch: 5.5, negate: 1.52, mulLut: 1.12, mulConst: 0.42, add: 0.18, addDsp: 0.06,
  accumulate: 1.8, cmp: 1.09, cmpConst: 0.76, buffer: 1.81,
};

/** LUT, FF, BRAM_18K and DSP of a MAC kernel: ROMs (registeredRomEstimate) plus the weighted datapath terms. */
export function macSynthEstimate(m: MacEstimateSpec): { LUT: number; FF: number; BRAM_18K: number; DSP: number } {
  const w = romOf(m.weights);
  const th = romOf(m.thresholds);
  const terms = macTerms(m);
  const datapath = Object.entries(terms).reduce((s, [k, v]) => s + (MAC_LUT_WEIGHTS[k] ?? 0) * v, 0);
  // Registers: the ROM words, accumulators, the output register, counters and (one-word) input buffers.
  const ff = w.FF + th.FF + (m.sf > 1 ? m.pe * m.acc : 0) + m.pe * m.outBits + 2 * clog2(m.sf * m.nf) + clog2(m.nf) + 4
    + (m.inputBuffer && m.nf > 1 && m.sf === 1 ? 2 * m.simd * m.xBits : 0);
  return { LUT: Math.round(w.LUT + th.LUT + datapath), FF: ff, BRAM_18K: w.BRAM_18K + th.BRAM_18K, DSP: m.pe * m.simd * macDspPerProduct(m) };
}
