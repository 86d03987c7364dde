import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { decodeTensorProto, encodeTensorProto } from '../../src/onnx/codec.js';
import { Long } from '../../src/onnx/int64.js';
import type { TensorProto } from '../../src/onnx/proto-types.js';
import { ALL_ELEM_TYPES, ElemType, elemTypeInfo, type ProtoField } from '../../src/tensor/element-type.js';
import { decodeFloatArray } from '../../src/tensor/float-formats.js';
import {
  makeTensor, numElements, tensorFromProto, tensorToNumbers, tensorToProto, type TensorData, type TensorValue,
} from '../../src/tensor/tensor-value.js';

const T = ElemType;

function codes(n: number): Uint16Array {
  return Uint16Array.from({ length: n }, (_, i) => i);
}

/** One sample per element type, with edge values: NaN/±Inf/subnormals/−0 for floats, extremes for integers. */
function sample(code: number): TensorValue {
  switch (code) {
    case T.FLOAT: return makeTensor(code, [9], new Float32Array([0, -0, 1.5, -2.25, NaN, Infinity, -Infinity, 1e-45, 3.4e38]));
    case T.UINT8: return makeTensor(code, [5], new Uint8Array([0, 1, 127, 128, 255]));
    case T.INT8: return makeTensor(code, [5], new Int8Array([-128, -1, 0, 1, 127]));
    case T.UINT16: return makeTensor(code, [2, 2], new Uint16Array([0, 1, 32768, 65535]));
    case T.INT16: return makeTensor(code, [4], new Int16Array([-32768, -1, 0, 32767]));
    case T.INT32: return makeTensor(code, [4], new Int32Array([-(2 ** 31), -1, 0, 2 ** 31 - 1]));
    case T.INT64: return makeTensor(code, [5], new BigInt64Array([-(2n ** 63n), -1n, 0n, 2n ** 53n + 1n, 2n ** 63n - 1n]));
    case T.STRING: return makeTensor(code, [5], ['', 'abc', 'héllo', '日本', '🙂']);
    case T.BOOL: return makeTensor(code, [5], new Uint8Array([0, 1, 1, 0, 1]));
    case T.FLOAT16: return makeTensor(code, [2, 5], new Float32Array([0, -0, 1, -2, 65504, 2 ** -24, NaN, Infinity, -Infinity, 0.333251953125]));
    case T.DOUBLE: return makeTensor(code, [7], new Float64Array([0, -0, Math.PI, NaN, Infinity, 5e-324, -1.7976931348623157e308]));
    case T.UINT32: return makeTensor(code, [4], new Uint32Array([0, 1, 2 ** 31, 2 ** 32 - 1]));
    case T.UINT64: return makeTensor(code, [4], new BigUint64Array([0n, 1n, 2n ** 63n, 2n ** 64n - 1n]));
    case T.COMPLEX64: return makeTensor(code, [3], new Float32Array([1, 2, -3, 4.5, NaN, -0]));
    case T.COMPLEX128: return makeTensor(code, [2], new Float64Array([Math.E, -1, Infinity, 1e-310]));
    case T.BFLOAT16: return makeTensor(code, [6], decodeFloatArray(code, [0x3f80, 0x8000, 0x7f80, 0x7fc0, 0x0001, 0xc2f7]));
    case T.FLOAT8E4M3FN: case T.FLOAT8E4M3FNUZ: case T.FLOAT8E5M2: case T.FLOAT8E5M2FNUZ: case T.FLOAT8E8M0:
      return makeTensor(code, [16, 16], decodeFloatArray(code, codes(256))); // every code
    case T.FLOAT4E2M1: return makeTensor(code, [17], decodeFloatArray(code, [...codes(16), 5]));
    case T.UINT4: return makeTensor(code, [17], Uint8Array.from([...codes(16), 7]));
    case T.INT4: return makeTensor(code, [17], Int8Array.from([...codes(16)].map((c) => c - 8).concat([-3])));
    case T.UINT2: return makeTensor(code, [7], new Uint8Array([0, 1, 2, 3, 3, 2, 1]));
    case T.INT2: return makeTensor(code, [5], new Int8Array([-2, -1, 0, 1, 1]));
    default: throw new Error(`no sample for ${code}`);
  }
}

