/**
 * Arithmetic on stream elements in generated Verilog, shared by the kernels that multiply or add elements
 * (MVAU, VVAU, ChannelwiseOp): how a datatype's bits read as a number, and widening them to two's complement.
 */
import { parseDataType } from '../datatype/index.js';
import { foldRom, type ElementCoding } from './verilog.js';
import { laneActivation, thresholdRows, thresholdWords } from './thresholds.js';
import { readmemh } from './pack.js';
import type { TensorValue } from '../tensor/tensor-value.js';

/** The coding of datatype `dtName`'s elements: BIPOLAR, signed (two's complement) or unsigned. */
export function codingOf(dtName: string): ElementCoding {
  const dt = parseDataType(dtName);
  return dt.name === 'BIPOLAR' ? 'bipolar' : dt.signed() ? 'signed' : 'unsigned';
}

/** Width of a `bits`-bit element of `coding` read as a two's-complement value (BIPOLAR: 2, unsigned: bits + 1). */
export function valueBits(coding: ElementCoding, bits: number): number {
  return coding === 'bipolar' ? 2 : coding === 'signed' ? bits : bits + 1;
}

/**
 * `expr` (an element of `from` bits and `coding`; `bit(i)` selects its bit i) as a `to`-bit two's-complement
 * expression (to ≥ valueBits(coding, from)).
 */
export function extendElement(expr: string, bit: (i: number) => string, from: number, coding: ElementCoding, to: number): string {
  if (coding === 'bipolar') return to === 2 ? `{~${bit(0)}, 1'b1}` : `{{${to - 1}{~${bit(0)}}}, 1'b1}`;
  if (to === from) return expr;
  return coding === 'unsigned' ? `{${to - from}'d0, ${expr}}` : `{{${to - from}{${bit(from - 1)}}}, ${expr}}`;
}

/** `expr` of `from` bits, sign-extended with bit `sign` to `to` bits. */
export function signExtend(expr: string, sign: string, from: number, to: number): string {
  return to === from ? expr : `{{${to - from}{${sign}}}, ${expr}}`;
}

/** The operands and sum of a multiply-accumulate lane. */
export interface MacOperands {
  xBits: number;
  wBits: number;
  xCoding: ElementCoding;
  wCoding: ElementCoding;
  /** multiply: two's-complement products; xnor: count of matching bits; bipolar: ±1 per match / mismatch. */
  mode: 'multiply' | 'xnor' | 'bipolar';
  /** Accumulator width. */
  acc: number;
}

export interface MacLane extends MacOperands {
  /** Lane index p (names its wires dot_p, sum_p, y_p …). */
  lane: number;
  /** Products per cycle. */
  simd: number;
  /** Bit offset in `x_word` / `w_word` of this lane's element s (`s` is the loop variable's name). */
  xOffset: (s: string) => string;
  wOffset: (s: string) => string;
  /** More than one fold per output: accumulate over cycles (needs `first_sf`, `last_sf`, `step`). */
  folds: boolean;
  /** Thresholds on the sum (word `t_word`, src/hdl/thresholds.ts), else the sum in the output's bits. */
  activation?: { steps: number; bits: number; outputDatatype: string; actVal: number };
  outBits: number;
}

/**
 * One lane of a multiply-accumulate kernel (MVAU, VVAU): `dot_p`, the sum of this cycle's SIMD products of
 * `x_word` and `w_word` elements; `sum_p`, added to the accumulator of the previous folds; `y_p`, its
 * activation or its value in `outBits` bits.
 */
