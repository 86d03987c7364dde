import { BrainsmithError } from '../errors.js';
import { int64ToNumber, isSafeInt64, Long, type Int64 } from '../onnx/int64.js';
import type { TensorProto } from '../onnx/proto-types.js';
import { HOST_IS_LITTLE_ENDIAN, swapByteOrder } from './byte-order.js';
import { ElemType, elemTypeInfo, rawByteLength, type ElemTypeInfo, type ProtoField, type StorageKind } from './element-type.js';
import { decodeFloatArray, encodeFloatArray, isFloatFormat } from './float-formats.js';
import { packSubByte, unpackSubByte, type SubByteWidth } from './sub-byte.js';

/**
 * Decoded tensor contents, row-major. Containers per element type:
 * FLOAT, FLOAT16, BFLOAT16, FLOAT8*, FLOAT8E8M0, FLOAT4E2M1 → Float32Array (exact values); DOUBLE → Float64Array;
 * INT8/INT4/INT2 → Int8Array; UINT8/BOOL/UINT4/UINT2 → Uint8Array; INT16 → Int16Array; UINT16 → Uint16Array;
 * INT32 → Int32Array; UINT32 → Uint32Array; INT64 → BigInt64Array; UINT64 → BigUint64Array;
 * COMPLEX64/128 → Float32Array/Float64Array holding re, im pairs; STRING → string[] (UTF-8 decoded).
 */
export type NumericArray =
  | Float32Array | Float64Array
  | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array
  | BigInt64Array | BigUint64Array;
export type TensorData = NumericArray | string[];

export interface TensorValue {
  /** ONNX TensorProto.DataType code (see element-type.ts). */
  elemType: number;
  dims: number[];
  data: TensorData;
}

export interface TensorFromProtoOptions {
  /** Returns the bytes of a tensor whose data_location is EXTERNAL (the caller resolves and checks the path). */
  readExternal?: (t: TensorProto) => Uint8Array;
}

export interface TensorToProtoOptions {
  /** Write `raw_data` (default) rather than the type's repeated field. */
  raw?: boolean;
}

interface NumericCtor {
  readonly BYTES_PER_ELEMENT: number;
  new (length: number): NumericArray;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): NumericArray;
}

const CTORS: Record<Exclude<StorageKind, 'string'>, NumericCtor> = {
  Float32Array, Float64Array, Int8Array, Uint8Array, Int16Array, Uint16Array, Int32Array, Uint32Array,
  BigInt64Array, BigUint64Array,
};

/** Index of the low 32-bit word of a 64-bit element in an Int32Array view. */
const LO = HOST_IS_LITTLE_ENDIAN ? 0 : 1;
const HI = 1 - LO;

// ---------------------------------------------------------------------------------------------------------
// Shapes and construction

function dataError(message: string): BrainsmithError {
  return new BrainsmithError('E_TENSOR_DATA', message);
}

/** Number of elements of a shape (1 for a scalar). Dims must be non-negative integers. */
export function numElements(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) {
    if (!Number.isSafeInteger(d) || d < 0) throw dataError(`invalid dimension ${d} in shape [${dims.join(', ')}]`);
    n *= d;
  }
  if (!Number.isSafeInteger(n)) throw dataError(`shape [${dims.join(', ')}] has more than 2^53 elements`);
  return n;
}

function describeValue(elemType: number, dims: readonly number[]): string {
  return `${elemTypeInfo(elemType).name}, shape [${dims.join(', ')}]`;
}

function containerMatches(storage: StorageKind, data: TensorData): boolean {
  if (storage === 'string') return Array.isArray(data) && data.every((s) => typeof s === 'string');
  return data instanceof CTORS[storage];
}

/** Throws unless `data` is the container and length the element type and shape require. */
function checkData(elemType: number, dims: readonly number[], data: TensorData, what: string): ElemTypeInfo {
  const info = elemTypeInfo(elemType, what);
  const n = numElements(dims);
  if (!containerMatches(info.storage, data)) {
    const got = Array.isArray(data) ? 'an array' : data.constructor.name;
    throw dataError(`${what} (${describeValue(elemType, dims)}) needs its data in a ${info.storage === 'string' ? 'string[]' : info.storage}, got ${got}`);
  }
  if (data.length !== n * info.lanes) {
    throw dataError(`${what} (${describeValue(elemType, dims)}) needs ${n * info.lanes} data entries, got ${data.length}`);
  }
  return info;
}

