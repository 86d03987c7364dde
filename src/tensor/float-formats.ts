import { BrainsmithError } from '../errors.js';
import { ElemType } from './element-type.js';

/**
 * Conversions between JS numbers / Float32Array and the narrow float formats ONNX stores as bit patterns:
 * FLOAT16, BFLOAT16, the four FLOAT8 variants, FLOAT8E8M0 and FLOAT4E2M1.
 *
 * Decoding is exact (every narrow value is a float32). Encoding rounds once, to nearest-even, from the
 * exact input number (a float64 is not first rounded to float32, so there is no double rounding), and
 * handles overflow, infinities and NaN the way ONNX's Cast operator defines them (saturate, default true,
 * applies to the FLOAT8 types only; FLOAT8E8M0 takes a rounding mode, default 'up'). FLOAT4E2M1 has no
 * Inf or NaN: it always saturates, and NaN becomes 0x8 as in ONNX's own Cast test data.
 */

export type FloatFormatCode =
  | typeof ElemType.FLOAT16 | typeof ElemType.BFLOAT16
  | typeof ElemType.FLOAT8E4M3FN | typeof ElemType.FLOAT8E4M3FNUZ
  | typeof ElemType.FLOAT8E5M2 | typeof ElemType.FLOAT8E5M2FNUZ
  | typeof ElemType.FLOAT4E2M1 | typeof ElemType.FLOAT8E8M0;

export type E8M0RoundMode = 'up' | 'down' | 'nearest';

export interface EncodeOptions {
  /** FLOAT8 only: out-of-range values and infinities become ±max (true, the default) instead of Inf/NaN. */
  saturate?: boolean;
  /** FLOAT8E8M0 only: how a value between two powers of two is rounded; default 'up' (ONNX's default). */
  roundMode?: E8M0RoundMode;
}

/**
 * A sign/exponent/mantissa format. NaN conventions:
 * 'ieee' — exponent all ones, mantissa ≠ 0 (and infinities with mantissa 0);
 * 'fn'   — only S.1111.111 is NaN, no infinities (E4M3FN);
 * 'fnuz' — only the negative-zero pattern 1000 0000 is NaN, no infinities, no −0;
 * 'none' — no NaN, no infinities (E2M1).
 */
interface MiniFloat {
  readonly expBits: number;
  readonly mantBits: number;
  readonly bias: number;
  readonly nan: 'ieee' | 'fn' | 'fnuz' | 'none';
  /** IEEE half/bfloat16 ignore `saturate` and overflow to infinity, like any IEEE conversion. */
  readonly alwaysIeeeOverflow: boolean;
  // Derived constants, so that the per-element encoders do no setup work.
  readonly signBit: number;
  /** Largest finite magnitude code; codes compare like the magnitudes they encode. */
  readonly maxCode: number;
  /** Smallest normal exponent, 1 − bias. */
  readonly emin: number;
}

function miniFloat(
  expBits: number, mantBits: number, bias: number, nan: MiniFloat['nan'], alwaysIeeeOverflow = false,
): MiniFloat {
  const signBit = 1 << (expBits + mantBits);
  const maxCode = nan === 'ieee' ? ((1 << expBits) - 1) * (1 << mantBits) - 1 // just below the infinity pattern
    : nan === 'fn' ? signBit - 2 // all ones is NaN
    : signBit - 1;
  return { expBits, mantBits, bias, nan, alwaysIeeeOverflow, signBit, maxCode, emin: 1 - bias };
}

const FORMATS: ReadonlyMap<number, MiniFloat> = new Map<number, MiniFloat>([
  [ElemType.FLOAT16, miniFloat(5, 10, 15, 'ieee', true)],
  [ElemType.BFLOAT16, miniFloat(8, 7, 127, 'ieee', true)],
  [ElemType.FLOAT8E4M3FN, miniFloat(4, 3, 7, 'fn')],
  [ElemType.FLOAT8E4M3FNUZ, miniFloat(4, 3, 8, 'fnuz')],
  [ElemType.FLOAT8E5M2, miniFloat(5, 2, 15, 'ieee')],
  [ElemType.FLOAT8E5M2FNUZ, miniFloat(5, 2, 16, 'fnuz')],
  [ElemType.FLOAT4E2M1, miniFloat(2, 1, 1, 'none')],
]);