export function macLane(l: MacLane): string {
  const p = l.lane;
  const ACC = l.acc;
  const XV = valueBits(l.xCoding, l.xBits);
  const WV = valueBits(l.wCoding, l.wBits);
  const PW = XV + WV;
  const s = `s_${p}`;
  const xs = (i: number | string) => `x_word[${l.xOffset(s)} + ${i}]`;
  const ws = (i: number | string) => `w_word[${l.wOffset(s)} + ${i}]`;
  const xsel = l.xBits === 1 ? xs(0) : `x_word[${l.xOffset(s)} +: ${l.xBits}]`;
  const wsel = l.wBits === 1 ? ws(0) : `w_word[${l.wOffset(s)} +: ${l.wBits}]`;
  let b = `  reg [${ACC - 1}:0] dot_${p};\n`;
  if (l.mode === 'multiply') b += `  reg [${XV - 1}:0] xv_${p};\n  reg [${WV - 1}:0] wv_${p};\n  reg [${PW - 1}:0] pr_${p};\n`;
  b += `  integer ${s};\n  always @* begin\n    dot_${p} = ${ACC}'d0;\n`;
  b += `    for (${s} = 0; ${s} < ${l.simd}; ${s} = ${s} + 1) begin\n`;
  if (l.mode === 'xnor') {
    b += `      if (${xsel} == ${wsel}) dot_${p} = dot_${p} + ${ACC}'d1;\n`;
  } else if (l.mode === 'bipolar') {
    b += `      dot_${p} = (${xsel} == ${wsel}) ? dot_${p} + ${ACC}'d1 : dot_${p} - ${ACC}'d1;\n`;
  } else {
    b += `      xv_${p} = ${extendElement(xsel, xs, l.xBits, l.xCoding, XV)};\n`;
    b += `      wv_${p} = ${extendElement(wsel, ws, l.wBits, l.wCoding, WV)};\n`;
    b += `      pr_${p} = ${signExtend(`xv_${p}`, `xv_${p}[${XV - 1}]`, XV, PW)} * ${signExtend(`wv_${p}`, `wv_${p}[${WV - 1}]`, WV, PW)};\n`;
    b += `      dot_${p} = dot_${p} + ${signExtend(`pr_${p}`, `pr_${p}[${PW - 1}]`, PW, ACC)};\n`;
  }
  b += '    end\n  end\n';
  if (l.folds) {
    b += `  reg [${ACC - 1}:0] acc_${p};\n`;
    b += `  wire [${ACC - 1}:0] sum_${p} = (first_sf ? ${ACC}'d0 : acc_${p}) + dot_${p};\n`;
    b += `  always @(posedge ap_clk) if (step && !last_sf) acc_${p} <= sum_${p};\n`;
  } else {
    b += `  wire [${ACC - 1}:0] sum_${p} = dot_${p};\n`;
  }
  const OB = l.outBits;
  if (l.activation) {
    b += laneActivation({ lane: p, value: `sum_${p}`, word: 't_word', ...l.activation, outBits: OB, out: `y_${p}` });
  } else if (OB >= ACC) {
    b += `  wire [${OB - 1}:0] y_${p} = ${signExtend(`sum_${p}`, `sum_${p}[${ACC - 1}]`, ACC, OB)};\n`;
  } else {
    b += `  wire [${OB - 1}:0] y_${p} = sum_${p}[${OB - 1}:0];\n  wire unused_sum_${p} = &{1'b0, sum_${p}[${ACC - 1}:${OB}]};\n`;
  }
  return b;
}

export interface MacMemorySpec {
  /** Node name: names the `$readmemh` files. */
  node: string;
  /** Weight words, one per (nf, sf) tile in the order the tiles are stepped. */
  weights: { words: readonly bigint[]; bits: number };
  /** The weights feed XNOR lanes: word 0 after reset through a select the XNORs absorb (RomResetRead). */
  xnor?: boolean;
  /** Thresholds (C or 1, steps) of the C = PE·NF channels, compared with `acc`-bit sums in [lo, hi]. */
  thresholds?: { tensor: TensorValue; channels: number; pe: number; lo: number; hi: number; acc: number };
}

/**
 * The constant memories of a multiply-accumulate kernel (MVAU, VVAU): `w_word`, the weight word of the tile
 * (one per `step`, wrapping after the last), and with thresholds `t_word`, the threshold word of fold `nf`
 * (the caller's foldCounter('nf', NF, 'step && last_sf')). Both are registered ROM reads
 * (foldRom), so their constant contents stay out of the multipliers and comparators. Returns the Verilog
 * text, the memory files and the threshold layout for macLane's activation.
 */
export function macMemories(m: MacMemorySpec): { text: string; files: Record<string, string>; activation?: { steps: number; bits: number } } {
  const whex = `${m.node}_weights.hex`;
  const files: Record<string, string> = { [whex]: readmemh(m.weights.words, m.weights.bits) };
  let text = foldRom('weights', 'w_word', m.weights.words, m.weights.bits, whex, 'step', m.xnor ? 'select' : 'address');
  const t = m.thresholds;
  if (!t) return { text, files };
  const { rows } = thresholdRows(t.tensor, t.channels);
  const tw = thresholdWords(rows, t.pe, t.lo, t.hi, t.acc);
  const thex = `${m.node}_thresholds.hex`;
  files[thex] = readmemh(tw.words, tw.bits);
  text += foldRom('thresholds', 't_word', tw.words, tw.bits, thex, 'step && last_sf');
  return { text, files, activation: { steps: tw.steps, bits: tw.bits / (t.pe * tw.steps) } };
}
