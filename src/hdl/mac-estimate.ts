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

/** Value range of a `bits`-bit element of `coding` (BIPOLAR: ±1). */
function elementRange(coding: ElementCoding, bits: number): [number, number] {
  if (coding === 'bipolar') return [-1, 1];
  return coding === 'signed' ? [-(2 ** (bits - 1)), 2 ** (bits - 1) - 1] : [0, 2 ** bits - 1];
}

/**
 * LUTs of one LUT multiplier, as Yosys 0.23 maps a standalone registered product (measured, docs/RTL-ESTIMATES.md):
 * ABC builds each of the product's O distinct bits (the two's-complement width of its range; the sign extension
 * above repeats one bit) from the n = xBits + wBits operand bits: up to 6 inputs one LUT per bit and n − 4 more
 * for the carries (a CARRY4 appears from n = 4), above 6 inputs 2^(n−6) LUT6 per bit (joined by MUXF7/F8).
 * Measured LUTs 2, 3, 4, 5, 6, 6, 8, 8, 9, 32 for BINARY×INT2, BINARY×INT3, UINT2×INT2, INT2×INT2,
 * UINT2×INT3, INT3×INT2, INT3×INT3, INT4×INT2, UINT3×INT3, INT4×INT4; this gives 2, 3, 4, 4, 6, 6, 8, 8, 8, 32.
 */
export function lutMultiplierCells(m: Pick<MacOperands, 'xBits' | 'wBits' | 'xCoding' | 'wCoding'>): number {
  const [xl, xh] = elementRange(m.xCoding, m.xBits);
  const [wl, wh] = elementRange(m.wCoding, m.wBits);
  const ends = [xl * wl, xl * wh, xh * wl, xh * wh];
  const lo = Math.min(...ends);
  const hi = Math.max(...ends);
  const O = lo < 0 ? Math.max(clog2(hi + 1), clog2(-lo)) + 1 : clog2(hi + 1);
  const n = m.xBits + m.wBits;
  return n <= 6 ? O + Math.max(0, n - 4) : O * 2 ** (n - 6);
}

/** `ungated`: read without the reset gate on the address (the XNOR weights' word-0 select). */
function romOf(r: { words?: readonly bigint[]; bits: number; depth: number } | undefined, ungated = false): ReturnType<typeof registeredRomEstimate> {
  if (!r) return { LUT: 0, FF: 0, BRAM_18K: 0, columns: 0 };
  return registeredRomEstimate(r.words ?? unknownRomWords(r.depth, r.bits), r.bits, false, ungated);
}

/** The weight ROM as read: the XNOR weights through the word-0 select (macMemories({ xnor })). */
function weightRomOf(m: MacEstimateSpec): ReturnType<typeof registeredRomEstimate> {
  return romOf(m.weights, m.mode === 'xnor');
}

/** Bits of a chain of `n` conditional increments whose widths grow as the count can (wreduce). */
export function countChainBits(n: number, cap = Infinity): number {
  let bits = 0;
  for (let s = 1; s <= n; s++) bits += Math.min(cap, clog2(s + 1));
  return bits;
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
  // PW-bit negate-or-pass. A LUT multiplier: lutMultiplierCells (its product's bits, each a function of all
  // the operand bits). A DSP48E1: none.
  const PW = XV + WV;
  if (m.mode === 'bipolar') add('bipolarMatch', P * S);
  else if (m.mode === 'multiply' && (m.xCoding === 'bipolar' || m.wCoding === 'bipolar')) add('negate', P * S * PW);
  else if (m.mode === 'multiply' && !dsp) add(constW ? 'mulConst' : 'mulLut', P * S * lutMultiplierCells(m));
  // Sums. XNOR: a chain of S conditional increments whose widths grow as the count can (wreduce), up to ACC.
  // Otherwise S products summed per lane by S − 1 ACC-bit adds (after DSPs, in their post-adders). With SF > 1 the
  // accumulator's add.
  if (m.mode === 'xnor') {
    add('popcount', P * countChainBits(S, ACC));
  } else add(dsp ? 'addDsp' : 'add', P * (S - 1) * ACC);
  if (m.sf > 1) add('accumulate', P * ACC);
  // Thresholds: per lane `steps` ACC-bit compares; the count of those that hold fits in their LUTs. Against
  // constants (one threshold word) the count is apart: a chain of `steps` increments (countChainBits).
  if (m.steps > 0 && constT) {
    add('cmpConst', P * m.steps * ACC);
    add('countConst', P * countChainBits(m.steps));
  } else if (m.steps > 0) add('cmp', P * m.steps * ACC);
  // XNOR weights are read with word 0 through a select after the read (RomResetRead 'select'), per varying
  // column, folded into the XNORs' LUTs.
  if (m.mode === 'xnor' && m.weights.depth > 1) add('wordSelect', weightRomOf(m).columns);
  // Fold counters (SF, NF and the input buffer's write count): a LUT per bit with its wrap and reset.
  add('counters', clog2(m.sf) + clog2(m.nf) + (m.inputBuffer && m.nf > 1 ? clog2(m.sf) : 0));
  // The MVAU's input buffers: two SF-word LUTRAMs (RAM32M/RAM64M) and the 2:1 multiplexer between them.
  if (m.inputBuffer && m.nf > 1) add('buffer', 2 * memoryResources(m.sf, S * m.xBits, false).LUT + S * m.xBits);
  return t;
}

