import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { DataType, DataTypes, parseDataType, tryParseDataType } from '../../src/datatype/index.js';

function expectRange(dt: DataType, min: number, max: number, bits: number, signed: boolean): void {
  assert.equal(dt.min(), min, `${dt.name} min`);
  assert.equal(dt.max(), max, `${dt.name} max`);
  assert.equal(dt.bitwidth(), bits, `${dt.name} bits`);
  assert.equal(dt.signed(), signed, `${dt.name} signed`);
}

describe('integer families', () => {
  test('INTn and UINTn bounds, including n = 1 and arbitrary n', () => {
    expectRange(DataTypes.INT(1), -1, 0, 1, true);
    expectRange(DataTypes.INT(4), -8, 7, 4, true);
    expectRange(DataTypes.INT(8), -128, 127, 8, true);
    expectRange(DataTypes.INT(23), -(2 ** 22), 2 ** 22 - 1, 23, true);
    expectRange(DataTypes.UINT(2), 0, 3, 2, false);
    expectRange(DataTypes.UINT(8), 0, 255, 8, false);
    expectRange(DataTypes.UINT(53), 0, 2 ** 53 - 1, 53, false);
    expectRange(DataTypes.BINARY, 0, 1, 1, false);
    expectRange(DataTypes.BIPOLAR, -1, 1, 1, true);
    expectRange(DataTypes.TERNARY, -1, 1, 2, true);
  });

  test('64-bit bounds are exact as bigint and allowed() compares exactly', () => {
    const i64 = DataTypes.INT(64);
    const u64 = DataTypes.UINT(64);
    assert.equal(i64.minBigInt(), -(2n ** 63n));
    assert.equal(i64.maxBigInt(), 2n ** 63n - 1n);
    assert.equal(u64.maxBigInt(), 2n ** 64n - 1n);
    assert.equal(i64.max(), 2 ** 63); // the nearest float64, documented
    assert.equal(i64.allowed(2n ** 63n - 1n), true);
    assert.equal(i64.allowed(2n ** 63n), false);
    assert.equal(i64.allowed(2 ** 63), false); // a float64 that equals max() but lies outside the type
    assert.equal(i64.allowed(-(2 ** 63)), true);
    assert.equal(u64.allowed(2n ** 64n - 1n), true);
    assert.equal(u64.allowed(2 ** 64), false);
    assert.equal(u64.allowed(-1), false);
    assert.equal(DataTypes.INT(65).maxBigInt(), 2n ** 64n - 1n);
  });

  test('allowed() for each integer family', () => {
    const int4 = DataTypes.INT(4);
    assert.deepEqual([-9, -8, 0, 7, 8].map((v) => int4.allowed(v)), [false, true, true, true, false]);
    assert.equal(int4.allowed(1.5), false);
    assert.equal(int4.allowed(NaN), false);
    assert.equal(int4.allowed(Infinity), false);
    assert.equal(int4.allowed(-3n), true);
    assert.deepEqual([-1, 0, 1, 2].map((v) => DataTypes.BINARY.allowed(v)), [false, true, true, false]);
    assert.deepEqual([-1, 0, 1, 0.5].map((v) => DataTypes.BIPOLAR.allowed(v)), [true, false, true, false]);
    assert.deepEqual([-2, -1, 0, 1, 0.5].map((v) => DataTypes.TERNARY.allowed(v)), [false, true, true, true, false]);
    assert.equal(DataTypes.BIPOLAR.allowed(-1n), true);
  });

  test('value counts, flags and HLS types', () => {
    assert.equal(DataTypes.INT(4).getNumPossibleValues(), 16);
    assert.equal(DataTypes.UINT(8).getNumPossibleValues(), 256);
    assert.equal(DataTypes.INT(64).getNumPossibleValues(), 2 ** 64);
    assert.equal(DataTypes.BINARY.getNumPossibleValues(), 2);
    assert.equal(DataTypes.BIPOLAR.getNumPossibleValues(), 2);
    assert.equal(DataTypes.TERNARY.getNumPossibleValues(), 3);
    for (const dt of [DataTypes.INT(3), DataTypes.UINT(3), DataTypes.BINARY, DataTypes.BIPOLAR, DataTypes.TERNARY]) {
      assert.equal(dt.isInteger(), true, dt.name);
      assert.equal(dt.isFixedPoint(), false, dt.name);
      assert.equal(dt.scaleFactor(), 1, dt.name);
    }
    assert.equal(DataTypes.INT(4).hlsType(), 'ap_int<4>');
    assert.equal(DataTypes.UINT(8).hlsType(), 'ap_uint<8>');
    assert.equal(DataTypes.BINARY.hlsType(), 'ap_uint<1>');
    assert.equal(DataTypes.BIPOLAR.hlsType(), 'ap_int<1>');
    assert.equal(DataTypes.TERNARY.hlsType(), 'ap_int<2>');
  });
});