/** Range of the sub-byte integer types, which live in wider containers. */
function checkSubByteRange(info: ElemTypeInfo, data: TensorData, what: string): void {
  if (!info.isInteger || info.bits >= 8) return;
  const lo = info.isSigned ? -(2 ** (info.bits - 1)) : 0;
  const hi = info.isSigned ? 2 ** (info.bits - 1) - 1 : 2 ** info.bits - 1;
  const values = data as Int8Array | Uint8Array;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < lo || v > hi) throw dataError(`${what} (${info.name}) holds ${v} at index ${i}, outside [${lo}, ${hi}]`);
  }
}

/** A checked TensorValue: the container and length must fit the element type and shape (dims are copied). */
export function makeTensor(elemType: number, dims: readonly number[], data: TensorData): TensorValue {
  const info = checkData(elemType, dims, data, 'tensor');
  checkSubByteRange(info, data, 'tensor');
  return { elemType, dims: dims.slice(), data };
}

// ---------------------------------------------------------------------------------------------------------
// Decoding a TensorProto

function tensorLabel(t: TensorProto): string {
  return t.name ? `tensor '${t.name}'` : 'unnamed tensor';
}

function protoDims(t: TensorProto, what: string): number[] {
  return (t.dims ?? []).map((d: Int64) => {
    const v = int64ToNumber(d);
    if (!isSafeInt64(d) || v < 0) throw dataError(`${what} has invalid dimension ${String(d)}`);
    return v;
  });
}

/** A typed view over bytes; copies only when the offset is misaligned for the element width (or to swap order). */
function viewAs(ctor: NumericCtor, bytes: Uint8Array, count: number): NumericArray {
  const width = ctor.BYTES_PER_ELEMENT;
  let src = bytes;
  // new Uint8Array(x) copies (Buffer#slice would not).
  if (!HOST_IS_LITTLE_ENDIAN && width > 1) src = swapByteOrder(bytes, width);
  else if (bytes.byteOffset % width !== 0) src = new Uint8Array(bytes);
  return new ctor(src.buffer, src.byteOffset, count);
}

function decodeRaw(info: ElemTypeInfo, raw: Uint8Array, n: number, what: string, source: string): TensorData {
  if (info.storage === 'string') throw dataError(`${what} is STRING but has ${source}; strings live in string_data`);
  const expected = rawByteLength(info.code, n);
  if (raw.byteLength !== expected) {
    throw dataError(`${what} (${info.name}, ${n} elements) has ${raw.byteLength} bytes of ${source}; ${expected} expected`);
  }
  if (info.bits < 8) {
    const bits = info.bits as SubByteWidth;
    if (info.isInteger) return unpackSubByte(raw, bits, n, info.isSigned);
    return decodeFloatArray(ElemType.FLOAT4E2M1, unpackSubByte(raw, bits, n, false));
  }
  if (isFloatFormat(info.code)) {
    const codes = info.bits === 16 ? viewAs(Uint16Array, raw, n) as Uint16Array : raw;
    return decodeFloatArray(info.code, codes);
  }
  return viewAs(CTORS[info.storage], raw, n * info.lanes);
}

function countError(what: string, info: ElemTypeInfo, field: ProtoField, got: number, expected: number, n: number): BrainsmithError {
  return dataError(`${what} (${info.name}, ${n} elements) has ${got} entries in ${field}; ${expected} expected`);
}

/** Fills a 64-bit array from protobuf int64 values (Long or plain integer numbers) without going through strings. */
function fill64(values: readonly Int64[], out: BigInt64Array | BigUint64Array, what: string): void {
  const words = new Int32Array(out.buffer, out.byteOffset, 2 * out.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (typeof v === 'number') {
      if (!Number.isInteger(v)) throw dataError(`${what} has non-integer ${v} in a 64-bit integer field`);
      out[i] = out instanceof BigInt64Array ? BigInt.asIntN(64, BigInt(v)) : BigInt.asUintN(64, BigInt(v));
    } else {
      words[2 * i + LO] = v.low;
      words[2 * i + HI] = v.high;
    }
  }
}

