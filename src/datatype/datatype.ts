import { BrainsmithError } from '../errors.js';

/**
 * The QONNX DataType system: the value sets that `finn_datatype` annotations name (BINARY, BIPOLAR, TERNARY,
 * INTn, UINTn, FIXED<w,i>, SCALEDINT<n>, FLOAT32, FLOAT16, FLOAT<e,m[,bias]>).
 *
 * Integer bounds as `number` are exact up to 53 bits; wider types (INT64, UINT64) round min()/max() to the
 * nearest float64, so use minBigInt()/maxBigInt() where exactness matters. allowed() and the smallest-type
 * search compare integers as bigint, so they are exact at every width.
 */

export type DataTypeKind = 'int' | 'bipolar' | 'ternary' | 'fixed' | 'scaledint' | 'float32' | 'float16' | 'arbfloat';

function datatypeError(message: string): BrainsmithError {
  return new BrainsmithError('E_DATATYPE', message);
}

/** Bit widths of integer types: 1..MAX_INT_BITS (wide enough for any accumulator). */
export const MAX_INT_BITS = 1024;

function checkWidth(what: string, n: number, lowest = 1): void {
  if (!Number.isInteger(n) || n < lowest || n > MAX_INT_BITS) {
    throw datatypeError(`${what} must be an integer in ${lowest}..${MAX_INT_BITS}, got ${n}`);
  }
}

/** The exact bigint of an integer-valued number or bigint; undefined for fractions, NaN and infinities. */
function exactInteger(v: number | bigint): bigint | undefined {
  if (typeof v === 'bigint') return v;
  return Number.isInteger(v) ? BigInt(v) : undefined;
}

export abstract class DataType {
  abstract readonly kind: DataTypeKind;
  /** Canonical QONNX name, e.g. `INT4`, `FIXED<8,4>`, `FLOAT<5,10,15>`. */
  abstract readonly name: string;
  abstract bitwidth(): number;
  /** Smallest value (rounded to float64 for integer types wider than 53 bits). */
  abstract min(): number;
  /** Largest value (rounded to float64 for integer types wider than 53 bits). */
  abstract max(): number;
  /** Whether `value` belongs to the type's value set. */
  abstract allowed(value: number | bigint): boolean;
  /**
   * Count of distinct values (integer and FIXED types), or 2^bitwidth encodings for SCALEDINT and the float
   * types, where QONNX leaves it undefined.
   */
  abstract getNumPossibleValues(): number;
  /** True when every value is an integer (INTn, UINTn, BINARY, BIPOLAR, TERNARY). */
  abstract isInteger(): boolean;
  abstract isFixedPoint(): boolean;
  /** The Vitis HLS C++ type, e.g. `ap_int<4>`, `ap_uint<8>`, `ap_fixed<8, 4>`, `float`, `half`. */
  abstract hlsType(): string;

  signed(): boolean {
    return this.min() < 0;
  }

  /** The value of one step of the underlying integer: 2^-(fraction bits) for FIXED, 1 for all others. */
  scaleFactor(): number {
    return 1;
  }

  /** Exact smallest value of an integer type. */
  minBigInt(): bigint {
    throw datatypeError(`${this.name} is not an integer type; it has no exact integer bounds`);
  }

  /** Exact largest value of an integer type. */
  maxBigInt(): bigint {
    throw datatypeError(`${this.name} is not an integer type; it has no exact integer bounds`);
  }

  equals(other: DataType | string): boolean {
    return this.name === (typeof other === 'string' ? other : other.name);
  }

  toString(): string {
    return this.name;
  }

  toJSON(): string {
    return this.name;
  }
}

/** INTn / UINTn (UINT1 is named BINARY). */
export class IntType extends DataType {
  readonly kind = 'int';
  readonly name: string;
  private readonly lo: bigint;
  private readonly hi: bigint;

  constructor(private readonly bits: number, private readonly isSigned: boolean) {
    super();
    checkWidth('integer bit width', bits);
    this.name = bits === 1 && !isSigned ? 'BINARY' : `${isSigned ? 'INT' : 'UINT'}${bits}`;
    const b = BigInt(bits);
    this.lo = isSigned ? -(1n << (b - 1n)) : 0n;
    this.hi = isSigned ? (1n << (b - 1n)) - 1n : (1n << b) - 1n;
  }

