/**
 * Multi-threshold activation in hardware, shared by kernels that end in thresholds (Thresholding, MVAU).
 * Layout (reference §2.1/§2.3): thresholds as (PE, TMEM, steps) with T_hw[p][f][t] = T[f·PE + p][t]; one
 * memory word per fold f holding every lane's steps, threshold (p, t) at bit offset (p·S + t)·K, LSB first.
 * Values are K-bit two's complement, K wide enough for the compared value's range plus one: a threshold is
 * replaced by ceil(t) clamped to [lo, hi + 1], which leaves `x ≥ t` unchanged for every integer x in [lo, hi].
 * Output per lane: y = ActVal + #{t : T[t] ≤ x} in the output's bits (BIPOLAR: the count itself, 0 → −1).
 */
import { BrainsmithError } from '../errors.js';
import type { TensorValue } from '../tensor/tensor-value.js';
import { tensorToNumbers } from '../tensor/tensor-value.js';
import { encodeElement, mask } from './pack.js';
import { clog2 } from './verilog.js';

/** Smallest two's-complement width holding every integer of [lo, hi]. */
export function signedBits(lo: number, hi: number): number {
  let w = 1;
  while (lo < -(2 ** (w - 1)) || hi > 2 ** (w - 1) - 1) w++;
  return w;
}

/** Per-channel threshold rows from a (C or 1, S) tensor (a single row serves every channel). */
export function thresholdRows(thr: TensorValue, channels: number): { rows: Float64Array[]; steps: number } {
  const t = tensorToNumbers(thr);
  const n = thr.dims.length >= 2 ? thr.dims[0]! : 1;
  const steps = thr.dims.length >= 2 ? thr.dims[1]! : thr.dims[0] ?? 0;
  if (n !== channels && n !== 1) {
    throw new BrainsmithError('E_HDL_PARAM', `thresholds have ${n} rows, expected ${channels} (one per channel) or 1`, { kind: 'input' });
  }
  if (steps < 1) throw new BrainsmithError('E_HDL_PARAM', 'thresholds have no steps', { kind: 'input' });
  const rows = Array.from({ length: channels }, (_, c) => t.subarray((n === 1 ? 0 : c) * steps, (n === 1 ? 0 : c) * steps + steps));
  return { rows, steps };
}

/** The compare width for values in [lo, hi]: thresholds range over [lo, hi + 1]. */
export function compareBits(lo: number, hi: number): number {
  return signedBits(lo, hi + 1);
}

/** ceil(t) clamped to [lo, hi + 1]. */
export function clampThreshold(t: number, lo: number, hi: number): number {
  if (Number.isNaN(t)) throw new BrainsmithError('E_HDL_PARAM', 'a threshold is NaN', { kind: 'input' });
  return Math.min(Math.max(Math.ceil(t), lo), hi + 1);
}

/** TMEM = C/PE words of PE·S·K bits (K = compareBits, or `width` when wider): threshold (p, t) of fold f = T[f·PE + p][t] at offset (p·S + t)·K. */
export function thresholdWords(rows: readonly Float64Array[], pe: number, lo: number, hi: number, width?: number): { words: bigint[]; bits: number; steps: number } {
  const k = Math.max(width ?? 0, compareBits(lo, hi));
  return packThresholds(rows, pe, k, (t) => BigInt(clampThreshold(t, lo, hi)) & mask(k));
}

/**
 * Float32 inputs: compares go through an order-preserving 32-bit key of the IEEE-754 bit pattern b
 * (−0 first canonicalised to +0; sign 0: b with the sign bit set; sign 1: ~b), so for every non-NaN float32
 * x and t, `x ≥ t` ⇔ key(x) ≥ key(t) unsigned. The key of a float32 bit pattern.
 */
export function floatKey(bitsOfFloat: number): bigint {
  const b = bitsOfFloat === 0x80000000 ? 0 : bitsOfFloat >>> 0;
  return BigInt((b & 0x80000000 ? ~b : b | 0x80000000) >>> 0);
}

/**
 * The key of threshold t: t rounded up to the nearest float32 (exact for float32 thresholds; for any other
 * number the smallest float32 ≥ t, which leaves `x ≥ t` unchanged for every float32 x). NaN is rejected.
 */
export function floatThresholdKey(t: number): bigint {
  if (Number.isNaN(t)) throw new BrainsmithError('E_HDL_PARAM', 'a threshold is NaN', { kind: 'input' });
  const f = Math.fround(t);
  let b = Number(encodeElement(f, 'FLOAT32'));
  // Below t: one float32 step up, the bit pattern's successor in value order.
  if (f < t) b = f === 0 ? 1 : b >= 0x80000000 ? b - 1 : b + 1;
  return floatKey(b);
}