/**
 * LUT per term: least squares of the relative error over the 66 MVAU and VVAU rows above 100 LUT of
 * bench/rtl-fit-table.ts, Yosys 0.23 (docs/RTL-ESTIMATES.md), reweighted toward the worst rows
 * (`node dist/bench/rtl-fit-weights.js rows.json mac TERM… --minimax`; `mulConst`, on one row, `popcount`,
 * `cmpConst` and `wordSelect` held, the others refitted with `counters`). A
 * popcount input bit costs ~2.7 LUT (the chain of conditional increments); a LUT multiplier ~1.4 per
 * lutMultiplierCells LUT, each add of the products' sum 1.1 per ACC bit (a ±1 match's add too, on top of its
 * own ~0.6 per element); adds after DSPs go into the DSP48E1s' post-adders and cascades (~0). Compares against
 * constants (one threshold word) cost 0.24 per bit and their count 1.69 per bit of its chain of increments:
 * the count, not the compares, dominates from 7 steps. The XNOR weights' word-0 select costs ~0.5 LUT per
 * varying ROM column (fitted alone on the 58 rows, the others held). The fold counters cost ~2.5 LUT per bit
 * (with their wrap compares and the handshake they drive): what one- and two-bit lanes behind deep folds are
 * mostly made of (TFC's last layer 64x10 S1 P1; the table's rows of that family missed by −28…−39% without it).
 */
export const MAC_LUT_WEIGHTS: Record<string, number> = {
  popcount: 2.67, bipolarMatch: 0.452, negate: 0.856, mulLut: 1.436, mulConst: 0.11, add: 1.042, addDsp: 0.021,
  accumulate: 1.635, cmp: 1.173, cmpConst: 0.238, countConst: 1.607, buffer: 1.326, wordSelect: 0.484, counters: 2.467,
};

/** The LUT parts of a MAC kernel: the ROMs' LUTs (from their contents, not weighted) and the datapath terms. */
export function macLutParts(m: MacEstimateSpec): { rom: number; terms: Record<string, number> } {
  return { rom: weightRomOf(m).LUT + romOf(m.thresholds).LUT, terms: macTerms(m) };
}

/** Σ weight × term (a term without a weight costs nothing). */
export function weightedTerms(terms: Record<string, number>, weights: Record<string, number>): number {
  return Object.entries(terms).reduce((s, [k, v]) => s + (weights[k] ?? 0) * v, 0);
}

/** LUT, FF, BRAM_18K and DSP of a MAC kernel: ROMs (registeredRomEstimate) plus the weighted datapath terms. */
export function macSynthEstimate(m: MacEstimateSpec): { LUT: number; FF: number; BRAM_18K: number; DSP: number } {
  const w = weightRomOf(m);
  const th = romOf(m.thresholds);
  const datapath = weightedTerms(macTerms(m), MAC_LUT_WEIGHTS);
  // Registers: the ROM words (and the XNOR weights' word-0 flag), accumulators, the output register, counters and (one-word) input buffers.
  const ff = w.FF + th.FF + (m.mode === 'xnor' && m.weights.depth > 1 ? 1 : 0) + (m.sf > 1 ? m.pe * m.acc : 0) + m.pe * m.outBits + 2 * clog2(m.sf * m.nf) + clog2(m.nf) + 4
    + (m.inputBuffer && m.nf > 1 && m.sf === 1 ? 2 * m.simd * m.xBits : 0);
  return { LUT: Math.round(w.LUT + th.LUT + datapath), FF: ff, BRAM_18K: w.BRAM_18K + th.BRAM_18K, DSP: m.pe * m.simd * macDspPerProduct(m) };
}
