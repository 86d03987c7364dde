import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { packedByteLength, packSubByte, unpackSubByte } from '../../src/tensor/sub-byte.js';
import { swapByteOrder } from '../../src/tensor/byte-order.js';

test('4-bit elements fill bytes low nibble first, odd counts pad the last byte', () => {
  assert.deepEqual(Array.from(packSubByte([1, 2, 3], 4)), [0x21, 0x03]);
  assert.deepEqual(Array.from(packSubByte([-8, 7, -1], 4)), [0x78, 0x0f]);
  assert.deepEqual(Array.from(unpackSubByte([0x87, 0xa9, 0x0f], 4, 5, true)), [7, -8, -7, -6, -1]);
  assert.deepEqual(Array.from(unpackSubByte([0x87, 0xa9, 0x0f], 4, 5, false)), [7, 8, 9, 10, 15]);
  assert.ok(unpackSubByte([0], 4, 1, true) instanceof Int8Array);
  assert.ok(unpackSubByte([0], 4, 1, false) instanceof Uint8Array);
});

test('2-bit elements fill bytes from bit 0 up (x0 | x1<<2 | x2<<4 | x3<<6)', () => {
  assert.deepEqual(Array.from(packSubByte([1, 2, 3, 0, 1], 2)), [0x39, 0x01]);
  assert.deepEqual(Array.from(unpackSubByte([0x39, 0x39], 2, 7, true)), [1, -2, -1, 0, 1, -2, -1]);
  assert.deepEqual(Array.from(unpackSubByte([0x39, 0x39], 2, 7, false)), [1, 2, 3, 0, 1, 2, 3]);
});

test('int32_data entries: only the low byte of each entry is read', () => {
  assert.deepEqual(Array.from(unpackSubByte([0x1ff21, 0x7fffff03], 4, 3, false)), [1, 2, 3]);
});

test('pack/unpack round trip for every length up to 17', () => {
  for (const bits of [2, 4] as const) {
    for (let n = 0; n <= 17; n++) {
      const values = Int8Array.from({ length: n }, (_, i) => ((i * 5) % (1 << bits)) - (1 << (bits - 1)));
      const packed = packSubByte(values, bits);
      assert.equal(packed.length, packedByteLength(n, bits));
      assert.deepEqual(Array.from(unpackSubByte(packed, bits, n, true)), Array.from(values));
    }
  }
});

test('swapByteOrder reverses each group', () => {
  const b = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual(Array.from(swapByteOrder(b, 4)), [4, 3, 2, 1, 8, 7, 6, 5]);
  assert.deepEqual(Array.from(swapByteOrder(b, 2)), [2, 1, 4, 3, 6, 5, 8, 7]);
  const copy = swapByteOrder(b, 1);
  assert.deepEqual(Array.from(copy), Array.from(b));
  assert.notEqual(copy.buffer, b.buffer);
});
