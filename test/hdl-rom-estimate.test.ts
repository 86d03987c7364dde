import { test } from 'node:test';
import assert from 'node:assert/strict';
import { registeredRomEstimate, unknownRomWords, romReadAtCounter } from '../src/hdl/index.js';

test('registeredRomEstimate: constant columns cost nothing, equal columns count once, block RAM by memory_libmap cost (Yosys 0.23 measurements)', () => {
  // 16 words: bit 0 toggles, bit 1 equals bit 0, bits 2..7 constant 1.
  const words = Array.from({ length: 16 }, (_, i) => 0xfcn | BigInt(i & 1) | (BigInt(i & 1) << 1n));
  const r = registeredRomEstimate(words, 8);
  assert.equal(r.columns, 1);
  assert.equal(r.BRAM_18K, 0);
  assert.equal(r.LUT, 1 + 2 * 4, 'one LUT for the column, the address register');
  // Random contents, measured: 512 x 64 one RAMB36, 2048 x 8 one RAMB18, 512 x 8 and 256 x 128 logic.
  assert.equal(registeredRomEstimate(unknownRomWords(512, 64), 64).BRAM_18K, 2);
  assert.equal(registeredRomEstimate(unknownRomWords(2048, 8), 8).BRAM_18K, 1);
  assert.equal(registeredRomEstimate(unknownRomWords(512, 8), 8).BRAM_18K, 0);
  assert.equal(registeredRomEstimate(unknownRomWords(256, 128), 128).BRAM_18K, 0);
  // A one-word ROM is a constant wire.
  assert.deepEqual(registeredRomEstimate([5n], 4), { LUT: 0, FF: 0, BRAM_18K: 0, columns: 0 });
  assert.match(romReadAtCounter('rom', 'q', 4, 1, 0n, 'en'), /wire \[3:0\] q = rom\[0\];/);
});
