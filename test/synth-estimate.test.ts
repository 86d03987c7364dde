import { test } from 'node:test';
import assert from 'node:assert/strict';
import { probeNativeYosys } from '../src/synth/index.js';
import { runFit, predict, LUT_TOLERANCE } from '../bench/rtl-fit.js';
import { FIT_SMOKE, mvauConfig, thresholdingConfig, type FitConfig } from '../bench/rtl-fit-table.js';
import { countChainBits } from '../src/hdl/index.js';

/** Kernels whose synthEstimate meets the LUT target on the whole fit table (docs/RTL-ESTIMATES.md). */
const LUT_FITTED = new Set(['StreamingFIFO', 'StreamingDataWidthConverter', 'LabelSelect']);

test('synthEstimate against Yosys on a few configurations: BRAM, URAM, DSP exact; LUT within 15% where fitted', async (t) => {
  if (!(await probeNativeYosys())) return t.skip('needs a native yosys (apt-get install yosys)');
  const rows = await runFit(FIT_SMOKE, { yosys: 'native', jobs: 1 });
  for (const r of rows) {
    assert.equal(r.from, 'synthEstimate', r.label);
    assert.ok(r.bramOk && r.uramOk && r.dspOk, `${r.label}: synthesized ${JSON.stringify(r.synth)}, predicted ${JSON.stringify(r.predicted)}`);
    if (LUT_FITTED.has(r.kernel)) {
      assert.ok(r.synth.LUT > 100, `${r.label}: pick a configuration above 100 LUT (${r.synth.LUT})`);
      assert.ok(Math.abs(r.lutError!) <= LUT_TOLERANCE, `${r.label}: ${r.predicted.LUT} LUT predicted, ${r.synth.LUT} synthesized`);
    }
  }
  assert.ok(rows.some((r) => r.synth.DSP > 0), 'one configuration uses DSPs');
});

test('constant thresholds: the count chain and the rows of GTSRB\'s first two layers against their Yosys 0.23 LUTs (measured, docs/RTL-ESTIMATES.md)', async () => {
  // A chain of n increments, each as wide as the count can be by then: 1, 2, 2, 3, 3, 3, 3, …
  assert.deepEqual([1, 3, 7, 15, 255].map((n) => countChainBits(n)), [1, 5, 17, 49, 1793]);
  assert.equal(countChainBits(32, 5), 1 + 2 * 2 + 4 * 3 + 8 * 4 + 16 * 5 + 5, 'capped widths (the XNOR popcount at ACC bits)');
  const measured: Array<[FitConfig, number, number]> = [
    [thresholdingConfig({ C: 3, PE: 3, idt: 'FLOAT32', odt: 'INT8', scale: 'pow2' }), 13090, 0],
    [thresholdingConfig({ C: 8, PE: 8, idt: 'FLOAT32', odt: 'UINT4', scale: 'random' }), 1799, 0],
    [mvauConfig({ MW: 27, MH: 12, SIMD: 27, PE: 12, idt: 'INT8', wdt: 'INT2', odt: 'UINT3' }), 705, 324],
  ];
  for (const [c, lut, dsp] of measured) {
    const { est } = await predict(c);
    assert.ok(Math.abs((est.LUT ?? 0) / lut - 1) <= LUT_TOLERANCE, `${c.label}: ${est.LUT} LUT predicted, ${lut} synthesized`);
    assert.equal(est.DSP ?? 0, dsp, c.label);
  }
});
