import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { smallestCandidates, smallestDataType, smallestDataTypeFor } from '../../src/datatype/index.js';

describe('smallestDataType(min, max)', () => {
  test("QONNX's candidate order: BINARY, UINT2..64, BIPOLAR, TERNARY, INT1..64", () => {
    const names = smallestCandidates().map((d) => d.name);
    assert.equal(names.length, 130);
    assert.deepEqual(names.slice(0, 3), ['BINARY', 'UINT2', 'UINT3']);
    assert.deepEqual(names.slice(62, 68), ['UINT63', 'UINT64', 'BIPOLAR', 'TERNARY', 'INT1', 'INT2']);
    assert.equal(names[129], 'INT64');
  });

  test('ranges', () => {
    const cases: Array<[number | bigint, number | bigint, string]> = [
      [0, 0, 'BINARY'], [0, 1, 'BINARY'], [1, 1, 'BINARY'], [0, 2, 'UINT2'], [0, 3, 'UINT2'], [0, 4, 'UINT3'],
      [3, 200, 'UINT8'], [0, 255, 'UINT8'], [0, 256, 'UINT9'],
      [-1, -1, 'BIPOLAR'], // a range holding only −1
      [-1, 0, 'TERNARY'], // TERNARY is preferred to INT1, as in QONNX's order
      [-1, 1, 'TERNARY'], // includes 0, which BIPOLAR lacks
      [-2, 1, 'INT2'], [-2, 2, 'INT3'], [-128, 127, 'INT8'], [-129, 0, 'INT9'], [-5, 300, 'INT10'],
      [0, 2 ** 53, 'UINT54'], [0, 2n ** 64n - 1n, 'UINT64'], [-(2n ** 63n), 0, 'INT64'], [-(2 ** 63), 2n ** 63n - 1n, 'INT64'],
      [0, 2 ** 63, 'UINT64'],
      [0, 0.5, 'FLOAT32'], [-0.25, 3, 'FLOAT32'], [0, NaN, 'FLOAT32'], [0, Infinity, 'FLOAT32'],
    ];
    for (const [lo, hi, name] of cases) assert.equal(smallestDataType(lo, hi).name, name, `[${lo}, ${hi}]`);
  });

  test('64-bit limits are exact: 2^63 as a float64 does not fit INT64', () => {
    assert.throws(() => smallestDataType(-1, 2 ** 63), { code: 'E_DATATYPE' });
    assert.throws(() => smallestDataType(0, 2 ** 64), { code: 'E_DATATYPE' });
    assert.throws(() => smallestDataType(-(2 ** 63) - 2 ** 11, 0), { code: 'E_DATATYPE' });
    assert.throws(() => smallestDataType(3, 2), { code: 'E_DATATYPE' });
  });
});

describe('smallestDataTypeFor(values)', () => {
  test('value sets', () => {
    const cases: Array<[ArrayLike<number | bigint>, string]> = [
      [[-1, 1, 1, -1], 'BIPOLAR'], [[-1], 'BIPOLAR'], [[-1, 0, 1], 'TERNARY'], [[0, 1, 0], 'BINARY'], [[1, 1], 'BINARY'],
      [[3, 7], 'UINT3'], [[-1, 2], 'INT3'], [[-2, 1], 'INT2'], [[], 'BINARY'],
      [new Float32Array([0, 0.5]), 'FLOAT32'], [new Float64Array([1, NaN]), 'FLOAT32'],
      [new Int8Array([-128, 5]), 'INT8'], [new Uint8Array([0, 255]), 'UINT8'],
      [new BigInt64Array([-(2n ** 63n), 5n]), 'INT64'], [new BigUint64Array([2n ** 64n - 1n]), 'UINT64'],
      [[5n, -3, 1n], 'INT4'],
    ];
    for (const [values, name] of cases) assert.equal(smallestDataTypeFor(values).name, name, `[${Array.from(values).join(', ')}]`);
  });
  test('single values match the range version', () => {
    for (const v of [-300, -129, -128, -9, -2, -1, 0, 1, 2, 3, 255, 256, 65535, 2 ** 40]) {
      assert.equal(smallestDataTypeFor([v]).name, smallestDataType(v, v).name, String(v));
    }
  });
  test('values beyond 64 bits are an error', () => {
    assert.throws(() => smallestDataTypeFor([2n ** 64n]), { code: 'E_DATATYPE', message: /64 bits/ });
  });
});