export function isFloatFormat(code: number): code is FloatFormatCode {
  return FORMATS.has(code) || code === ElemType.FLOAT8E8M0;
}

function formatOf(code: number): MiniFloat {
  const f = FORMATS.get(code);
  if (f === undefined) throw new BrainsmithError('E_TENSOR_TYPE', `element type ${code} is not a narrow float format`);
  return f;
}

// ---------------------------------------------------------------------------------------------------------
// Float32 / float64 bit access

const f32Scratch = new Float32Array(1);
const u32OfF32 = new Uint32Array(f32Scratch.buffer);
const f64Scratch = new Float64Array(1);
const u32OfF64 = new Uint32Array(f64Scratch.buffer);
/** Index of the high word of a float64 in u32OfF64 (1 on little-endian hosts). */
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

function f32FromBits(bits: number): number {
  u32OfF32[0] = bits;
  return f32Scratch[0]!;
}

/** Unbiased binary exponent floor(log2 x) of a positive finite number, exact (also for float64 subnormals). */
function exponentOf(x: number): number {
  f64Scratch[0] = x;
  const e = (u32OfF64[HI]! >>> 20) & 0x7ff;
  if (e !== 0) return e - 1023;
  // float64 subnormal: scale into the normal range first.
  f64Scratch[0] = x * 2 ** 64;
  return ((u32OfF64[HI]! >>> 20) & 0x7ff) - 1023 - 64;
}

// ---------------------------------------------------------------------------------------------------------
// Decoding

/** Float32 bit pattern of one narrow-format code. NaN payloads and signs carry over where the format has them. */
function miniToF32Bits(f: MiniFloat, code: number): number {
  const { expBits: eb, mantBits: mb, bias, signBit } = f;
  const expMask = (1 << eb) - 1;
  const mantMask = (1 << mb) - 1;
  const negative = (code & signBit) !== 0;
  const exp = (code >>> mb) & expMask;
  const mant = code & mantMask;
  const sign32 = negative ? 0x80000000 : 0;
  if (f.nan === 'fnuz' && code === signBit) return 0xffc00000; // the single NaN (ONNX decodes it as −NaN)
  if (f.nan === 'fn' && exp === expMask && mant === mantMask) return (sign32 | 0x7fc00000) >>> 0;
  if (f.nan === 'ieee' && exp === expMask) {
    return (sign32 | 0x7f800000 | (mant << (23 - mb))) >>> 0; // mant 0: infinity; otherwise NaN, payload kept
  }
  if (exp === 0) {
    // Subnormal: mant · 2^(1−bias−mb), exact in float32 for every format here.
    f32Scratch[0] = mant * 2 ** (1 - bias - mb);
    return (sign32 | u32OfF32[0]!) >>> 0;
  }
  return (sign32 | ((exp - bias + 127) << 23) | (mant << (23 - mb))) >>> 0;
}

function e8m0ToF32Bits(code: number): number {
  if (code === 0xff) return 0x7fc00000;
  if (code === 0) return 0x00400000; // 2^-127 is a float32 subnormal
  return code << 23;
}

const lutCache = new Map<number, Uint32Array>();

/** Float32 bit patterns of every code of a format (65,536 entries for FLOAT16, built once on first use). */
function decodeTable(code: FloatFormatCode): Uint32Array {
  let lut = lutCache.get(code);
  if (lut === undefined) {
    const size = code === ElemType.FLOAT16 ? 1 << 16 : code === ElemType.FLOAT4E2M1 ? 16 : 256;
    lut = new Uint32Array(size);
    if (code === ElemType.FLOAT8E8M0) {
      for (let i = 0; i < size; i++) lut[i] = e8m0ToF32Bits(i);
    } else {
      const f = formatOf(code);
      for (let i = 0; i < size; i++) lut[i] = miniToF32Bits(f, i);
    }
    lutCache.set(code, lut);
  }
  return lut;
}

function checkFloatFormat(code: number): asserts code is FloatFormatCode {
  if (!isFloatFormat(code)) throw new BrainsmithError('E_TENSOR_TYPE', `element type ${code} is not a narrow float format`);
}

/** The value of one code of a narrow format (bits beyond the format's width are ignored). */
export function decodeFloat(code: FloatFormatCode, bits: number): number {
  checkFloatFormat(code);
  if (code === ElemType.BFLOAT16) return f32FromBits((bits & 0xffff) << 16);
  const lut = decodeTable(code);
  return f32FromBits(lut[bits & (lut.length - 1)]!);
}