describe('FIXED, SCALEDINT and floats', () => {
  test('FIXED<8,4>', () => {
    const fx = DataTypes.FIXED(8, 4);
    expectRange(fx, -8, 7.9375, 8, true);
    assert.equal(fx.scaleFactor(), 1 / 16);
    assert.equal(fx.intWidth(), 4);
    assert.equal(fx.fracWidth(), 4);
    assert.deepEqual([7.9375, -8, 0.0625, 0.03125, 8, 1e-30].map((v) => fx.allowed(v)), [true, true, true, false, false, false]);
    assert.equal(fx.allowed(3n), true);
    assert.equal(fx.allowed(8n), false);
    assert.equal(fx.isFixedPoint(), true);
    assert.equal(fx.isInteger(), false);
    assert.equal(fx.getNumPossibleValues(), 256);
    assert.equal(fx.hlsType(), 'ap_fixed<8, 4>');
    expectRange(DataTypes.FIXED(4, -2), -(2 ** -3), 7 * 2 ** -6, 4, true);
    assert.throws(() => DataTypes.FIXED(4, 4), { code: 'E_DATATYPE' });
  });

  test('SCALEDINT<n> has a width but no value range', () => {
    const s = DataTypes.SCALEDINT(8);
    assert.equal(s.name, 'SCALEDINT<8>');
    assert.equal(s.bitwidth(), 8);
    assert.equal(s.signed(), true);
    assert.equal(s.isInteger(), false);
    assert.equal(s.isFixedPoint(), false);
    assert.equal(s.getNumPossibleValues(), 256);
    assert.throws(() => s.min(), { code: 'E_DATATYPE', message: /SCALEDINT<8>/ });
    assert.throws(() => s.max(), { code: 'E_DATATYPE' });
    assert.throws(() => s.allowed(0), { code: 'E_DATATYPE' });
    assert.throws(() => s.hlsType(), { code: 'E_DATATYPE' });
  });

  test('FLOAT32 and FLOAT16', () => {
    expectRange(DataTypes.FLOAT32, -3.4028234663852886e38, 3.4028234663852886e38, 32, true);
    expectRange(DataTypes.FLOAT16, -65504, 65504, 16, true);
    assert.equal(DataTypes.FLOAT32.allowed(0.1), true);
    assert.equal(DataTypes.FLOAT16.allowed(1e9), true); // QONNX: any value
    assert.equal(DataTypes.FLOAT32.hlsType(), 'float');
    assert.equal(DataTypes.FLOAT16.hlsType(), 'half');
    assert.equal(DataTypes.FLOAT32.isInteger(), false);
    assert.throws(() => DataTypes.FLOAT32.minBigInt(), { code: 'E_DATATYPE' });
  });

  test('FLOAT<e,m[,bias]>: range and exact representability with subnormals', () => {
    const h = DataTypes.FLOAT(5, 10);
    assert.equal(h.name, 'FLOAT<5,10,15>');
    expectRange(h, -131008, 131008, 16, true); // no codes reserved for Inf/NaN
    assert.deepEqual(
      [1.5, 1 + 2 ** -10, 1 + 2 ** -11, 2 ** -24, 3 * 2 ** -24, 2 ** -25, 131008, 131009, -131008, 0, NaN, Infinity].map((v) => h.allowed(v)),
      [true, true, false, true, true, false, true, false, true, true, false, false],
    );
    assert.equal(h.allowed(2n ** 16n), true);
    const e4m3 = DataTypes.FLOAT(4, 3, 7);
    assert.equal(e4m3.max(), 480);
    assert.deepEqual([480, 464, 448, 2 ** -9, 2 ** -10].map((v) => e4m3.allowed(v)), [true, false, true, true, false]);
    assert.equal(DataTypes.FLOAT(4, 3, 0).name, 'FLOAT<4,3,0>');
    assert.equal(DataTypes.FLOAT(4, 3, 0).max(), 1.875 * 2 ** 15);
    assert.equal(h.getNumPossibleValues(), 2 ** 16);
    assert.equal(h.isFixedPoint(), false);
    assert.throws(() => h.hlsType(), { code: 'E_DATATYPE' });
  });
});

