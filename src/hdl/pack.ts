/**
 * FINN's stream packing (finn-hardware reference §1): a folded tensor streams one word per index of every
 * axis but the last; the last folded axis is packed into the word with element 0 at the LSB. Elements are
 * encoded per QONNX datatype (unsigned plain, signed two's complement, BIPOLAR −1 → 0 / +1 → 1, FIXED as its
 * raw integer, FLOAT32 as its IEEE bits). AXI-Stream TDATA is the word zero-padded to a multiple of 8 bits.
 * Words are bigints so that any width is exact.
 */
import { BrainsmithError } from '../errors.js';
import { parseDataType, type DataType } from '../datatype/index.js';

type Dt = DataType | string;

function dtOf(dt: Dt): DataType {
  return typeof dt === 'string' ? parseDataType(dt) : dt;
}

function packError(message: string): BrainsmithError {
  return new BrainsmithError('E_HDL_PACK', message, { kind: 'work' });
}

/** TDATA width: `bits` rounded up to a multiple of 8 (FINN's padded stream width). */
export function paddedWidth(bits: number): number {
  return Math.ceil(bits / 8) * 8;
}

/** All-ones mask of `bits` bits. */
export function mask(bits: number): bigint {
  return (1n << BigInt(bits)) - 1n;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The raw bit pattern (bitwidth(dt) bits, unsigned) of one value of datatype `dt`. */
export function encodeElement(value: number | bigint, dt: Dt): bigint {
  const t = dtOf(dt);
  const bits = t.bitwidth();
  if (t.name === 'BIPOLAR') {
    if (Number(value) === 1) return 1n;
    if (Number(value) === -1) return 0n;
    throw packError(`${value} is not a BIPOLAR value (−1 or +1)`);
  }
  if (t.name === 'FLOAT32') {
    f32[0] = Number(value);
    return BigInt(u32[0]!);
  }
  let raw: bigint;
  if (t.isFixedPoint()) {
    const r = Number(value) / t.scaleFactor();
    if (!Number.isInteger(r)) throw packError(`${value} is not a multiple of the ${t.name} step ${t.scaleFactor()}`);
    raw = BigInt(r);
  } else if (t.isInteger()) {
    if (typeof value === 'number' && !Number.isInteger(value)) throw packError(`${value} is not an integer (${t.name})`);
    raw = BigInt(value);
  } else {
    throw packError(`datatype ${t.name} has no stream encoding`);
  }
  if (!t.allowed(t.isFixedPoint() ? Number(value) : raw)) throw packError(`${value} is outside ${t.name}`);
  return raw & mask(bits);
}

/** The value of a raw bit pattern of datatype `dt` (sign-extended for signed types, BIPOLAR 0 → −1). */
export function decodeElement(raw: bigint, dt: Dt): number {
  const t = dtOf(dt);
  const bits = t.bitwidth();
  const r = raw & mask(bits);
  if (t.name === 'BIPOLAR') return r === 1n ? 1 : -1;
  if (t.name === 'FLOAT32') {
    u32[0] = Number(r);
    return f32[0]!;
  }
  const signed = t.isFixedPoint() || t.signed();
  const v = signed && r >> BigInt(bits - 1) === 1n ? r - (1n << BigInt(bits)) : r;
  return t.isFixedPoint() ? Number(v) * t.scaleFactor() : Number(v);
}

/** One word of `values` (element 0 at the LSB), each `bitwidth(dt)` bits wide. */
export function packWord(values: ArrayLike<number | bigint>, dt: Dt): bigint {
  const t = dtOf(dt);
  const b = BigInt(t.bitwidth());
  let word = 0n;
  for (let i = values.length - 1; i >= 0; i--) word = (word << b) | encodeElement(values[i]!, t);
  return word;
}

/** The `count` elements of one word (element 0 at the LSB); bits above count·bitwidth are ignored. */
export function unpackWord(word: bigint, count: number, dt: Dt): number[] {
  const t = dtOf(dt);
  const bits = t.bitwidth();
  const b = BigInt(bits);
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(decodeElement(word >> (BigInt(i) * b), t));
  return out;
}

/**
 * A flat tensor (C order of its folded shape) as stream words of `elemsPerWord` elements: word k holds
 * elements k·E … k·E+E−1. The length must be a multiple of E.
 */
export function packStream(values: ArrayLike<number | bigint>, elemsPerWord: number, dt: Dt): bigint[] {
  if (values.length % elemsPerWord !== 0) throw packError(`${values.length} values do not fill words of ${elemsPerWord} elements`);
  const t = dtOf(dt);
  const words: bigint[] = [];
  const row: (number | bigint)[] = new Array(elemsPerWord);
  for (let k = 0; k < values.length; k += elemsPerWord) {
    for (let i = 0; i < elemsPerWord; i++) row[i] = values[k + i]!;
    words.push(packWord(row, t));
  }
  return words;
}

/** The inverse of packStream: the flat values of `words`, `elemsPerWord` each. */
export function unpackStream(words: readonly bigint[], elemsPerWord: number, dt: Dt): Float64Array {
  const t = dtOf(dt);
  const out = new Float64Array(words.length * elemsPerWord);
  words.forEach((w, k) => out.set(unpackWord(w, elemsPerWord, t), k * elemsPerWord));
  return out;
}

/** `word` as ceil(bits/4) hex digits (lower case, zero-padded), as `$readmemh` reads it. */
export function hexWord(word: bigint, bits: number): string {
  if (word < 0n || word > mask(bits)) throw packError(`word ${word} does not fit in ${bits} bits`);
  return word.toString(16).padStart(Math.max(1, Math.ceil(bits / 4)), '0');
}

/** A `$readmemh` file: one word per line, in address order. */
export function readmemh(words: readonly bigint[], bits: number): string {
  return words.map((w) => hexWord(w, bits)).join('\n') + '\n';
}

/** A sized Verilog hex literal, e.g. `8'h3f`. */
export function verilogHex(word: bigint, bits: number): string {
  return `${bits}'h${hexWord(word, bits)}`;
}

/** A normal shape folded for a stream of `elemsPerWord` elements per word: [...shape[:-1], last/E, E]. */
export function foldedShape(shape: readonly number[], elemsPerWord: number): number[] {
  const last = shape.at(-1) ?? 1;
  if (last % elemsPerWord !== 0) throw packError(`last axis ${last} of [${shape.join(', ')}] is not a multiple of ${elemsPerWord} elements per word`);
  return [...shape.slice(0, -1), last / elemsPerWord, elemsPerWord];
}