/** thresholdWords for FLOAT32 inputs: every threshold as its 32-bit floatThresholdKey. */
export function floatThresholdWords(rows: readonly Float64Array[], pe: number): { words: bigint[]; bits: number; steps: number } {
  return packThresholds(rows, pe, 32, floatThresholdKey);
}

function packThresholds(rows: readonly Float64Array[], pe: number, k: number, encode: (t: number) => bigint): { words: bigint[]; bits: number; steps: number } {
  const steps = rows[0]!.length;
  const kb = BigInt(k);
  const words: bigint[] = [];
  for (let f = 0; f < rows.length / pe; f++) {
    let w = 0n;
    for (let p = pe - 1; p >= 0; p--) {
      const row = rows[f * pe + p]!;
      for (let t = steps - 1; t >= 0; t--) w = (w << kb) | encode(row[t]!);
    }
    words.push(w);
  }
  return { words, bits: pe * steps * k, steps };
}

/**
 * Declares `wire [31:0] <name>`, the floatKey of the float32 at `src[off +: 32]`, and `wire <nan>`, high when
 * that float is a NaN (a NaN compares false with every threshold, so its lane must count none).
 */
export function floatKeyValue(name: string, nan: string, src: string, off: number): string {
  const b = `${name}_bits`;
  return [
    `  wire [31:0] ${b} = (${src}[${off + 31}:${off}] == 32'h80000000) ? 32'h0 : ${src}[${off + 31}:${off}];`,
    `  wire [31:0] ${name} = ${b}[31] ? ~${b} : {1'b1, ${b}[30:0]};`,
    `  wire ${nan} = (&${b}[30:23]) && (|${b}[22:0]);`,
    '',
  ].join('\n');
}

export interface LaneActivation {
  /** Lane index p (names its wires). */
  lane: number;
  /** Signed K-bit wire holding the lane's value. */
  value: string;
  /** Wire holding the fold's threshold word. */
  word: string;
  steps: number;
  /** Compare width K. */
  bits: number;
  /** Compare value and thresholds as unsigned (float keys) instead of two's complement. */
  unsigned?: boolean;
  /** A 1-bit wire that, when high, makes the lane count no threshold (a NaN input). */
  none?: string;
  /** Output element datatype; BIPOLAR outputs the count's bit. */
  outputDatatype: string;
  outBits: number;
  actVal: number;
  /** Name of the OUTBITS-wide wire to declare with the lane's result. */
  out: string;
}

/** Verilog (inside a module) counting the lane's thresholds ≤ value and adding ActVal. */
export function laneActivation(l: LaneActivation): string {
  const cw = clog2(l.steps + 1);
  const cnt = `cnt_${l.lane}`;
  const t = `t_${l.lane}`;
  const thr = `${l.word}[(${l.lane * l.steps} + ${t}) * ${l.bits} +: ${l.bits}]`;
  let cmp = l.unsigned ? `${thr} <= ${l.value}` : `$signed(${thr}) <= $signed(${l.value})`;
  if (l.none) cmp = `!${l.none} && ${cmp}`;
  const lines = [
    `  reg [${cw - 1}:0] ${cnt};`,
    `  integer ${t};`,
    '  always @* begin',
    `    ${cnt} = ${cw}'d0;`,
    `    for (${t} = 0; ${t} < ${l.steps}; ${t} = ${t} + 1)`,
    `      if (${cmp}) ${cnt} = ${cnt} + ${cw}'d1;`,
    '  end',
  ];
  const ob = l.outBits;
  const bipolar = l.outputDatatype === 'BIPOLAR';
  if (bipolar && l.steps !== 1) throw new BrainsmithError('E_HDL_PARAM', `a BIPOLAR output needs 1 threshold step, got ${l.steps}`, { kind: 'input' });
  const av = bipolar ? 0n : encodeActVal(l.actVal, ob);
  let n: string;
  if (ob >= cw) n = ob === cw ? cnt : `{${ob - cw}'d0, ${cnt}}`;
  else {
    n = `${cnt}[${ob - 1}:0]`;
    lines.push(`  wire unused_${cnt} = &{1'b0, ${cnt}[${cw - 1}:${ob}]};`);
  }
  lines.push(`  wire [${ob - 1}:0] ${l.out} = ${av === 0n ? n : `${n} + ${ob}'h${av.toString(16)}`};`);
  return lines.join('\n') + '\n';
}

function encodeActVal(v: number, bits: number): bigint {
  return BigInt(v) & mask(bits);
}
