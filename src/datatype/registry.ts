import { BrainsmithError } from '../errors.js';
import {
  ArbPrecFloatType, BipolarType, DataType, FixedPointType, Float16Type, Float32Type, IntType, ScaledIntType, TernaryType,
} from './datatype.js';

/** One instance per canonical name, so DataTypes.INT(4) === parseDataType('INT4'). */
const interned = new Map<string, DataType>();

function intern<T extends DataType>(dt: T): T {
  const existing = interned.get(dt.name);
  if (existing !== undefined) return existing as T;
  interned.set(dt.name, dt);
  return dt;
}

export const DataTypes = {
  BINARY: intern(new IntType(1, false)),
  BIPOLAR: intern(new BipolarType()),
  TERNARY: intern(new TernaryType()),
  FLOAT32: intern(new Float32Type()),
  FLOAT16: intern(new Float16Type()),
  /** INTn, signed two's complement. */
  INT: (bits: number): IntType => intern(new IntType(bits, true)),
  /** UINTn; UINT(1) is BINARY. */
  UINT: (bits: number): IntType => intern(new IntType(bits, false)),
  FIXED: (width: number, intBits: number): FixedPointType => intern(new FixedPointType(width, intBits)),
  SCALEDINT: (bits: number): ScaledIntType => intern(new ScaledIntType(bits)),
  /** FLOAT<e,m,bias>; bias defaults to 2^(e−1)−1. */
  FLOAT: (exponentBits: number, mantissaBits: number, exponentBias?: number): ArbPrecFloatType =>
    intern(new ArbPrecFloatType(exponentBits, mantissaBits, exponentBias)),
} as const;

const NAMED: Readonly<Record<string, DataType>> = {
  BINARY: DataTypes.BINARY,
  BIPOLAR: DataTypes.BIPOLAR,
  TERNARY: DataTypes.TERNARY,
  FLOAT32: DataTypes.FLOAT32,
  FLOAT16: DataTypes.FLOAT16,
};

const INT_RE = /^(U?)INT(\d+)$/;
const FIXED_RE = /^FIXED<\s*(-?\d+)\s*,\s*(-?\d+)\s*>$/;
const SCALEDINT_RE = /^SCALEDINT<\s*(\d+)\s*>$/;
const FLOAT_RE = /^FLOAT<\s*(\d+)\s*,\s*(\d+)\s*(?:,\s*(-?\d+)\s*)?>$/;

function build(key: string): DataType | undefined {
  const named = NAMED[key];
  if (named !== undefined) return named;
  let m: RegExpExecArray | null;
  if ((m = INT_RE.exec(key)) !== null) return m[1] === 'U' ? DataTypes.UINT(Number(m[2])) : DataTypes.INT(Number(m[2]));
  if ((m = FIXED_RE.exec(key)) !== null) return DataTypes.FIXED(Number(m[1]), Number(m[2]));
  if ((m = SCALEDINT_RE.exec(key)) !== null) return DataTypes.SCALEDINT(Number(m[1]));
  if ((m = FLOAT_RE.exec(key)) !== null) {
    return DataTypes.FLOAT(Number(m[1]), Number(m[2]), m[3] === undefined ? undefined : Number(m[3]));
  }
  return undefined;
}

/**
 * The DataType a QONNX name denotes: BINARY, BIPOLAR, TERNARY, FLOAT32, FLOAT16, INTn, UINTn, FIXED<w,i>,
 * SCALEDINT<n>, FLOAT<e,m> or FLOAT<e,m,bias>. Surrounding and inner spaces and letter case are tolerated;
 * `.name` of the result is canonical. Anything else is an E_DATATYPE error naming the string.
 */
export function parseDataType(name: string): DataType {
  let dt: DataType | undefined;
  try {
    dt = build(name.trim().toUpperCase());
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new BrainsmithError('E_DATATYPE', `invalid QONNX DataType '${name}': ${why}`, { cause: e });
  }
  if (dt === undefined) throw new BrainsmithError('E_DATATYPE', `unknown QONNX DataType '${name}'`);
  return dt;
}

/** parseDataType, or undefined instead of an error. */
export function tryParseDataType(name: string): DataType | undefined {
  try {
    return parseDataType(name);
  } catch {
    return undefined;
  }
}
