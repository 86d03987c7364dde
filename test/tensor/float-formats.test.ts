import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { ElemType } from '../../src/tensor/element-type.js';
import {
  decodeFloat, decodeFloatArray, encodeFloat, encodeFloatArray, isFloatFormat, type FloatFormatCode,
} from '../../src/tensor/float-formats.js';
import { seededRandom } from '../../src/util/prng.js';

const T = ElemType;

/** float32 bit pattern of a number (after float32 rounding). */
function f32Bits(x: number): number {
  return new Uint32Array(new Float32Array([x]).buffer)[0]!;
}

function allCodes(count: number): Uint16Array {
  return Uint16Array.from({ length: count }, (_, i) => i);
}

const FORMATS: Array<{ code: FloatFormatCode; name: string; count: number }> = [
  { code: T.FLOAT16, name: 'FLOAT16', count: 1 << 16 },
  { code: T.BFLOAT16, name: 'BFLOAT16', count: 1 << 16 },
  { code: T.FLOAT8E4M3FN, name: 'FLOAT8E4M3FN', count: 256 },
  { code: T.FLOAT8E4M3FNUZ, name: 'FLOAT8E4M3FNUZ', count: 256 },
  { code: T.FLOAT8E5M2, name: 'FLOAT8E5M2', count: 256 },
  { code: T.FLOAT8E5M2FNUZ, name: 'FLOAT8E5M2FNUZ', count: 256 },
  { code: T.FLOAT8E8M0, name: 'FLOAT8E8M0', count: 256 },
  { code: T.FLOAT4E2M1, name: 'FLOAT4E2M1', count: 16 },
];

describe('float formats: every code survives decode → encode', () => {
  for (const { code, name, count } of FORMATS) {
    test(name, () => {
      const codes = allCodes(count);
      const values = decodeFloatArray(code, codes);
      // Every code is a distinct float32 bit pattern; without saturation infinities stay infinities.
      const back = encodeFloatArray(code, values, { saturate: false });
      assert.deepEqual(Array.from(back), Array.from(codes));
      // scalar decode agrees with the array decoder (NaN-aware)
      for (let i = 0; i < count; i += count > 256 ? 97 : 1) {
        const v = decodeFloat(code, i);
        if (Number.isNaN(values[i]!)) assert.ok(Number.isNaN(v));
        else assert.ok(Object.is(v, values[i]), `${name} code ${i}`);
      }
    });
  }
});