/**
 * Decodes codes into float32 values, writing the exact float32 bit patterns (NaN signs kept).
 * `bits` holds one code per element (sub-byte formats unpacked); only the format's low bits are read.
 */
export function decodeFloatArray(code: FloatFormatCode, bits: ArrayLike<number>, out?: Float32Array): Float32Array {
  checkFloatFormat(code);
  const n = bits.length;
  const result = out ?? new Float32Array(n);
  if (result.length < n) throw new RangeError(`output holds ${result.length} values, ${n} needed`);
  const o = new Uint32Array(result.buffer, result.byteOffset, n);
  if (code === ElemType.BFLOAT16) {
    for (let i = 0; i < n; i++) o[i] = (bits[i]! & 0xffff) << 16;
  } else {
    const lut = decodeTable(code);
    const mask = lut.length - 1;
    for (let i = 0; i < n; i++) o[i] = lut[bits[i]! & mask]!;
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------
// Encoding

/** Round-to-nearest-even of a non-negative number to an integer (exact: x < 2^53 here). */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const r = x - f;
  if (r > 0.5 || (r === 0.5 && f % 2 === 1)) return f + 1;
  return f;
}

/** NaN code; `payload` is the source NaN's leading mantissa bits, aligned to the format's mantissa. */
function nanCode(f: MiniFloat, negative: boolean, payload: number): number {
  switch (f.nan) {
    case 'ieee': {
      const mant = payload !== 0 ? payload : 1 << (f.mantBits - 1); // keep it a (quiet) NaN
      return (negative ? f.signBit : 0) | (f.maxCode + 1) | mant;
    }
    case 'fn':
      return (negative ? f.signBit : 0) | (f.signBit - 1);
    case 'fnuz':
      return f.signBit;
    case 'none':
      // E2M1 has no NaN. ONNX's reference (the backend test data of Cast to FLOAT4E2M1) writes 0x8 (−0).
      return f.signBit;
  }
}

/** Code for a magnitude beyond the largest finite value, or for ±Inf (ONNX Cast rules). */
function overflowCode(f: MiniFloat, negative: boolean, saturate: boolean): number {
  const sign = negative ? f.signBit : 0;
  if (f.nan === 'none' || (saturate && !f.alwaysIeeeOverflow)) return sign | f.maxCode;
  if (f.nan === 'ieee') return sign | (f.maxCode + 1); // infinity
  return nanCode(f, negative, 0);
}

/** Sign applied to a finite magnitude code; FNUZ formats have no −0. */
function signed(f: MiniFloat, negative: boolean, code: number): number {
  if (!negative || (code === 0 && f.nan === 'fnuz')) return code;
  return f.signBit | code;
}

/** Encodes any number exactly (one rounding from its float64 value). */
function encodeNumber(f: MiniFloat, x: number, saturate: boolean, nanPayload: number, nanNegative: boolean): number {
  if (x !== x) return nanCode(f, nanNegative, nanPayload);
  const negative = x < 0 || Object.is(x, -0);
  const a = Math.abs(x);
  if (a === Infinity) return overflowCode(f, negative, saturate);
  if (a === 0) return signed(f, negative, 0);
  const mb = f.mantBits;
  const e = exponentOf(a);
  const n = roundHalfEven(a * 2 ** -((e < f.emin ? f.emin : e) - mb)); // quanta of the target format
  // Subnormal: n counts quanta directly (n = 2^mb rolls into the smallest normal, same encoding).
  // Normal: n ∈ [2^mb, 2^(mb+1)]; adding it to (e+bias−1)·2^mb carries into the exponent when needed.
  const code = e < f.emin ? n : (e + f.bias - 1) * (1 << mb) + n;
  return code > f.maxCode ? overflowCode(f, negative, saturate) : signed(f, negative, code);
}

/** The same rounding on a float32 bit pattern with integer operations only (the bulk fast path). */
function encodeF32Bits(f: MiniFloat, bits: number, saturate: boolean): number {
  const negative = bits >>> 31 === 1;
  const abs = bits & 0x7fffffff;
  const mb = f.mantBits;
  if (abs >= 0x7f800000) {
    return abs === 0x7f800000 ? overflowCode(f, negative, saturate) : nanCode(f, negative, (abs & 0x7fffff) >>> (23 - mb));
  }
  if (abs === 0) return signed(f, negative, 0);
  // value = sig · 2^(e − 23); float32 subnormals are taken at e = −126 without the implicit bit, which
  // changes nothing below because every format here has emin ≥ −126.
  const e32 = abs >>> 23;
  const e = e32 === 0 ? -126 : e32 - 127;
  const sig = e32 === 0 ? abs : (abs & 0x7fffff) | 0x800000;
  const shift = (e < f.emin ? f.emin : e) - mb - e + 23; // ≥ 23 − mb > 0
  let n = 0;
  if (shift < 25) { // otherwise sig < 2^24 ≤ half a quantum: rounds to 0
    n = sig >>> shift;
    const rem = sig & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rem > half || (rem === half && (n & 1) === 1)) n++;
  }
  const code = e < f.emin ? n : ((e + f.bias - 1) << mb) + n;
  return code > f.maxCode ? overflowCode(f, negative, saturate) : signed(f, negative, code);
}

