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
  const steps = rows[0]!.length;
  const k = Math.max(width ?? 0, compareBits(lo, hi));
  const kb = BigInt(k);
  const words: bigint[] = [];
  for (let f = 0; f < rows.length / pe; f++) {
    let w = 0n;
    for (let p = pe - 1; p >= 0; p--) {
      const row = rows[f * pe + p]!;
      for (let t = steps - 1; t >= 0; t--) w = (w << kb) | (BigInt(clampThreshold(row[t]!, lo, hi)) & mask(k));
    }
    words.push(w);
  }
  return { words, bits: pe * steps * k, steps };
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
  const lines = [
    `  reg [${cw - 1}:0] ${cnt};`,
    `  integer ${t};`,
    '  always @* begin',
    `    ${cnt} = ${cw}'d0;`,
    `    for (${t} = 0; ${t} < ${l.steps}; ${t} = ${t} + 1)`,
    `      if ($signed(${l.word}[(${l.lane * l.steps} + ${t}) * ${l.bits} +: ${l.bits}]) <= $signed(${l.value})) ${cnt} = ${cnt} + ${cw}'d1;`,
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