function decodeInt32Field(info: ElemTypeInfo, values: readonly number[], n: number, what: string): TensorData {
  const per = info.perFieldEntry;
  const expected = Math.ceil(n / per);
  if (values.length !== expected) throw countError(what, info, 'int32_data', values.length, expected, n);
  if (per > 1) {
    const bits = info.bits as SubByteWidth;
    if (info.isInteger) return unpackSubByte(values, bits, n, info.isSigned);
    return decodeFloatArray(ElemType.FLOAT4E2M1, unpackSubByte(values, bits, n, false));
  }
  if (isFloatFormat(info.code)) return decodeFloatArray(info.code, values); // bit patterns, low bits only
  switch (info.storage) {
    case 'Int8Array': return new Int8Array(values);
    case 'Uint8Array': return new Uint8Array(values);
    case 'Int16Array': return new Int16Array(values);
    case 'Uint16Array': return new Uint16Array(values);
    case 'Int32Array': return new Int32Array(values);
    default: throw dataError(`${what}: ${info.name} cannot be stored in int32_data`);
  }
}

function decodeField(info: ElemTypeInfo, t: TensorProto, n: number, what: string): TensorData {
  const count = n * info.lanes;
  const field = info.field;
  const check = (got: number): void => {
    if (got !== count) throw countError(what, info, field, got, count, n);
  };
  switch (field) {
    case 'float_data': {
      const v = t.float_data ?? [];
      check(v.length);
      return new Float32Array(v);
    }
    case 'double_data': {
      const v = t.double_data ?? [];
      check(v.length);
      return new Float64Array(v);
    }
    case 'int32_data':
      return decodeInt32Field(info, t.int32_data ?? [], n, what);
    case 'int64_data': {
      const v = t.int64_data ?? [];
      check(v.length);
      const out = new BigInt64Array(n);
      fill64(v, out, what);
      return out;
    }
    case 'uint64_data': {
      const v = t.uint64_data ?? [];
      check(v.length);
      if (info.code === ElemType.UINT32) return Uint32Array.from(v, (x) => (typeof x === 'number' ? x : x.low) >>> 0);
      const out = new BigUint64Array(n);
      fill64(v, out, what);
      return out;
    }
    case 'string_data': {
      const v = t.string_data ?? [];
      check(v.length);
      const decoder = new TextDecoder('utf-8');
      return v.map((b) => decoder.decode(b));
    }
  }
}

const DATA_FIELDS: readonly ProtoField[] = ['float_data', 'int32_data', 'string_data', 'int64_data', 'double_data', 'uint64_data'];

function fieldLength(t: TensorProto, f: ProtoField): number {
  return t[f]?.length ?? 0;
}

function emptyData(info: ElemTypeInfo): TensorData {
  return info.storage === 'string' ? [] : new CTORS[info.storage](0);
}

/**
 * Decodes a TensorProto's contents. raw_data (or external data) wins over the typed fields, as in ONNX.
 * Aligned raw_data of plain numeric types is returned as a view sharing memory with the proto's bytes.
 */
export function tensorFromProto(t: TensorProto, opts: TensorFromProtoOptions = {}): TensorValue {
  const what = tensorLabel(t);
  const elemType = t.data_type ?? 0;
  const info = elemTypeInfo(elemType, what);
  if (t.segment !== undefined && t.segment !== null) throw dataError(`${what} is a segment of a larger tensor; segmented tensors are not supported`);
  const dims = protoDims(t, what);
  const n = numElements(dims);

  let data: TensorData;
  if (t.data_location === 1) {
    if (opts.readExternal === undefined) {
      throw new BrainsmithError('E_TENSOR_EXTERNAL', `${what} keeps its data in an external file, and no reader for external data was given`);
    }
    data = decodeRaw(info, opts.readExternal(t), n, what, 'external data');
  } else if (t.raw_data !== undefined && t.raw_data !== null && t.raw_data.length > 0) {
    data = decodeRaw(info, t.raw_data, n, what, 'raw_data');
  } else if (fieldLength(t, info.field) > 0) {
    data = decodeField(info, t, n, what);
  } else {
    const other = DATA_FIELDS.find((f) => fieldLength(t, f) > 0);
    if (other !== undefined) throw dataError(`${what} (${info.name}) carries its data in ${other}; ONNX stores ${info.name} in ${info.field} or raw_data`);
    if (n !== 0) throw dataError(`${what} (${describeValue(elemType, dims)}) has no data; ${n} elements expected`);
    data = emptyData(info);
  }
  return { elemType, dims, data };
}

// ---------------------------------------------------------------------------------------------------------
// Encoding a TensorProto

/** Little-endian bytes of a typed array: a view on little-endian hosts. */
function bytesOf(a: NumericArray): Uint8Array {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  return HOST_IS_LITTLE_ENDIAN || a.BYTES_PER_ELEMENT === 1 ? bytes : swapByteOrder(bytes, a.BYTES_PER_ELEMENT);
}

