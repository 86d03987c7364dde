import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeElement, encodeElement, foldedShape, hexWord, packStream, packWord, paddedWidth, readmemh, unpackStream, unpackWord, verilogHex } from '../src/hdl/index.js';
import { clog2, verilogIdentifier } from '../src/hdl/index.js';

test('element 0 sits at the LSB (reference §1.4 worked example)', () => {
  assert.equal(packWord([3, 1, 0, 2], 'UINT2'), 0x87n);
  assert.deepEqual(unpackWord(0x87n, 4, 'UINT2'), [3, 1, 0, 2]);
});

test('encodings: two\'s complement, bipolar −1 ↔ 0, FIXED raw, FLOAT32 bits', () => {
  assert.equal(encodeElement(-1, 'INT4'), 0xfn);
  assert.equal(encodeElement(-8, 'INT4'), 0x8n);
  assert.equal(decodeElement(0x8n, 'INT4'), -8);
  assert.equal(decodeElement(0x7n, 'INT4'), 7);
  assert.equal(encodeElement(-1, 'BIPOLAR'), 0n);
  assert.equal(encodeElement(1, 'BIPOLAR'), 1n);
  assert.equal(decodeElement(0n, 'BIPOLAR'), -1);
  assert.equal(encodeElement(-1, 'TERNARY'), 3n);
  assert.equal(encodeElement(-0.5, 'FIXED<4,2>'), 0xen);
  assert.equal(decodeElement(0xen, 'FIXED<4,2>'), -0.5);
  assert.equal(encodeElement(1, 'FLOAT32'), 0x3f800000n);
  assert.equal(decodeElement(0x3f800000n, 'FLOAT32'), 1);
  assert.throws(() => encodeElement(8, 'INT4'), /outside INT4/);
  assert.throws(() => encodeElement(0, 'BIPOLAR'), /not a BIPOLAR value/);
  assert.throws(() => encodeElement(0.5, 'UINT4'), /not an integer/);
});

test('streams round-trip for every kind of datatype; wide words stay exact', () => {
  const cases: Array<[string, number[]]> = [
    ['BIPOLAR', [1, -1, -1, 1, 1, 1]],
    ['BINARY', [1, 0, 0, 1, 1, 0]],
    ['INT3', [-4, 3, 0, -1, 2, -2]],
    ['UINT7', [0, 127, 5, 64, 1, 99]],
    ['INT32', [-(2 ** 31), 2 ** 31 - 1, 0, -1, 12345, -54321]],
  ];
  for (const [dt, xs] of cases) {
    for (const e of [1, 2, 3, 6]) {
      const words = packStream(xs, e, dt);
      assert.equal(words.length, xs.length / e);
      assert.deepEqual([...unpackStream(words, e, dt)], xs, `${dt} E=${e}`);
    }
  }
  const w = packWord([-(2 ** 31), -1], 'INT32');
  assert.equal(w, 0xffffffff80000000n);
  assert.throws(() => packStream([1, 2, 3], 2, 'UINT2'), /do not fill words/);
});

test('TDATA padding, hex words and $readmemh files, folded shapes', () => {
  assert.equal(paddedWidth(1), 8);
  assert.equal(paddedWidth(8), 8);
  assert.equal(paddedWidth(12), 16);
  assert.equal(hexWord(0x87n, 8), '87');
  assert.equal(hexWord(0x5n, 9), '005');
  assert.equal(hexWord(0n, 1), '0');
  assert.throws(() => hexWord(0x100n, 8), /does not fit/);
  assert.equal(readmemh([1n, 0xabn], 8), '01\nab\n');
  assert.equal(verilogHex(0x3fn, 8), "8'h3f");
  assert.deepEqual(foldedShape([1, 784], 49), [1, 16, 49]);
  assert.throws(() => foldedShape([1, 10], 4), /not a multiple/);
  assert.equal(clog2(1), 1);
  assert.equal(clog2(2), 1);
  assert.equal(clog2(5), 3);
  assert.equal(verilogIdentifier('MVAU_rtl_0'), 'MVAU_rtl_0');
  assert.throws(() => verilogIdentifier('0bad-name'), /not a valid Verilog module name/);
});