function encodeE8M0(x: number, saturate: boolean, mode: E8M0RoundMode): number {
  if (x !== x) return 0xff;
  // Negative inputs are undefined by ONNX; like its reference, use the magnitude.
  const a = Math.abs(x);
  if (a === Infinity) return saturate ? 0xfe : 0xff;
  if (a === 0) return 0; // no zero in E8M0: the smallest value 2^-127
  const e = exponentOf(a);
  const frac = a * 2 ** -e - 1; // exact, in [0, 1)
  const k = mode === 'down' ? e : mode === 'up' ? (frac > 0 ? e + 1 : e) : frac >= 0.5 ? e + 1 : e;
  const code = k + 127;
  if (code < 0) return 0; // below 2^-127: the smallest value
  if (code > 0xfe) return saturate ? 0xfe : 0xff;
  return code;
}

/**
 * One code of a narrow format for a number. The number is used exactly (no intermediate float32), so a
 * float64 input is rounded once. NaN becomes the format's canonical positive NaN.
 */
export function encodeFloat(code: FloatFormatCode, x: number, opts: EncodeOptions = {}): number {
  checkFloatFormat(code);
  const saturate = opts.saturate ?? true;
  if (code === ElemType.FLOAT8E8M0) return encodeE8M0(x, saturate, opts.roundMode ?? 'up');
  return encodeNumber(formatOf(code), x, saturate, 0, false);
}

/**
 * Codes for an array of values (one code per element, sub-byte formats unpacked into a Uint8Array;
 * FLOAT16/BFLOAT16 give a Uint16Array). From a Float32Array or Float64Array the NaN sign and leading
 * payload bits are carried over where the format can hold them.
 */
export function encodeFloatArray(
  code: FloatFormatCode, values: Float32Array | Float64Array | readonly number[], opts: EncodeOptions = {},
): Uint8Array | Uint16Array {
  checkFloatFormat(code);
  const n = values.length;
  const saturate = opts.saturate ?? true;
  if (code === ElemType.FLOAT8E8M0) {
    const mode = opts.roundMode ?? 'up';
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = encodeE8M0(values[i]!, saturate, mode);
    return out;
  }
  const f = formatOf(code);
  const out = code === ElemType.FLOAT16 || code === ElemType.BFLOAT16 ? new Uint16Array(n) : new Uint8Array(n);
  encodeInto(f, values, saturate, out);
  return out;
}

function encodeInto(
  f: MiniFloat, values: Float32Array | Float64Array | readonly number[], saturate: boolean, out: Uint8Array | Uint16Array,
): void {
  const n = values.length;
  if (values instanceof Float32Array) {
    const bits = new Uint32Array(values.buffer, values.byteOffset, n);
    for (let i = 0; i < n; i++) out[i] = encodeF32Bits(f, bits[i]!, saturate);
  } else if (values instanceof Float64Array) {
    // NaN sign and leading payload bits come from the float64 bit pattern.
    const words = new Uint32Array(values.buffer, values.byteOffset, 2 * n);
    const shift = 20 - f.mantBits;
    for (let i = 0; i < n; i++) {
      const hi = words[2 * i + HI]!;
      out[i] = encodeNumber(f, values[i]!, saturate, (hi & 0xfffff) >>> shift, hi >>> 31 === 1);
    }
  } else {
    for (let i = 0; i < n; i++) out[i] = encodeNumber(f, values[i]!, saturate, 0, false);
  }
}