  bitwidth(): number { return this.bits; }
  override signed(): boolean { return this.isSigned; }
  min(): number { return Number(this.lo); }
  max(): number { return Number(this.hi); }
  override minBigInt(): bigint { return this.lo; }
  override maxBigInt(): bigint { return this.hi; }
  allowed(value: number | bigint): boolean {
    const v = exactInteger(value);
    return v !== undefined && v >= this.lo && v <= this.hi;
  }
  getNumPossibleValues(): number { return 2 ** this.bits; }
  isInteger(): boolean { return true; }
  isFixedPoint(): boolean { return false; }
  hlsType(): string { return `${this.isSigned ? 'ap_int' : 'ap_uint'}<${this.bits}>`; }
}

/** {−1, +1} in one bit. */
export class BipolarType extends DataType {
  readonly kind = 'bipolar';
  readonly name = 'BIPOLAR';
  bitwidth(): number { return 1; }
  min(): number { return -1; }
  max(): number { return 1; }
  override minBigInt(): bigint { return -1n; }
  override maxBigInt(): bigint { return 1n; }
  allowed(value: number | bigint): boolean {
    const v = exactInteger(value);
    return v === -1n || v === 1n;
  }
  getNumPossibleValues(): number { return 2; }
  isInteger(): boolean { return true; }
  isFixedPoint(): boolean { return false; }
  hlsType(): string { return 'ap_int<1>'; }
}

/** {−1, 0, +1} in two bits. */
export class TernaryType extends DataType {
  readonly kind = 'ternary';
  readonly name = 'TERNARY';
  bitwidth(): number { return 2; }
  min(): number { return -1; }
  max(): number { return 1; }
  override minBigInt(): bigint { return -1n; }
  override maxBigInt(): bigint { return 1n; }
  allowed(value: number | bigint): boolean {
    const v = exactInteger(value);
    return v === -1n || v === 0n || v === 1n;
  }
  getNumPossibleValues(): number { return 3; }
  isInteger(): boolean { return true; }
  isFixedPoint(): boolean { return false; }
  hlsType(): string { return 'ap_int<2>'; }
}

/** FIXED<w,i>: a signed w-bit integer scaled by 2^-(w−i) (i integer bits including the sign). */
export class FixedPointType extends DataType {
  readonly kind = 'fixed';
  readonly name: string;
  private readonly raw: IntType;

  constructor(private readonly width: number, private readonly intBits: number) {
    super();
    checkWidth('FIXED total bit width', width);
    if (!Number.isInteger(intBits)) throw datatypeError(`FIXED integer bits must be an integer, got ${intBits}`);
    if (!(intBits < width)) throw datatypeError(`FIXED<${width},${intBits}> needs fewer integer bits than total bits`);
    this.name = `FIXED<${width},${intBits}>`;
    this.raw = new IntType(width, true);
  }

  bitwidth(): number { return this.width; }
  intWidth(): number { return this.intBits; }
  fracWidth(): number { return this.width - this.intBits; }
  override signed(): boolean { return true; }
  override scaleFactor(): number { return 2 ** -this.fracWidth(); }
  min(): number { return this.raw.min() * this.scaleFactor(); }
  max(): number { return this.raw.max() * this.scaleFactor(); }
  allowed(value: number | bigint): boolean {
    // Scaling by a power of two is exact, so the integer test on the raw value is exact too.
    const raw = typeof value === 'bigint' ? value << BigInt(this.fracWidth()) : value / this.scaleFactor();
    return this.raw.allowed(raw);
  }
  getNumPossibleValues(): number { return 2 ** this.width; }
  isInteger(): boolean { return false; }
  isFixedPoint(): boolean { return true; }
  hlsType(): string { return `ap_fixed<${this.width}, ${this.intBits}>`; }
}

/**
 * SCALEDINT<n>: an n-bit signed integer with an unknown scale, used only for cost analysis. Its value range
 * is undefined, so min/max/allowed/hlsType throw (as in QONNX).
 */
export class ScaledIntType extends DataType {
  readonly kind = 'scaledint';
  readonly name: string;

  constructor(private readonly bits: number) {
    super();
    checkWidth('SCALEDINT bit width', bits);
    this.name = `SCALEDINT<${bits}>`;
  }

  private undefinedFor(what: string): never {
    throw datatypeError(`${what} is undefined for ${this.name} (its scale is unknown)`);
  }

