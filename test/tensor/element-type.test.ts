import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import {
  ALL_ELEM_TYPES, ElemType, elemTypeFromName, elemTypeInfo, elemTypeName, isKnownElemType, rawByteLength,
} from '../../src/tensor/element-type.js';

test('codes 1..26 are all known, with names matching the enum', () => {
  assert.equal(ALL_ELEM_TYPES.length, 26);
  for (let code = 1; code <= 26; code++) {
    const info = elemTypeInfo(code);
    assert.equal(info.code, code);
    assert.equal(ElemType[info.name], code);
    assert.equal(elemTypeName(code), info.name);
    assert.equal(elemTypeFromName(info.name), code);
  }
  assert.equal(ElemType.FLOAT8E4M3FN, 17);
  assert.equal(ElemType.INT2, 26);
  assert.equal(isKnownElemType(0), false);
  assert.equal(isKnownElemType(27), false);
});

test('unknown and UNDEFINED codes are errors naming the code', () => {
  assert.throws(() => elemTypeInfo(0), { code: 'E_TENSOR_TYPE', message: /UNDEFINED.*data_type 0/ });
  assert.throws(() => elemTypeInfo(99, "tensor 'w'"), { code: 'E_TENSOR_TYPE', message: /tensor 'w'.*99/ });
  assert.equal(elemTypeName(0), 'UNDEFINED');
  assert.equal(elemTypeName(99), 'DATATYPE_99');
  assert.equal(elemTypeFromName('tensorproto.float16'), ElemType.FLOAT16);
  assert.equal(elemTypeFromName('NOPE'), undefined);
});

test('bit widths and byte lengths, sub-byte types rounded up', () => {
  const bits: Record<string, number> = {
    FLOAT: 32, UINT8: 8, INT8: 8, UINT16: 16, INT16: 16, INT32: 32, INT64: 64, BOOL: 8, FLOAT16: 16, DOUBLE: 64,
    UINT32: 32, UINT64: 64, COMPLEX64: 64, COMPLEX128: 128, BFLOAT16: 16, FLOAT8E4M3FN: 8, FLOAT8E4M3FNUZ: 8,
    FLOAT8E5M2: 8, FLOAT8E5M2FNUZ: 8, UINT4: 4, INT4: 4, FLOAT4E2M1: 4, FLOAT8E8M0: 8, UINT2: 2, INT2: 2, STRING: 0,
  };
  for (const info of ALL_ELEM_TYPES) assert.equal(info.bits, bits[info.name], info.name);
  assert.equal(rawByteLength(ElemType.INT4, 5), 3);
  assert.equal(rawByteLength(ElemType.UINT2, 5), 2);
  assert.equal(rawByteLength(ElemType.COMPLEX128, 3), 48);
  assert.throws(() => rawByteLength(ElemType.STRING, 1), { code: 'E_TENSOR_TYPE' });
});

test('proto fields follow onnx.proto', () => {
  const field = (code: number): string => elemTypeInfo(code).field;
  for (const c of [ElemType.INT32, ElemType.INT16, ElemType.INT8, ElemType.UINT16, ElemType.UINT8, ElemType.BOOL,
    ElemType.FLOAT16, ElemType.BFLOAT16, ElemType.FLOAT8E4M3FN, ElemType.FLOAT8E5M2FNUZ, ElemType.FLOAT8E8M0,
    ElemType.INT4, ElemType.UINT4, ElemType.FLOAT4E2M1, ElemType.INT2, ElemType.UINT2]) {
    assert.equal(field(c), 'int32_data', elemTypeName(c));
  }
  assert.equal(field(ElemType.FLOAT), 'float_data');
  assert.equal(field(ElemType.COMPLEX64), 'float_data');
  assert.equal(field(ElemType.DOUBLE), 'double_data');
  assert.equal(field(ElemType.COMPLEX128), 'double_data');
  assert.equal(field(ElemType.INT64), 'int64_data');
  assert.equal(field(ElemType.UINT32), 'uint64_data');
  assert.equal(field(ElemType.UINT64), 'uint64_data');
  assert.equal(field(ElemType.STRING), 'string_data');
  assert.equal(elemTypeInfo(ElemType.INT4).perFieldEntry, 2);
  assert.equal(elemTypeInfo(ElemType.UINT2).perFieldEntry, 4);
  assert.equal(elemTypeInfo(ElemType.FLOAT16).perFieldEntry, 1);
});
