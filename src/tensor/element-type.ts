import { BrainsmithError } from '../errors.js';

/** ONNX `TensorProto.DataType` codes (onnx.proto; 17..26 were added after ONNX 1.10). */
export const ElemType = {
  UNDEFINED: 0,
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  UINT32: 12,
  UINT64: 13,
  COMPLEX64: 14,
  COMPLEX128: 15,
  BFLOAT16: 16,
  FLOAT8E4M3FN: 17,
  FLOAT8E4M3FNUZ: 18,
  FLOAT8E5M2: 19,
  FLOAT8E5M2FNUZ: 20,
  UINT4: 21,
  INT4: 22,
  FLOAT4E2M1: 23,
  FLOAT8E8M0: 24,
  UINT2: 25,
  INT2: 26,
} as const;

export type ElemTypeName = keyof typeof ElemType;

/** The JS container a decoded tensor of this type lives in (see tensor-value.ts). */
export type StorageKind =
  | 'Float32Array' | 'Float64Array'
  | 'Int8Array' | 'Uint8Array' | 'Int16Array' | 'Uint16Array' | 'Int32Array' | 'Uint32Array'
  | 'BigInt64Array' | 'BigUint64Array'
  | 'string';

/** The TensorProto field that carries values when `raw_data` is not used. */
export type ProtoField = 'float_data' | 'int32_data' | 'int64_data' | 'double_data' | 'uint64_data' | 'string_data';

export interface ElemTypeInfo {
  readonly code: number;
  readonly name: ElemTypeName;
  /** Bits one element occupies in `raw_data` (complex: both parts); 0 for STRING (no byte layout). */
  readonly bits: number;
  /** Container of decoded values. Narrow float formats decode to Float32Array; complex interleaves re, im. */
  readonly storage: StorageKind;
  /** Decoded array entries per element: 2 for complex types, 1 otherwise. */
  readonly lanes: number;
  readonly field: ProtoField;
  /** Elements one entry of `field` carries: 2 for the 4-bit types and 4 for the 2-bit types in int32_data. */
  readonly perFieldEntry: number;
  readonly isFloat: boolean;
  readonly isInteger: boolean;
  readonly isSigned: boolean;
}

function info(
  code: number, name: ElemTypeName, bits: number, storage: StorageKind, field: ProtoField,
  kind: 'float' | 'sint' | 'uint' | 'other', extra: { lanes?: number; perFieldEntry?: number } = {},
): ElemTypeInfo {
  return Object.freeze({
    code, name, bits, storage, field,
    lanes: extra.lanes ?? 1,
    perFieldEntry: extra.perFieldEntry ?? 1,
    isFloat: kind === 'float',
    isInteger: kind === 'sint' || kind === 'uint',
    isSigned: kind === 'float' || kind === 'sint',
  });
}

