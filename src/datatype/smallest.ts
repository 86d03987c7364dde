import { BrainsmithError } from '../errors.js';
import type { DataType } from './datatype.js';
import { DataTypes } from './registry.js';

/** QONNX's candidate order: BINARY, UINT2..64, BIPOLAR, TERNARY, INT1..64 (UINT1 is BINARY). */
let candidates: readonly DataType[] | undefined;

export function smallestCandidates(): readonly DataType[] {
  if (candidates === undefined) {
    const list: DataType[] = [DataTypes.BINARY];
    for (let n = 2; n <= 64; n++) list.push(DataTypes.UINT(n));
    list.push(DataTypes.BIPOLAR, DataTypes.TERNARY);
    for (let n = 1; n <= 64; n++) list.push(DataTypes.INT(n));
    candidates = list;
  }
  return candidates;
}

/** BIPOLAR has no 0, so it fits only when every value is ±1; the others fit by range. */
function firstFit(lo: bigint, hi: bigint, onlyPlusMinusOne: boolean): DataType {
  for (const dt of smallestCandidates()) {
    const fits = dt.kind === 'bipolar' ? onlyPlusMinusOne : lo >= dt.minBigInt() && hi <= dt.maxBigInt();
    if (fits) return dt;
  }
  throw new BrainsmithError('E_DATATYPE', `no integer DataType of up to 64 bits holds [${lo}, ${hi}]`, { kind: 'work' });
}

function isIntegral(v: number | bigint): boolean {
  return typeof v === 'bigint' || Number.isInteger(v);
}

/**
 * The smallest DataType that holds every integer in [min, max], in QONNX's preference order (unsigned
 * first). A fractional or non-finite bound gives FLOAT32. [0,1] → BINARY, [−1,1] → TERNARY (the range
 * includes 0, which BIPOLAR lacks), [−1,−1] → BIPOLAR. Bounds are compared exactly (bigint), so 2^63 as a
 * float64 is correctly outside INT64.
 */
export function smallestDataType(min: number | bigint, max: number | bigint): DataType {
  if (!isIntegral(min) || !isIntegral(max)) return DataTypes.FLOAT32;
  const lo = BigInt(min);
  const hi = BigInt(max);
  if (lo > hi) throw new BrainsmithError('E_DATATYPE', `empty range: min ${lo} > max ${hi}`, { kind: 'work' });
  return firstFit(lo, hi, lo === hi && (lo === 1n || lo === -1n));
}

/**
 * The smallest DataType whose value set contains every one of `values` (QONNX's get_smallest_possible over
 * a set): {−1, 1} → BIPOLAR, {−1, 0, 1} → TERNARY, any fraction/NaN/Inf → FLOAT32. No values → BINARY.
 */
export function smallestDataTypeFor(values: ArrayLike<number | bigint>): DataType {
  if (values.length === 0) return DataTypes.BINARY;
  // Extremes are tracked separately for numbers (fast) and bigints (exact), then merged exactly.
  let numLo = Infinity;
  let numHi = -Infinity;
  let bigLo: bigint | undefined;
  let bigHi: bigint | undefined;
  let onlyPlusMinusOne = true;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (typeof v === 'bigint') {
      if (bigLo === undefined || v < bigLo) bigLo = v;
      if (bigHi === undefined || v > bigHi) bigHi = v;
      if (v !== 1n && v !== -1n) onlyPlusMinusOne = false;
    } else {
      if (!Number.isInteger(v)) return DataTypes.FLOAT32;
      if (v < numLo) numLo = v;
      if (v > numHi) numHi = v;
      if (v !== 1 && v !== -1) onlyPlusMinusOne = false;
    }
  }
  const los = [bigLo, numLo === Infinity ? undefined : BigInt(numLo)].filter((x): x is bigint => x !== undefined);
  const his = [bigHi, numHi === -Infinity ? undefined : BigInt(numHi)].filter((x): x is bigint => x !== undefined);
  const lo = los.reduce((a, b) => (b < a ? b : a));
  const hi = his.reduce((a, b) => (b > a ? b : a));
  return firstFit(lo, hi, onlyPlusMinusOne);
}