describe('float formats: decoding known codes', () => {
  test('FLOAT16', () => {
    assert.equal(decodeFloat(T.FLOAT16, 0x3c00), 1);
    assert.equal(decodeFloat(T.FLOAT16, 0x7bff), 65504);
    assert.equal(decodeFloat(T.FLOAT16, 0x0001), 2 ** -24);
    assert.equal(decodeFloat(T.FLOAT16, 0x03ff), 1023 * 2 ** -24);
    assert.equal(decodeFloat(T.FLOAT16, 0x7c00), Infinity);
    assert.equal(decodeFloat(T.FLOAT16, 0xfc00), -Infinity);
    assert.ok(Object.is(decodeFloat(T.FLOAT16, 0x8000), -0));
    assert.ok(Number.isNaN(decodeFloat(T.FLOAT16, 0x7e00)));
    // NaN payload and sign carry over bit for bit into float32
    const nan = decodeFloatArray(T.FLOAT16, [0x7c01, 0xfe00]);
    assert.deepEqual(Array.from(new Uint32Array(nan.buffer)), [0x7f802000, 0xffc00000]);
  });
  test('BFLOAT16 is the upper half of float32', () => {
    assert.equal(decodeFloat(T.BFLOAT16, 0x3f80), 1);
    assert.equal(decodeFloat(T.BFLOAT16, 0x0001), 2 ** -133);
    assert.equal(decodeFloat(T.BFLOAT16, 0x7f7f), 3.3895313892515355e38);
    assert.equal(decodeFloat(T.BFLOAT16, 0xff80), -Infinity);
  });
  test('FLOAT8 variants', () => {
    assert.equal(decodeFloat(T.FLOAT8E4M3FN, 0x7e), 448);
    assert.equal(decodeFloat(T.FLOAT8E4M3FN, 0x01), 2 ** -9);
    assert.ok(Number.isNaN(decodeFloat(T.FLOAT8E4M3FN, 0x7f)));
    assert.ok(Number.isNaN(decodeFloat(T.FLOAT8E4M3FN, 0xff)));
    assert.equal(decodeFloat(T.FLOAT8E4M3FN, 0x78), 256); // exponent all ones is a normal number here
    assert.ok(Object.is(decodeFloat(T.FLOAT8E4M3FN, 0x80), -0));
    assert.equal(decodeFloat(T.FLOAT8E4M3FNUZ, 0x7f), 240);
    assert.equal(decodeFloat(T.FLOAT8E4M3FNUZ, 0x01), 2 ** -10);
    assert.ok(Number.isNaN(decodeFloat(T.FLOAT8E4M3FNUZ, 0x80)));
    assert.equal(decodeFloat(T.FLOAT8E5M2, 0x7b), 57344);
    assert.equal(decodeFloat(T.FLOAT8E5M2, 0x7c), Infinity);
    assert.ok(Number.isNaN(decodeFloat(T.FLOAT8E5M2, 0x7d)));
    assert.equal(decodeFloat(T.FLOAT8E5M2, 0x01), 2 ** -16);
    assert.equal(decodeFloat(T.FLOAT8E5M2FNUZ, 0x7f), 57344);
    assert.equal(decodeFloat(T.FLOAT8E5M2FNUZ, 0x01), 2 ** -17);
    assert.ok(Number.isNaN(decodeFloat(T.FLOAT8E5M2FNUZ, 0x80)));
  });
  test('FLOAT8E8M0 and FLOAT4E2M1', () => {
    assert.equal(decodeFloat(T.FLOAT8E8M0, 127), 1);
    assert.equal(decodeFloat(T.FLOAT8E8M0, 0), 2 ** -127);
    assert.equal(decodeFloat(T.FLOAT8E8M0, 0xfe), 2 ** 127);
    assert.ok(Number.isNaN(decodeFloat(T.FLOAT8E8M0, 0xff)));
    const e2m1 = Array.from(decodeFloatArray(T.FLOAT4E2M1, allCodes(16)));
    assert.deepEqual(e2m1.slice(0, 8), [0, 0.5, 1, 1.5, 2, 3, 4, 6]);
    assert.deepEqual(e2m1.slice(9), [-0.5, -1, -1.5, -2, -3, -4, -6]);
    assert.ok(Object.is(e2m1[8], -0));
  });
});