const T = ElemType;
/** Field assignments follow the comments on TensorProto's *_data fields in onnx.proto. */
const TABLE: readonly ElemTypeInfo[] = [
  info(T.FLOAT, 'FLOAT', 32, 'Float32Array', 'float_data', 'float'),
  info(T.UINT8, 'UINT8', 8, 'Uint8Array', 'int32_data', 'uint'),
  info(T.INT8, 'INT8', 8, 'Int8Array', 'int32_data', 'sint'),
  info(T.UINT16, 'UINT16', 16, 'Uint16Array', 'int32_data', 'uint'),
  info(T.INT16, 'INT16', 16, 'Int16Array', 'int32_data', 'sint'),
  info(T.INT32, 'INT32', 32, 'Int32Array', 'int32_data', 'sint'),
  info(T.INT64, 'INT64', 64, 'BigInt64Array', 'int64_data', 'sint'),
  info(T.STRING, 'STRING', 0, 'string', 'string_data', 'other'),
  info(T.BOOL, 'BOOL', 8, 'Uint8Array', 'int32_data', 'other'),
  info(T.FLOAT16, 'FLOAT16', 16, 'Float32Array', 'int32_data', 'float'),
  info(T.DOUBLE, 'DOUBLE', 64, 'Float64Array', 'double_data', 'float'),
  info(T.UINT32, 'UINT32', 32, 'Uint32Array', 'uint64_data', 'uint'),
  info(T.UINT64, 'UINT64', 64, 'BigUint64Array', 'uint64_data', 'uint'),
  info(T.COMPLEX64, 'COMPLEX64', 64, 'Float32Array', 'float_data', 'other', { lanes: 2 }),
  info(T.COMPLEX128, 'COMPLEX128', 128, 'Float64Array', 'double_data', 'other', { lanes: 2 }),
  info(T.BFLOAT16, 'BFLOAT16', 16, 'Float32Array', 'int32_data', 'float'),
  info(T.FLOAT8E4M3FN, 'FLOAT8E4M3FN', 8, 'Float32Array', 'int32_data', 'float'),
  info(T.FLOAT8E4M3FNUZ, 'FLOAT8E4M3FNUZ', 8, 'Float32Array', 'int32_data', 'float'),
  info(T.FLOAT8E5M2, 'FLOAT8E5M2', 8, 'Float32Array', 'int32_data', 'float'),
  info(T.FLOAT8E5M2FNUZ, 'FLOAT8E5M2FNUZ', 8, 'Float32Array', 'int32_data', 'float'),
  info(T.UINT4, 'UINT4', 4, 'Uint8Array', 'int32_data', 'uint', { perFieldEntry: 2 }),
  info(T.INT4, 'INT4', 4, 'Int8Array', 'int32_data', 'sint', { perFieldEntry: 2 }),
  info(T.FLOAT4E2M1, 'FLOAT4E2M1', 4, 'Float32Array', 'int32_data', 'float', { perFieldEntry: 2 }),
  info(T.FLOAT8E8M0, 'FLOAT8E8M0', 8, 'Float32Array', 'int32_data', 'float'),
  info(T.UINT2, 'UINT2', 2, 'Uint8Array', 'int32_data', 'uint', { perFieldEntry: 4 }),
  info(T.INT2, 'INT2', 2, 'Int8Array', 'int32_data', 'sint', { perFieldEntry: 4 }),
];

const BY_CODE = new Map<number, ElemTypeInfo>(TABLE.map((i) => [i.code, i]));
const BY_NAME = new Map<string, ElemTypeInfo>(TABLE.map((i) => [i.name, i]));

/** Every known element type except UNDEFINED, in code order. */
export const ALL_ELEM_TYPES: readonly ElemTypeInfo[] = TABLE;

export function isKnownElemType(code: number): boolean {
  return BY_CODE.has(code);
}

/** Facts about an element type; unknown or UNDEFINED codes are an input error. */
export function elemTypeInfo(code: number, what = 'tensor'): ElemTypeInfo {
  const i = BY_CODE.get(code);
  if (i === undefined) {
    throw new BrainsmithError('E_TENSOR_TYPE', `${what} has ${code === 0 ? 'an UNDEFINED' : `an unknown`} element type (data_type ${code})`);
  }
  return i;
}

/** `FLOAT`, `INT4`, ...; `UNDEFINED` for 0 and `DATATYPE_<n>` for codes this build does not know. */
export function elemTypeName(code: number): string {
  if (code === 0) return 'UNDEFINED';
  return BY_CODE.get(code)?.name ?? `DATATYPE_${code}`;
}

/** The code for an ONNX type name (case-insensitive, `TensorProto.` prefix allowed), or undefined. */
export function elemTypeFromName(name: string): number | undefined {
  const key = name.trim().toUpperCase().replace(/^TENSORPROTO\./, '');
  return BY_NAME.get(key)?.code;
}

/** Bytes that `n` elements occupy in `raw_data`; sub-byte types round the last byte up. */
export function rawByteLength(code: number, n: number): number {
  const i = elemTypeInfo(code);
  if (i.bits === 0) throw new BrainsmithError('E_TENSOR_TYPE', `${i.name} has no fixed-width byte layout`);
  return i.bits >= 8 ? n * (i.bits / 8) : Math.ceil((n * i.bits) / 8);
}
