import { Long } from '../../src/onnx/int64.js';

/**
 * Field-by-field comparison of two decoded protobuf messages, for the round-trip tests. Int64 values are
 * compared exactly (Long low/high words), floats with Object.is (NaN equals NaN, -0 differs from 0), bytes
 * byte by byte. A Float32Array/Float64Array equals a number[] with the same values (the codec decodes packed
 * float_data that way). An absent repeated field equals an empty one (protobuf cannot tell them apart). Unknown fields
 * kept by protobufjs (`$unknowns`, non-enumerable) are compared too. Returns the path of the first difference,
 * or undefined when equal.
 */
export function protoDiff(a: unknown, b: unknown, at = ''): string | undefined {
  if (Long.isLong(a) || Long.isLong(b)) {
    const la = toLong(a), lb = toLong(b);
    return la && lb && la.low === lb.low && la.high === lb.high ? undefined : `${at}: ${String(a)} != ${String(b)}`;
  }
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array && b instanceof Uint8Array) || a.length !== b.length) return `${at}: bytes differ in length`;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return `${at}[${i}]: byte ${a[i]} != ${b[i]}`;
    return undefined;
  }
  if (isArrayLike(a) || isArrayLike(b)) {
    const xa = asArray(a), xb = asArray(b);
    if (!xa || !xb) return `${at}: array vs non-array`;
    if (xa.length !== xb.length) return `${at}: ${xa.length} vs ${xb.length} items`;
    for (let i = 0; i < xa.length; i++) {
      const d = protoDiff(xa[i], xb[i], `${at}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const keys = new Set([...Object.getOwnPropertyNames(a), ...Object.getOwnPropertyNames(b)]);
    for (const k of keys) {
      const d = protoDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`);
      if (d) return d;
    }
    return undefined;
  }
  return Object.is(a, b) ? undefined : `${at}: ${String(a)} != ${String(b)}`;
}

function toLong(v: unknown): Long | undefined {
  if (Long.isLong(v)) return v as Long;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return Long.fromNumber(v);
  return undefined;
}

/** Arrays and numeric typed arrays (not Uint8Array, which holds bytes fields). */
function isArrayLike(v: unknown): boolean {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof Uint8Array) && !(v instanceof DataView));
}

function asArray(v: unknown): unknown[] | undefined {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v;
  if (isArrayLike(v)) return Array.from(v as ArrayLike<number>);
  return undefined;
}