/** Same container and same bytes (so NaN payloads and −0 count), or equal strings. */
function assertSameData(actual: TensorData, expected: TensorData, label: string): void {
  if (Array.isArray(expected)) {
    assert.deepEqual(actual, expected, label);
    return;
  }
  assert.ok(!Array.isArray(actual), label);
  assert.equal(actual.constructor, expected.constructor, `${label}: container`);
  assert.deepEqual(
    new Uint8Array(actual.buffer, actual.byteOffset, actual.byteLength),
    new Uint8Array(expected.buffer, expected.byteOffset, expected.byteLength),
    `${label}: bytes`,
  );
}

function assertSameTensor(actual: TensorValue, expected: TensorValue, label: string): void {
  assert.equal(actual.elemType, expected.elemType, label);
  assert.deepEqual(actual.dims, expected.dims, label);
  assertSameData(actual.data, expected.data, label);
}

/** Through protobuf bytes and back, so int64 fields come back as Long and bytes as views. */
function viaWire(p: TensorProto): TensorProto {
  return decodeTensorProto(encodeTensorProto(p));
}

const DATA_FIELDS: ProtoField[] = ['float_data', 'int32_data', 'string_data', 'int64_data', 'double_data', 'uint64_data'];

describe('every element type round-trips through tensorToProto/tensorFromProto', () => {
  for (const info of ALL_ELEM_TYPES) {
    test(`${info.name} via raw_data`, () => {
      const v = sample(info.code);
      const p = tensorToProto(v, 'x');
      assert.equal(p.name, 'x');
      if (info.storage === 'string') {
        assert.equal(p.raw_data, undefined);
        assert.equal(p.string_data?.length, v.data.length);
      } else {
        assert.ok(p.raw_data instanceof Uint8Array);
        for (const f of DATA_FIELDS) assert.equal(p[f], undefined, f);
      }
      assertSameTensor(tensorFromProto(viaWire(p)), v, info.name);
      assertSameTensor(tensorFromProto(p), v, `${info.name} (in memory)`);
    });
    test(`${info.name} via ${info.field}`, () => {
      const v = sample(info.code);
      const p = tensorToProto(v, 'x', { raw: false });
      assert.equal(p.raw_data, undefined);
      const n = numElements(v.dims);
      assert.equal(p[info.field]?.length, Math.ceil((n * info.lanes) / info.perFieldEntry));
      for (const f of DATA_FIELDS) if (f !== info.field) assert.equal(p[f], undefined, f);
      assertSameTensor(tensorFromProto(viaWire(p)), v, info.name);
    });
  }
});

