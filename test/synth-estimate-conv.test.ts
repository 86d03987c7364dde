import { test } from 'node:test';
import assert from 'node:assert/strict';
import { probeNativeYosys } from '../src/synth/index.js';
import { LUT_FLOOR, LUT_TOLERANCE, fitView, predict, runFit } from '../bench/rtl-fit.js';
import { CONV_FIT_TABLE } from '../bench/rtl-fit-table-conv.js';
import { FIT_TABLE } from '../bench/rtl-fit-table.js';

const KERNELS = [
  'ConvolutionInputGenerator', 'FMPadding', 'StreamingMaxPool', 'Pool', 'GlobalAccPool', 'UpsampleNearestNeighbour', 'DownSampler',
  'ChannelwiseOp', 'Lookup', 'AddStreams', 'StreamingEltwise', 'DuplicateStreams', 'StreamingConcat',
];

test('the fit table holds the convolution, pooling and stream kernels, each with several rows, labels unique', () => {
  for (const k of KERNELS) assert.ok(CONV_FIT_TABLE.filter((c) => c.kernel === k).length >= 4, k);
  assert.ok(CONV_FIT_TABLE.every((c) => FIT_TABLE.includes(c)), 'spread into FIT_TABLE');
  assert.equal(new Set(FIT_TABLE.map((c) => c.label)).size, FIT_TABLE.length);
});

test('their estimates are pure: the same node gives the same prediction, with no BRAM/URAM/DSP out of nowhere', async () => {
  for (const c of CONV_FIT_TABLE) {
    const [a, b] = [await predict(c), await predict(c)];
    assert.deepEqual(a, b, c.label);
    assert.ok(Number.isInteger(a.est.LUT) && a.est.LUT! > 0, `${c.label}: LUT ${a.est.LUT}`);
    assert.equal(a.est.URAM ?? 0, 0, `${c.label}: 7-series has no URAM`);
    assert.ok((await fitView(c)).name.length > 0);
  }
});

/** One or two rows per kernel (above 100 LUT where the kernel gets there), with block RAM and a DSP among them. */
const SMOKE = [
  'SWG 14x14x3 S3 k3x3 INT8 par', 'SWG 32x32x32 S8 k3x3 UINT4 block', 'FMPadding 16x16x128 pad 1,1,1,1 S16 INT8',
  'StreamingMaxPool 16x16x16 pool 2x2 P1 INT4', 'Pool MaxPool C32 P32 k2x2 UINT8 -> UINT8', 'GlobalAccPool 7x7x512 P4 INT8',
  'Upsample 4 -> 8 C64 UINT8', 'DownSampler 32 C64 S8 stride 2 INT8', 'ChannelwiseOp cmp_le C128 P16 INT8 p[-128,127] -> BINARY',
  'ChannelwiseOp mul C32 P4 INT8 p[-100,100] -> INT15', 'Lookup 300x8 INT8 by UINT9', 'Lookup 128x64 INT2 by UINT7',
  'AddStreams C64 P64 INT8+INT8', 'StreamingEltwise AbsDiff C32 P8 INT8,INT8', 'DuplicateStreams C32 P32 x3 INT8', 'StreamingConcat 16+16+16+16 S16 INT8',
];

test('their estimates against Yosys on a row or two per kernel: BRAM, URAM, DSP exact; LUT within 15% above 100 LUT, 20 LUT below', async (t) => {
  if (!(await probeNativeYosys())) return t.skip('needs a native yosys (apt-get install yosys)');
  const configs = SMOKE.map((l) => CONV_FIT_TABLE.find((c) => c.label === l) ?? assert.fail(`no row '${l}'`));
  const rows = await runFit(configs, { yosys: 'native', jobs: 1 });
  for (const r of rows) {
    assert.ok(r.bramOk && r.uramOk && r.dspOk, `${r.label}: synthesized ${JSON.stringify(r.synth)}, predicted ${JSON.stringify(r.predicted)}`);
    const lut = r.predicted.LUT ?? 0;
    if (r.synth.LUT > LUT_FLOOR) assert.ok(Math.abs(r.lutError!) <= LUT_TOLERANCE, `${r.label}: ${lut} LUT predicted, ${r.synth.LUT} synthesized`);
    else assert.ok(Math.abs(lut - r.synth.LUT) <= 20, `${r.label}: ${lut} LUT predicted, ${r.synth.LUT} synthesized`);
  }
  assert.ok(rows.some((r) => r.synth.DSP > 0) && rows.some((r) => r.synth.BRAM_18K + r.synth.BRAM_36K > 0), 'a DSP and a block RAM row');
});