describe('float formats: encoding rounds to nearest even and follows ONNX overflow rules', () => {
  test('FLOAT16', () => {
    const e = (x: number): number => encodeFloat(T.FLOAT16, x);
    assert.equal(e(1), 0x3c00);
    assert.equal(e(1 + 2 ** -11), 0x3c00); // tie → even
    assert.equal(e(1 + 3 * 2 ** -11), 0x3c02); // tie → even (up)
    assert.equal(e(65504), 0x7bff);
    assert.equal(e(65519.99), 0x7bff);
    assert.equal(e(65520), 0x7c00); // tie between max and 2^16 rounds to even: infinity
    assert.equal(e(-1e6), 0xfc00);
    assert.equal(e(2 ** -24), 0x0001);
    assert.equal(e(2 ** -25), 0x0000); // tie → even (zero)
    assert.equal(e(2 ** -25 * 1.0001), 0x0001);
    assert.equal(e(3 * 2 ** -25), 0x0002);
    assert.equal(e(-(2 ** -26)), 0x8000); // underflow keeps the sign
    assert.equal(e(1023.5 * 2 ** -24), 0x0400); // rounds up out of the subnormals into the smallest normal
    assert.equal(e(-0), 0x8000);
    assert.equal(e(Infinity), 0x7c00);
    assert.equal(e(NaN), 0x7e00);
    // FLOAT16 overflow is IEEE: `saturate` does not apply
    assert.equal(encodeFloat(T.FLOAT16, 1e6, { saturate: true }), 0x7c00);
  });
  test('a float64 input is rounded once (no double rounding through float32)', () => {
    const x = 1 + 2 ** -11 + 2 ** -40; // just above a FLOAT16 tie; float32(x) is exactly the tie
    assert.equal(Math.fround(x), 1 + 2 ** -11);
    assert.equal(encodeFloat(T.FLOAT16, x), 0x3c01);
    assert.equal(encodeFloatArray(T.FLOAT16, new Float64Array([x]))[0], 0x3c01);
    assert.equal(encodeFloatArray(T.FLOAT16, new Float32Array([x]))[0], 0x3c00);
  });
  test('BFLOAT16', () => {
    const e = (x: number): number => encodeFloat(T.BFLOAT16, x);
    assert.equal(e(1 + 2 ** -8), 0x3f80);
    assert.equal(e(1 + 3 * 2 ** -8), 0x3f82);
    assert.equal(e(3.4028234663852886e38), 0x7f80); // float32 max rounds to infinity
    assert.equal(e(2 ** -133), 0x0001);
    assert.equal(e(NaN), 0x7fc0);
    assert.equal(e(-Infinity), 0xff80);
  });
  test('FLOAT8E4M3FN', () => {
    const sat = (x: number): number => encodeFloat(T.FLOAT8E4M3FN, x);
    const nosat = (x: number): number => encodeFloat(T.FLOAT8E4M3FN, x, { saturate: false });
    assert.equal(sat(448), 0x7e);
    assert.equal(sat(464), 0x7e); // tie between 448 and 480 → even (448)
    assert.equal(nosat(464), 0x7e);
    assert.equal(sat(465), 0x7e);
    assert.equal(nosat(465), 0x7f);
    assert.equal(sat(1e6), 0x7e);
    assert.equal(sat(-1e6), 0xfe);
    assert.equal(nosat(-1e6), 0xff);
    assert.equal(sat(Infinity), 0x7e);
    assert.equal(sat(-Infinity), 0xfe);
    assert.equal(nosat(Infinity), 0x7f);
    assert.equal(nosat(-Infinity), 0xff);
    assert.equal(sat(NaN), 0x7f);
    assert.equal(sat(2 ** -9), 0x01);
    assert.equal(sat(2 ** -10), 0x00);
    assert.equal(sat(-(2 ** -10)), 0x80);
    assert.equal(sat(-0), 0x80);
    assert.equal(sat(0.46875), 0x2f);
  });
  test('FLOAT8E4M3FNUZ', () => {
    const sat = (x: number): number => encodeFloat(T.FLOAT8E4M3FNUZ, x);
    const nosat = (x: number): number => encodeFloat(T.FLOAT8E4M3FNUZ, x, { saturate: false });
    assert.equal(sat(240), 0x7f);
    assert.equal(sat(1e6), 0x7f);
    assert.equal(sat(-Infinity), 0xff);
    assert.equal(nosat(1e6), 0x80);
    assert.equal(nosat(-Infinity), 0x80);
    assert.equal(sat(NaN), 0x80);
    assert.equal(sat(-0), 0x00); // no negative zero
    assert.equal(sat(-1e-7), 0x00);
    assert.equal(sat(2 ** -10), 0x01);
  });
  test('FLOAT8E5M2 and FLOAT8E5M2FNUZ', () => {
    assert.equal(encodeFloat(T.FLOAT8E5M2, 57344), 0x7b);
    assert.equal(encodeFloat(T.FLOAT8E5M2, 61440), 0x7b);
    assert.equal(encodeFloat(T.FLOAT8E5M2, 61440, { saturate: false }), 0x7c); // tie → even: infinity
    assert.equal(encodeFloat(T.FLOAT8E5M2, 61439, { saturate: false }), 0x7b);
    assert.equal(encodeFloat(T.FLOAT8E5M2, -Infinity, { saturate: false }), 0xfc);
    assert.equal(encodeFloat(T.FLOAT8E5M2, Infinity), 0x7b);
    assert.equal(encodeFloat(T.FLOAT8E5M2, NaN), 0x7e);
    assert.equal(encodeFloat(T.FLOAT8E5M2, 2 ** -16), 0x01);
    assert.equal(encodeFloat(T.FLOAT8E5M2FNUZ, 57344), 0x7f);
    assert.equal(encodeFloat(T.FLOAT8E5M2FNUZ, -1e9), 0xff);
    assert.equal(encodeFloat(T.FLOAT8E5M2FNUZ, 1e9, { saturate: false }), 0x80);
    assert.equal(encodeFloat(T.FLOAT8E5M2FNUZ, 2 ** -17), 0x01);
    assert.equal(encodeFloat(T.FLOAT8E5M2FNUZ, -(2 ** -19)), 0x00);
  });
  test('FLOAT8 NaN keeps its sign where the format has signed NaNs', () => {
    const negNaN = new Float32Array(new Uint32Array([0xffc00000, 0x7fc00000]).buffer);
    assert.deepEqual(Array.from(encodeFloatArray(T.FLOAT8E4M3FN, negNaN)), [0xff, 0x7f]);
    assert.deepEqual(Array.from(encodeFloatArray(T.FLOAT8E5M2, negNaN)), [0xfe, 0x7e]);
    assert.deepEqual(Array.from(encodeFloatArray(T.FLOAT8E4M3FNUZ, negNaN)), [0x80, 0x80]);
    assert.deepEqual(Array.from(encodeFloatArray(T.FLOAT16, negNaN)), [0xfe00, 0x7e00]);
  });
  test('FLOAT4E2M1 ties, saturation and NaN', () => {
    const e = (x: number): number => encodeFloat(T.FLOAT4E2M1, x);
    const cases: Array<[number, number]> = [
      [0.25, 0x0], [0.26, 0x1], [0.75, 0x2], [1.25, 0x2], [1.75, 0x4], [2.5, 0x4], [3.5, 0x6], [5, 0x6],
      [5.01, 0x7], [100, 0x7], [Infinity, 0x7], [-Infinity, 0xf], [-3.5, 0xe], [-0, 0x8], [-0.1, 0x8], [NaN, 0x8],
    ];
    for (const [x, code] of cases) assert.equal(e(x), code, `FLOAT4E2M1(${x})`);
  });
  test('FLOAT8E8M0 rounding modes and saturation', () => {
    const e = (x: number, o = {}): number => encodeFloat(T.FLOAT8E8M0, x, o);
    assert.equal(e(1), 127);
    assert.equal(e(0.124), 0x7c);
    assert.equal(e(1.1), 0x80);
    assert.equal(e(3), 0x81);
    assert.equal(e(3, { roundMode: 'down' }), 0x80);
    assert.equal(e(3, { roundMode: 'nearest' }), 0x81);
    assert.equal(e(2.9, { roundMode: 'nearest' }), 0x80);
    assert.equal(e(0), 0);
    assert.equal(e(2 ** -127), 0);
    assert.equal(e(2 ** -140), 0);
    assert.equal(e(2 ** 127), 0xfe);
    assert.equal(e(2 ** 127 * 1.5), 0xfe);
    assert.equal(e(2 ** 127 * 1.5, { saturate: false }), 0xff);
    assert.equal(e(2 ** 127 * 1.5, { saturate: false, roundMode: 'down' }), 0xfe);
    assert.equal(e(Infinity), 0xfe);
    assert.equal(e(Infinity, { saturate: false }), 0xff);
    assert.equal(e(NaN), 0xff);
    assert.equal(e(-4), 0x81); // sign ignored, as ONNX's reference does
  });
  test('only narrow float formats are accepted', () => {
    assert.equal(isFloatFormat(T.FLOAT), false);
    assert.equal(isFloatFormat(T.FLOAT8E8M0), true);
    assert.throws(() => encodeFloat(T.FLOAT as FloatFormatCode, 1), { code: 'E_TENSOR_TYPE' });
  });
});

