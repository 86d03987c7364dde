import Long from 'long';

/**
 * protobufjs decodes int64/uint64 fields as `Long` (exact) when the `long` package is present; objects we
 * build ourselves may carry plain numbers. Everything that reads an int64 goes through these helpers.
 */
export type Int64 = number | Long;

export function int64ToNumber(v: Int64 | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'number' ? v : v.toNumber();
}

export function int64ToBigInt(v: Int64 | null | undefined): bigint {
  if (v === null || v === undefined) return 0n;
  return typeof v === 'number' ? BigInt(v) : BigInt(v.toString());
}

/**
 * Whether the value converts to a number exactly. Long.toNumber rounds monotonically, so a value of
 * magnitude 2^53 or more never comes back as a safe integer: no string round trip is needed.
 */
export function isSafeInt64(v: Int64): boolean {
  return Number.isSafeInteger(typeof v === 'number' ? v : v.toNumber());
}

export function bigIntToInt64(v: bigint, unsigned = false): Long {
  return Long.fromString(v.toString(), unsigned);
}

export function numberToInt64(v: number): Long {
  return Long.fromNumber(v);
}

export { Long };