/** BOOL must be written as 0/1; any other byte becomes 1. */
function normalizedBool(data: Uint8Array): Uint8Array {
  return data.every((b) => b <= 1) ? data : data.map((b) => (b === 0 ? 0 : 1));
}

const UNSATURATED = { saturate: false } as const;

/**
 * Bit patterns or packed bytes for the types whose stored form differs from the decoded container:
 * narrow floats → codes; 4-bit and 2-bit types → packed bytes; BOOL → 0/1. Undefined for the others.
 * Narrow floats are encoded without saturation so that every value the format holds (including ±Inf)
 * round-trips; values it cannot hold are rounded as an unsaturated Cast would.
 */
function storedForm(info: ElemTypeInfo, data: NumericArray): Uint8Array | Uint16Array | undefined {
  if (info.bits < 8) {
    const bits = info.bits as SubByteWidth;
    const elems = info.isInteger ? (data as Int8Array | Uint8Array) : encodeFloatArray(ElemType.FLOAT4E2M1, data as Float32Array, UNSATURATED);
    return packSubByte(elems, bits);
  }
  if (isFloatFormat(info.code)) return encodeFloatArray(info.code, data as Float32Array, UNSATURATED);
  if (info.code === ElemType.BOOL) return normalizedBool(data as Uint8Array);
  return undefined;
}

function int64Entries(data: BigInt64Array | BigUint64Array, unsigned: boolean): Long[] {
  const words = new Int32Array(data.buffer, data.byteOffset, 2 * data.length);
  const out = new Array<Long>(data.length);
  for (let i = 0; i < data.length; i++) out[i] = Long.fromBits(words[2 * i + LO]!, words[2 * i + HI]!, unsigned);
  return out;
}

function setTypedField(p: TensorProto, info: ElemTypeInfo, data: NumericArray): void {
  const stored = storedForm(info, data);
  switch (info.field) {
    case 'float_data': p.float_data = Array.from(data as Float32Array); break;
    case 'double_data': p.double_data = Array.from(data as Float64Array); break;
    case 'int32_data': p.int32_data = Array.from(stored ?? (data as Int32Array)); break;
    case 'int64_data': p.int64_data = int64Entries(data as BigInt64Array, false); break;
    case 'uint64_data':
      p.uint64_data = info.code === ElemType.UINT32 ? Array.from(data as Uint32Array) : int64Entries(data as BigUint64Array, true);
      break;
    case 'string_data': break; // handled by the caller
  }
}

/**
 * The inverse of tensorFromProto. raw_data (the default) is little-endian, sub-byte types packed; for plain
 * numeric types on little-endian hosts it is a view sharing memory with `v.data`.
 */
export function tensorToProto(v: TensorValue, name?: string, opts: TensorToProtoOptions = {}): TensorProto {
  const what = name !== undefined ? `tensor '${name}'` : 'tensor';
  const info = checkData(v.elemType, v.dims, v.data, what);
  const p: TensorProto = { dims: v.dims.slice(), data_type: v.elemType };
  if (name !== undefined) p.name = name;
  if (info.storage === 'string') {
    const encoder = new TextEncoder();
    p.string_data = (v.data as string[]).map((s) => encoder.encode(s));
    return p;
  }
  const data = v.data as NumericArray;
  if (opts.raw ?? true) {
    const stored = storedForm(info, data);
    p.raw_data = bytesOf(stored ?? data);
  } else {
    setTypedField(p, info, data);
  }
  return p;
}

// ---------------------------------------------------------------------------------------------------------
// Analysis helper

/**
 * Element values as float64, for analysis (value ranges, datatype inference). 64-bit integers beyond 2^53
 * round to the nearest float64. STRING and complex tensors have no single number per element.
 */
export function tensorToNumbers(v: TensorValue): Float64Array {
  const info = elemTypeInfo(v.elemType);
  if (info.storage === 'string' || info.lanes !== 1) {
    throw new BrainsmithError('E_TENSOR_TYPE', `${info.name} tensors have no numeric value per element`);
  }
  const data = v.data as NumericArray;
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    const out = new Float64Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = Number(data[i]!);
    return out;
  }
  if (info.code === ElemType.BOOL) return Float64Array.from(data as Uint8Array, (b) => (b === 0 ? 0 : 1));
  return new Float64Array(data);
}
