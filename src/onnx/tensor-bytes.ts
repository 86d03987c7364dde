import { endianness } from 'node:os';
import { checkExternalData, isExternalTensor } from './external-data.js';
import { Long } from './int64.js';
import type { Int64 } from './int64.js';
import type { TensorProto } from './proto-types.js';

/**
 * Byte sizes of a tensor's stored data and the conversion of the typed data fields (float_data, int32_data,
 * ...) into raw_data layout, which is what external data files hold. Only what saving needs: it does not
 * interpret element values beyond their storage width.
 */

/** data_type values (TensorProto.DataType) grouped by how int32_data stores them. */
const INT32_DATA_2_BYTES = new Set([4, 5, 10, 16]); // UINT16 INT16 FLOAT16 BFLOAT16
// UINT8 INT8 BOOL, float8 variants, and the packed sub-byte types (one int32 entry per packed byte)
const INT32_DATA_1_BYTE = new Set([2, 3, 9, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26]);
const LITTLE_ENDIAN_HOST = endianness() === 'LE';
const INT32 = 6, INT64 = 7, UINT32 = 12, UINT64 = 13, FLOAT = 1, DOUBLE = 11, COMPLEX64 = 14, COMPLEX128 = 15;

/** Bytes an int32_data entry occupies in raw layout for this data_type (0 when int32_data is not used). */
function int32DataWidth(dataType: number): number {
  if (dataType === INT32) return 4;
  if (INT32_DATA_2_BYTES.has(dataType)) return 2;
  if (INT32_DATA_1_BYTE.has(dataType)) return 1;
  return 0;
}

/**
 * How many bytes the tensor's data takes: raw_data, external length (needs `baseDir`; 0 without one), or
 * the raw-layout size of the typed fields. String tensors count their string bytes.
 */
export function tensorDataByteLength(t: TensorProto, baseDir: string | undefined): number {
  if (isExternalTensor(t)) return baseDir === undefined ? 0 : checkExternalData(t, baseDir);
  if (t.raw_data) return t.raw_data.length;
  const dt = t.data_type ?? 0;
  let n = 0;
  n += (t.float_data?.length ?? 0) * 4;
  n += (t.double_data?.length ?? 0) * 8;
  n += (t.int64_data?.length ?? 0) * 8;
  n += (t.uint64_data?.length ?? 0) * (dt === UINT32 ? 4 : 8);
  n += (t.int32_data?.length ?? 0) * (int32DataWidth(dt) || 4);
  for (const s of t.string_data ?? []) n += s.length;
  return n;
}

/**
 * The tensor's typed data in raw_data layout (little-endian), or undefined when it has none or its type
 * cannot be stored raw (strings, unknown types, or data in a field that does not match data_type).
 */
export function typedDataToRaw(t: TensorProto): Uint8Array | undefined {
  if (!hasRawConvertibleData(t)) return undefined;
  const dt = t.data_type ?? 0;
  if (dt === FLOAT || dt === COMPLEX64) return only(t, 'float_data') ? fromNumbers(t.float_data!, 4, (v, o, x) => v.setFloat32(o, x, true)) : undefined;
  if (dt === DOUBLE || dt === COMPLEX128) return only(t, 'double_data') ? fromNumbers(t.double_data!, 8, (v, o, x) => v.setFloat64(o, x, true)) : undefined;
  if (dt === INT64) return only(t, 'int64_data') ? fromInt64s(t.int64_data!, 8) : undefined;
  if (dt === UINT64) return only(t, 'uint64_data') ? fromInt64s(t.uint64_data!, 8) : undefined;
  if (dt === UINT32) return only(t, 'uint64_data') ? fromInt64s(t.uint64_data!, 4) : undefined;
  const width = int32DataWidth(dt);
  if (width === 0 || !only(t, 'int32_data')) return undefined;
  if (width === 4) return fromNumbers(t.int32_data!, 4, (v, o, x) => v.setInt32(o, x, true));
  if (width === 2) return fromNumbers(t.int32_data!, 2, (v, o, x) => v.setUint16(o, x & 0xffff, true));
  return fromNumbers(t.int32_data!, 1, (v, o, x) => v.setUint8(o, x & 0xff));
}

/** Whether typedDataToRaw can convert this tensor's data (checked without converting anything). */
export function hasRawConvertibleData(t: TensorProto): boolean {
  const dt = t.data_type ?? 0;
  if (dt === FLOAT || dt === COMPLEX64) return only(t, 'float_data');
  if (dt === DOUBLE || dt === COMPLEX128) return only(t, 'double_data');
  if (dt === INT64) return only(t, 'int64_data');
  if (dt === UINT64 || dt === UINT32) return only(t, 'uint64_data');
  return int32DataWidth(dt) !== 0 && only(t, 'int32_data');
}

type TypedField = 'float_data' | 'double_data' | 'int32_data' | 'int64_data' | 'uint64_data';
const TYPED_FIELDS: TypedField[] = ['float_data', 'double_data', 'int32_data', 'int64_data', 'uint64_data'];

/** True when `field` holds data and no other data field does (anything else is left as it is). */
function only(t: TensorProto, field: TypedField): boolean {
  if (!(t[field]?.length)) return false;
  if (t.string_data?.length) return false;
  return TYPED_FIELDS.every((f) => f === field || !(t[f]?.length));
}

function fromNumbers(xs: ArrayLike<number>, width: number, set: (v: DataView, offset: number, x: number) => void): Uint8Array {
  // A typed array of the right width already is the raw layout on a little-endian host: one block copy.
  if (LITTLE_ENDIAN_HOST && width === 4 && xs instanceof Float32Array) return new Uint8Array(xs.slice().buffer);
  if (LITTLE_ENDIAN_HOST && width === 8 && xs instanceof Float64Array) return new Uint8Array(xs.slice().buffer);
  const out = new Uint8Array(xs.length * width);
  const view = new DataView(out.buffer);
  for (let i = 0; i < xs.length; i++) set(view, i * width, xs[i]!);
  return out;
}

function fromInt64s(xs: Int64[], width: 4 | 8): Uint8Array {
  const out = new Uint8Array(xs.length * width);
  const view = new DataView(out.buffer);
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const l = typeof x === 'number' ? Long.fromNumber(x) : x;
    view.setUint32(i * width, l.low >>> 0, true);
    if (width === 8) view.setUint32(i * width + 4, l.high >>> 0, true);
  }
  return out;
}