describe('raw_data views', () => {
  for (const info of ALL_ELEM_TYPES.filter((i) => i.bits >= 8)) {
    test(`${info.name}: misaligned raw_data decodes the same`, () => {
      const v = sample(info.code);
      const raw = tensorToProto(v).raw_data!;
      const file = new Uint8Array(raw.length + 3);
      file.set(raw, 1);
      const misaligned = file.subarray(1, 1 + raw.length);
      assertSameTensor(tensorFromProto({ dims: v.dims, data_type: info.code, raw_data: misaligned }), v, info.name);
    });
  }

  test('a misaligned Node Buffer is copied, not re-viewed (Buffer#slice would share memory)', () => {
    const file = Buffer.alloc(13);
    new DataView(file.buffer, file.byteOffset).setFloat32(1, -3.5, true);
    new DataView(file.buffer, file.byteOffset).setFloat32(5, 0.25, true);
    const v = tensorFromProto({ dims: [3], data_type: T.FLOAT, raw_data: file.subarray(1) });
    assert.deepEqual(Array.from(v.data as Float32Array), [-3.5, 0.25, 0]);
  });

  test('aligned raw_data of plain numeric types is a view, not a copy', () => {
    for (const code of [T.FLOAT, T.DOUBLE, T.INT32, T.INT64, T.UINT16, T.UINT8, T.COMPLEX64]) {
      const raw = tensorToProto(sample(code)).raw_data!;
      const file = new Uint8Array(raw.length + 8);
      file.set(raw, 8);
      const decoded = tensorFromProto({ dims: sample(code).dims, data_type: code, raw_data: file.subarray(8) });
      assert.equal((decoded.data as Float32Array).buffer, file.buffer, elemTypeInfo(code).name);
    }
  });

  test('raw_data is little-endian', () => {
    const p: TensorProto = { dims: [2], data_type: T.FLOAT, raw_data: new Uint8Array([0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0]) };
    assert.deepEqual(Array.from(tensorFromProto(p).data as Float32Array), [1, -2]);
    const i16 = tensorToProto(makeTensor(T.INT16, [1], new Int16Array([0x0102])));
    assert.deepEqual(Array.from(i16.raw_data!), [0x02, 0x01]);
  });

  test('a 64 MB float tensor decodes as a view, and with one copy when misaligned', () => {
    const n = 16 * 1024 * 1024;
    const file = new Uint8Array(4 * n + 4);
    const f = new Float32Array(file.buffer, 4, n);
    f[0] = 1.5;
    f[n - 1] = -7;
    const aligned = tensorFromProto({ dims: [n], data_type: T.FLOAT, raw_data: file.subarray(4) });
    assert.equal((aligned.data as Float32Array).buffer, file.buffer);
    const misaligned = tensorFromProto({ dims: [n / 2, 2], data_type: T.FLOAT, raw_data: new Uint8Array(file.buffer, 4, 4 * n).subarray(0) });
    assert.equal((misaligned.data as Float32Array)[n - 1], -7);
    const file2 = new Uint8Array(4 * n + 1);
    file2.set(new Uint8Array(file.buffer, 4, 4 * n), 1);
    const copied = tensorFromProto({ dims: [n], data_type: T.FLOAT, raw_data: file2.subarray(1) });
    const data = copied.data as Float32Array;
    assert.notEqual(data.buffer, file2.buffer);
    assert.equal(data[0], 1.5);
    assert.equal(data[n - 1], -7);
    // The copy is one allocation of the tensor's own size (speed is measured in bench/, not here).
    assert.equal(data.buffer.byteLength, 4 * n);
    // encoding a FLOAT tensor to raw_data is a view too
    assert.equal(tensorToProto(aligned).raw_data!.buffer, file.buffer);
  });
});

