import { test } from 'node:test';
import assert from 'node:assert/strict';
import { probeNativeYosys } from '../src/synth/index.js';
import { runFit, LUT_TOLERANCE } from '../bench/rtl-fit.js';
import { FIT_SMOKE } from '../bench/rtl-fit-table.js';

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