  bitwidth(): number { return this.bits; }
  override signed(): boolean { return true; }
  min(): number { return this.undefinedFor('min()'); }
  max(): number { return this.undefinedFor('max()'); }
  allowed(_value: number | bigint): boolean { return this.undefinedFor('allowed()'); }
  getNumPossibleValues(): number { return 2 ** this.bits; }
  isInteger(): boolean { return false; }
  isFixedPoint(): boolean { return false; }
  hlsType(): string { return this.undefinedFor('an HLS type'); }
}

const FLOAT32_MAX = 3.4028234663852886e38;

/** floor(log2 a) for a positive finite a, exact (Math.log2 alone can be off by one near powers of two). */
function floorLog2(a: number): number {
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  return e;
}

/** a·2^k without overflowing the factor itself (2^k alone overflows for |k| > 1023). */
function timesPowerOfTwo(a: number, k: number): number {
  let x = a;
  let rest = k;
  while (rest > 1000) { x *= 2 ** 1000; rest -= 1000; }
  while (rest < -1000) { x *= 2 ** -1000; rest += 1000; }
  return x * 2 ** rest;
}

/** IEEE float32; QONNX allows any value in it. */
export class Float32Type extends DataType {
  readonly kind = 'float32';
  readonly name = 'FLOAT32';
  bitwidth(): number { return 32; }
  min(): number { return -FLOAT32_MAX; }
  max(): number { return FLOAT32_MAX; }
  override signed(): boolean { return true; }
  allowed(_value: number | bigint): boolean { return true; }
  getNumPossibleValues(): number { return 2 ** 32; }
  isInteger(): boolean { return false; }
  isFixedPoint(): boolean { return false; }
  hlsType(): string { return 'float'; }
}

/** IEEE float16; QONNX allows any value in it. */
export class Float16Type extends DataType {
  readonly kind = 'float16';
  readonly name = 'FLOAT16';
  bitwidth(): number { return 16; }
  min(): number { return -65504; }
  max(): number { return 65504; }
  override signed(): boolean { return true; }
  allowed(_value: number | bigint): boolean { return true; }
  getNumPossibleValues(): number { return 2 ** 16; }
  isInteger(): boolean { return false; }
  isFixedPoint(): boolean { return false; }
  hlsType(): string { return 'half'; }
}

/**
 * FLOAT<e,m,bias>: sign, e exponent bits, m mantissa bits, IEEE-style subnormals and no codes reserved for
 * Inf/NaN (QONNX's ArbPrecFloatType). The bias defaults to 2^(e−1)−1; an explicit bias of 0 is kept as 0
 * (QONNX's constructor would silently substitute the default). allowed() tests the exact value, not its
 * float32 rounding.
 */
export class ArbPrecFloatType extends DataType {
  readonly kind = 'arbfloat';
  readonly name: string;

  constructor(readonly exponentBits: number, readonly mantissaBits: number, readonly exponentBias: number = 2 ** (exponentBits - 1) - 1) {
    super();
    checkWidth('FLOAT exponent bits', exponentBits);
    checkWidth('FLOAT mantissa bits', mantissaBits, 0);
    if (!Number.isInteger(exponentBias)) throw datatypeError(`FLOAT exponent bias must be an integer, got ${exponentBias}`);
    this.name = `FLOAT<${exponentBits},${mantissaBits},${exponentBias}>`;
  }

  bitwidth(): number { return 1 + this.exponentBits + this.mantissaBits; }
  override signed(): boolean { return true; }
  max(): number {
    const maxExponent = 2 ** this.exponentBits - 1 - this.exponentBias;
    return (2 - 2 ** -this.mantissaBits) * 2 ** maxExponent;
  }
  min(): number { return -this.max(); }
  allowed(value: number | bigint): boolean {
    const v = Number(value);
    if (typeof value === 'bigint' && BigInt(v) !== value) return false; // not even a float64
    if (!Number.isFinite(v) || v > this.max() || v < this.min()) return false;
    if (v === 0) return true;
    // Representable iff |v| is a whole number of quanta at its exponent; below the smallest normal
    // exponent the quantum stays 2^(1−bias−m) (subnormals).
    const a = Math.abs(v);
    const exponent = Math.max(floorLog2(a), 1 - this.exponentBias);
    return Number.isInteger(timesPowerOfTwo(a, this.mantissaBits - exponent));
  }
  getNumPossibleValues(): number { return 2 ** this.bitwidth(); }
  isInteger(): boolean { return false; }
  isFixedPoint(): boolean { return false; }
  hlsType(): string {
    throw datatypeError(`${this.name} has no HLS type`);
  }
}