describe('float formats: encoding agrees with a brute-force nearest search', () => {
  const cases: Array<{ code: FloatFormatCode; name: string; count: number }> = FORMATS.filter(
    (f) => f.code !== T.FLOAT8E8M0 && f.code !== T.BFLOAT16,
  );
  for (const { code, name, count } of cases) {
    test(name, () => {
      const values = decodeFloatArray(code, allCodes(count));
      // finite non-negative codes sorted by value
      const finite: Array<{ code: number; v: number }> = [];
      values.forEach((v, c) => {
        if (Number.isFinite(v) && !Object.is(v, -0) && v >= 0) finite.push({ code: c, v });
      });
      finite.sort((a, b) => a.v - b.v);
      const max = finite[finite.length - 1]!.v;
      const random = seededRandom(code);
      for (let i = 0; i < 20000; i++) {
        // log-uniform magnitudes over the whole range, including subnormals
        const x = Math.fround(2 ** (random() * (Math.log2(max) + 30) - 28) * (1 + random()));
        if (x > max) continue;
        const got = encodeFloat(code, x, { saturate: true });
        // the two finite neighbours of x by binary search
        let lo = 0;
        let hi = finite.length - 1;
        while (hi - lo > 1) {
          const mid = (lo + hi) >> 1;
          if (finite[mid]!.v <= x) lo = mid;
          else hi = mid;
        }
        const below = finite[lo]!;
        const above = finite[hi]!;
        const best = Math.abs(above.v - x) < Math.abs(below.v - x) ? above : below;
        const bestErr = Math.abs(best.v - x);
        const gotErr = Math.abs(values[got]! - x);
        assert.equal(gotErr, bestErr, `${name}: ${x} encoded as ${got} (${values[got]}), nearest ${best.v}`);
        if (got !== best.code) {
          // an exact tie: the chosen code must have an even mantissa
          assert.equal(got % 2, 0, `${name}: tie at ${x} must round to even`);
        }
      }
    });
  }
});