describe('typed fields as ONNX writers use them', () => {
  test('FLOAT16/BFLOAT16 as bit patterns in int32_data (sign-extended patterns accepted)', () => {
    const h = tensorFromProto({ dims: [4], data_type: T.FLOAT16, int32_data: [0x3c00, 0xc000, 0x7c00, -1024] });
    assert.deepEqual(Array.from(h.data as Float32Array), [1, -2, Infinity, -Infinity]);
    const b = tensorFromProto({ dims: [2], data_type: T.BFLOAT16, int32_data: [0x3f80, 0xc2f7] });
    assert.deepEqual(Array.from(b.data as Float32Array), [1, -123.5]);
  });
  test('FLOAT8 and FLOAT8E8M0 codes in int32_data', () => {
    const f8 = tensorFromProto({ dims: [3], data_type: T.FLOAT8E4M3FN, int32_data: [0x38, 0xb8, 0x7e] });
    assert.deepEqual(Array.from(f8.data as Float32Array), [1, -1, 448]);
    const e8 = tensorFromProto({ dims: [2], data_type: T.FLOAT8E8M0, int32_data: [127, 130] });
    assert.deepEqual(Array.from(e8.data as Float32Array), [1, 8]);
  });
  test('4-bit types: two elements per int32_data entry; 2-bit: four', () => {
    const i4 = tensorFromProto({ dims: [5], data_type: T.INT4, int32_data: [0x87, 0xa9, 0x0f] });
    assert.deepEqual(Array.from(i4.data as Int8Array), [7, -8, -7, -6, -1]);
    const f4 = tensorFromProto({ dims: [3], data_type: T.FLOAT4E2M1, int32_data: [0x71, 0x0f] });
    assert.deepEqual(Array.from(f4.data as Float32Array), [0.5, 6, -6]);
    const u2 = tensorFromProto({ dims: [5], data_type: T.UINT2, int32_data: [0x39, 0x01] });
    assert.deepEqual(Array.from(u2.data as Uint8Array), [1, 2, 3, 0, 1]);
    const p = tensorToProto(makeTensor(T.INT4, [3], new Int8Array([1, -2, 3])), 'q', { raw: false });
    assert.deepEqual(p.int32_data, [0xe1, 0x03]);
    assert.deepEqual(Array.from(tensorToProto(makeTensor(T.UINT2, [5], new Uint8Array([1, 2, 3, 0, 1]))).raw_data!), [0x39, 0x01]);
  });
  test('BOOL, small integers in int32_data; BOOL written as 0/1', () => {
    assert.deepEqual(Array.from(tensorFromProto({ dims: [3], data_type: T.BOOL, int32_data: [1, 0, 1] }).data as Uint8Array), [1, 0, 1]);
    assert.deepEqual(Array.from(tensorFromProto({ dims: [2], data_type: T.INT8, int32_data: [-128, 127] }).data as Int8Array), [-128, 127]);
    assert.deepEqual(Array.from(tensorFromProto({ dims: [1], data_type: T.UINT16, int32_data: [65535] }).data as Uint16Array), [65535]);
    const b = tensorToProto({ elemType: T.BOOL, dims: [3], data: new Uint8Array([0, 2, 255]) });
    assert.deepEqual(Array.from(b.raw_data!), [0, 1, 1]);
  });
  test('64-bit integers from Long and from plain numbers', () => {
    const i64 = tensorFromProto({ dims: [3], data_type: T.INT64, int64_data: [Long.fromString('-9223372036854775808'), -5, 2 ** 53] });
    assert.deepEqual(Array.from(i64.data as BigInt64Array), [-(2n ** 63n), -5n, 2n ** 53n]);
    const u64 = tensorFromProto({ dims: [2], data_type: T.UINT64, uint64_data: [Long.fromString('18446744073709551615', true), 7] });
    assert.deepEqual(Array.from(u64.data as BigUint64Array), [2n ** 64n - 1n, 7n]);
    const u32 = tensorFromProto({ dims: [2], data_type: T.UINT32, uint64_data: [4294967295, Long.fromNumber(3, true)] });
    assert.deepEqual(Array.from(u32.data as Uint32Array), [4294967295, 3]);
    const back = tensorToProto(u64, 'u', { raw: false }).uint64_data!;
    assert.equal(back[0]!.toString(), '18446744073709551615');
    assert.throws(() => tensorFromProto({ dims: [1], data_type: T.INT64, int64_data: [1.5] }), { code: 'E_TENSOR_DATA' });
  });
  test('complex values interleave real and imaginary parts', () => {
    const c = tensorFromProto({ dims: [2], data_type: T.COMPLEX64, float_data: [1, 2, 3, 4] });
    assert.deepEqual(Array.from(c.data as Float32Array), [1, 2, 3, 4]);
    assert.throws(() => tensorFromProto({ dims: [2], data_type: T.COMPLEX64, float_data: [1, 2] }), /4 expected/);
  });
  test('strings are UTF-8', () => {
    const s = tensorFromProto({ dims: [2], data_type: T.STRING, string_data: [new TextEncoder().encode('né'), new Uint8Array(0)] });
    assert.deepEqual(s.data, ['né', '']);
    assert.deepEqual(Array.from(tensorToProto(s).string_data![0]!), [0x6e, 0xc3, 0xa9]);
  });
  test('raw_data takes precedence over a typed field', () => {
    const p: TensorProto = { dims: [1], data_type: T.FLOAT, float_data: [5], raw_data: new Uint8Array([0, 0, 0x80, 0x3f]) };
    assert.deepEqual(Array.from(tensorFromProto(p).data as Float32Array), [1]);
  });
});