describe('names', () => {
  const canonical = [
    'BINARY', 'BIPOLAR', 'TERNARY', 'FLOAT32', 'FLOAT16', 'INT1', 'INT2', 'INT4', 'INT8', 'INT16', 'INT32', 'INT64', 'INT97',
    'UINT2', 'UINT4', 'UINT8', 'UINT32', 'UINT64', 'UINT100', 'FIXED<8,4>', 'FIXED<16,-3>', 'SCALEDINT<8>', 'SCALEDINT<32>',
    'FLOAT<5,10,15>', 'FLOAT<4,3,7>', 'FLOAT<4,3,-2>', 'FLOAT<8,23,127>',
  ];
  test('canonical names parse and print unchanged, one instance per name', () => {
    for (const name of canonical) {
      const dt = parseDataType(name);
      assert.equal(dt.name, name);
      assert.equal(String(dt), name);
      assert.equal(JSON.stringify(dt), JSON.stringify(name));
      assert.equal(parseDataType(dt.name), dt);
      assert.ok(dt.equals(name));
    }
  });
  test('other spellings map to the canonical name', () => {
    const cases: Array<[string, string]> = [
      ['UINT1', 'BINARY'], ['FLOAT<5,10>', 'FLOAT<5,10,15>'], ['FLOAT<4, 3>', 'FLOAT<4,3,7>'], ['FIXED< 8 , 4 >', 'FIXED<8,4>'],
      ['int4', 'INT4'], [' UINT8 ', 'UINT8'], ['INT08', 'INT8'], ['scaledint<4>', 'SCALEDINT<4>'],
    ];
    for (const [input, name] of cases) assert.equal(parseDataType(input).name, name, input);
    assert.equal(DataTypes.UINT(1), DataTypes.BINARY);
    assert.equal(DataTypes.INT(4), parseDataType('INT4'));
    assert.ok(DataTypes.INT(4).equals(DataTypes.INT(4)));
    assert.ok(!DataTypes.INT(4).equals(DataTypes.UINT(4)));
  });
  test('unknown or invalid names are E_DATATYPE errors quoting the string', () => {
    for (const bad of ['', 'INT', 'INT0', 'UINT-3', 'FOO', 'FLOAT', 'FLOAT64', 'FIXED<8>', 'FIXED<4,4>', 'FLOAT<5>', 'FLOAT<0,3>',
      'SCALEDINT<0>', 'INT4.5', 'INT99999']) {
      assert.throws(() => parseDataType(bad), (e: unknown) => {
        assert.equal((e as { code?: string }).code, 'E_DATATYPE', bad);
        assert.ok((e as Error).message.includes(`'${bad}'`), (e as Error).message);
        return true;
      });
      assert.equal(tryParseDataType(bad), undefined);
    }
  });
});