test('the float32 fast path agrees with the exact number path on random bit patterns', () => {
  const random = seededRandom(7);
  const bits = new Uint32Array(50000);
  for (let i = 0; i < bits.length; i++) bits[i] = Math.floor(random() * 2 ** 32);
  // bias towards small exponents so subnormal and underflow paths are exercised too
  for (let i = 0; i < bits.length; i += 3) bits[i] = (bits[i]! & 0x80ffffff) | (Math.floor(random() * 0x7f) << 23);
  const randomValues = new Float32Array(bits.buffer);
  for (const { code, name, count } of FORMATS) {
    // plus every exact tie: the midpoints between neighbouring codes
    const decoded = decodeFloatArray(code, allCodes(count));
    const ties: number[] = [];
    for (let c = 0; c + 1 < count; c++) {
      const mid = (decoded[c]! + decoded[c + 1]!) / 2;
      if (Number.isFinite(mid) && Math.fround(mid) === mid) ties.push(mid);
    }
    const values = Float32Array.from([...randomValues, ...ties]);
    for (const saturate of [true, false]) {
      const fast = encodeFloatArray(code, values, { saturate });
      for (let i = 0; i < values.length; i++) {
        if (Number.isNaN(values[i]!)) continue; // NaN sign/payload only come through the bit path
        assert.equal(fast[i], encodeFloat(code, values[i]!, { saturate }), `${name} saturate=${saturate} value ${values[i]}`);
      }
    }
  }
});

test('decodeFloatArray writes into a given output and checks its size', () => {
  const out = new Float32Array(4);
  decodeFloatArray(T.FLOAT8E4M3FN, new Uint8Array([0x38, 0xb8]), out.subarray(1, 3));
  assert.deepEqual(Array.from(out), [0, 1, -1, 0]);
  assert.throws(() => decodeFloatArray(T.FLOAT16, [1, 2, 3], new Float32Array(2)), RangeError);
  assert.equal(f32Bits(decodeFloat(T.FLOAT8E4M3FN, 0x38)), 0x3f800000);
});