describe('shapes and empty tensors', () => {
  test('scalars and zero-size tensors', () => {
    assert.equal(numElements([]), 1);
    assert.equal(numElements([2, 0, 3]), 0);
    assert.equal(numElements([2, 3, 4]), 24);
    assert.throws(() => numElements([2, -1]), { code: 'E_TENSOR_DATA' });
    const scalar = tensorFromProto({ data_type: T.DOUBLE, double_data: [2.5] });
    assert.deepEqual(scalar.dims, []);
    assert.deepEqual(Array.from(scalar.data as Float64Array), [2.5]);
    for (const info of ALL_ELEM_TYPES) {
      const empty = tensorFromProto({ dims: [2, 0], data_type: info.code });
      assert.equal(empty.data.length, 0, info.name);
      assertSameTensor(tensorFromProto(viaWire(tensorToProto(empty))), empty, info.name);
    }
  });
  test('dims given as Long', () => {
    const t = tensorFromProto({ dims: [Long.fromNumber(2), Long.fromNumber(1)], data_type: T.INT32, int32_data: [1, 2] });
    assert.deepEqual(t.dims, [2, 1]);
  });
});

describe('errors name the tensor and say what is wrong', () => {
  const check = (p: TensorProto, code: string, message: RegExp): void => {
    assert.throws(() => tensorFromProto(p), (e: unknown) => {
      assert.ok(e instanceof Error);
      assert.equal((e as { code?: string }).code, code);
      assert.match(e.message, message);
      return true;
    });
  };
  test('data length does not match dims', () => {
    check({ name: 'w', dims: [2, 3], data_type: T.FLOAT, raw_data: new Uint8Array(20) }, 'E_TENSOR_DATA', /tensor 'w'.*20 bytes of raw_data; 24 expected/);
    check({ name: 'w', dims: [5], data_type: T.INT4, raw_data: new Uint8Array(2) }, 'E_TENSOR_DATA', /tensor 'w'.*3 expected/);
    check({ name: 'w', dims: [5], data_type: T.INT4, int32_data: [1, 2] }, 'E_TENSOR_DATA', /tensor 'w'.*2 entries in int32_data; 3 expected/);
    check({ name: 'b', dims: [3], data_type: T.FLOAT, float_data: [1, 2] }, 'E_TENSOR_DATA', /tensor 'b'.*float_data; 3 expected/);
    check({ name: 'b', dims: [2], data_type: T.STRING, string_data: [new Uint8Array(0)] }, 'E_TENSOR_DATA', /tensor 'b'/);
  });
  test('missing data, data in the wrong field, strings in raw_data', () => {
    check({ name: 'm', dims: [2], data_type: T.FLOAT }, 'E_TENSOR_DATA', /tensor 'm'.*no data; 2 elements expected/);
    check({ name: 'm', dims: [1], data_type: T.INT64, int32_data: [1] }, 'E_TENSOR_DATA', /tensor 'm'.*int32_data.*int64_data/);
    check({ name: 's', dims: [1], data_type: T.STRING, raw_data: new Uint8Array(1) }, 'E_TENSOR_DATA', /STRING.*string_data/);
    check({ dims: [1], data_type: T.FLOAT, float_data: [1], segment: { begin: 0, end: 1 } }, 'E_TENSOR_DATA', /segment/);
    check({ name: 'd', dims: [-1], data_type: T.FLOAT }, 'E_TENSOR_DATA', /tensor 'd'.*dimension -1/);
  });
  test('unknown element types', () => {
    check({ name: 'u', dims: [1], data_type: 99, raw_data: new Uint8Array(1) }, 'E_TENSOR_TYPE', /tensor 'u'.*99/);
    check({ name: 'u', dims: [1] }, 'E_TENSOR_TYPE', /UNDEFINED/);
  });
  test('external data needs a reader', () => {
    const p: TensorProto = {
      name: 'e', dims: [2], data_type: T.INT16, data_location: 1,
      external_data: [{ key: 'location', value: 'w.bin' }],
    };
    check(p, 'E_TENSOR_EXTERNAL', /tensor 'e'.*external/);
    const seen: string[] = [];
    const v = tensorFromProto(p, {
      readExternal: (t) => {
        seen.push(t.external_data![0]!.value!);
        return new Uint8Array([1, 0, 0xff, 0xff]);
      },
    });
    assert.deepEqual(seen, ['w.bin']);
    assert.deepEqual(Array.from(v.data as Int16Array), [1, -1]);
    assert.throws(() => tensorFromProto(p, { readExternal: () => new Uint8Array(3) }), /3 bytes of external data; 4 expected/);
  });
});

describe('makeTensor and tensorToNumbers', () => {
  test('makeTensor checks container, length and sub-byte ranges', () => {
    assert.throws(() => makeTensor(T.FLOAT, [2], new Float64Array(2)), { code: 'E_TENSOR_DATA', message: /Float32Array/ });
    assert.throws(() => makeTensor(T.FLOAT, [2, 2], new Float32Array(3)), { code: 'E_TENSOR_DATA', message: /4 data entries, got 3/ });
    assert.throws(() => makeTensor(T.COMPLEX64, [2], new Float32Array(2)), /4 data entries/);
    assert.throws(() => makeTensor(T.INT4, [1], new Int8Array([8])), /outside \[-8, 7\]/);
    assert.throws(() => makeTensor(T.UINT2, [1], new Uint8Array([4])), /outside \[0, 3\]/);
    assert.throws(() => makeTensor(T.STRING, [1], new Uint8Array(1)), /string\[\]/);
    assert.throws(() => makeTensor(42, [1], new Uint8Array(1)), { code: 'E_TENSOR_TYPE' });
    const dims = [3];
    const t = makeTensor(T.INT8, dims, new Int8Array(3));
    dims.push(1);
    assert.deepEqual(t.dims, [3]);
  });
  test('tensorToProto rejects an inconsistent value', () => {
    assert.throws(() => tensorToProto({ elemType: T.INT32, dims: [3], data: new Int32Array(2) }, 'bad'), /tensor 'bad'/);
  });
  test('tensorToNumbers', () => {
    assert.deepEqual(Array.from(tensorToNumbers(sample(T.INT4))), [...codes(16)].map((c) => c - 8).concat([-3]));
    assert.deepEqual(Array.from(tensorToNumbers(makeTensor(T.INT64, [2], new BigInt64Array([-(2n ** 40n), 2n ** 63n - 1n])))), [-(2 ** 40), 2 ** 63]);
    assert.deepEqual(Array.from(tensorToNumbers({ elemType: T.BOOL, dims: [2], data: new Uint8Array([0, 9]) })), [0, 1]);
    assert.deepEqual(Array.from(tensorToNumbers(makeTensor(T.FLOAT16, [1], new Float32Array([0.5])))), [0.5]);
    assert.throws(() => tensorToNumbers(sample(T.STRING)), { code: 'E_TENSOR_TYPE' });
    assert.throws(() => tensorToNumbers(sample(T.COMPLEX64)), { code: 'E_TENSOR_TYPE' });
  });
});
