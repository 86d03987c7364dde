import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ElemType, makeTensor, tensorToNumbers } from '../src/index.js';
import { datatype } from '../src/estimate/index.js';
import { packStream } from '../src/hdl/index.js';
import kernel, { streamingMaxPoolAttributes } from '../kernels/StreamingMaxPool/kernel.js';
import rtl from '../kernels/StreamingMaxPool/rtl.js';
import { ctx, view } from './kernels/support.js';
import { lint, skipNoIcarus, skipNoVerilator, skipNoYosys, synth, writeNode } from './helpers/hdl-sim.js';
import { rng, runCase } from './helpers/hdl-kernel.js';
import { repoRoot } from './helpers/paths.js';
import { randomValues } from './helpers/random-values.js';

/** [ImgDim, PoolDim, NumChannels, PE (1D), CeilMode, dataType, frames] */
const CASES: Array<[[number, number], [number, number], number, number, 0 | 1, string, number]> = [
  // 2D: one word per pixel with all channels.
  [[4, 4], [2, 2], 2, 1, 0, 'INT4', 1], [[6, 6], [2, 2], 3, 1, 0, 'UINT8', 2], [[6, 6], [3, 3], 4, 1, 0, 'INT8', 1],
  [[5, 5], [2, 2], 3, 1, 0, 'BIPOLAR', 1], [[5, 5], [2, 2], 2, 1, 1, 'INT3', 2], [[7, 5], [3, 2], 3, 1, 1, 'UINT2', 1],
  [[8, 6], [2, 3], 1, 1, 0, 'INT16', 1], [[7, 7], [2, 2], 5, 1, 0, 'BINARY', 1], [[9, 9], [4, 4], 2, 1, 1, 'INT5', 1],
  [[3, 3], [3, 3], 8, 1, 0, 'UINT4', 3], [[4, 6], [4, 1], 2, 1, 0, 'INT2', 1], [[10, 10], [2, 2], 16, 1, 0, 'INT4', 1],
  // 1D (ImgDim [1, W]): C/PE words of PE channels per pixel.
  [[1, 8], [1, 2], 4, 1, 0, 'INT4', 1], [[1, 9], [1, 2], 4, 2, 0, 'UINT8', 2], [[1, 9], [1, 2], 6, 3, 1, 'INT8', 1],
  [[1, 10], [1, 3], 5, 5, 0, 'BIPOLAR', 1], [[1, 11], [1, 3], 3, 1, 1, 'UINT3', 2], [[1, 7], [1, 7], 8, 4, 0, 'INT6', 1],
  [[1, 16], [1, 4], 12, 6, 0, 'UINT2', 1], [[1, 5], [1, 1], 2, 2, 0, 'INT3', 1], [[1, 13], [1, 4], 9, 3, 1, 'INT4', 1],
  [[1, 6], [1, 5], 1, 1, 1, 'UINT1', 2],
];

test('StreamingMaxPool rtl: 2D and 1D, floor and ceil mode, bit-exact against execute, with random stalls, 22 configurations', { skip: skipNoIcarus }, async () => {
  for (const [i, [img, pool, C, PE, ceil, dt, N]] of CASES.entries()) {
    const r = rng(1600 + i);
    const attrs = { ImgDim: img, PoolDim: pool, NumChannels: C, PE, CeilMode: ceil, dataType: dt };
    const dims = [N, img[0], img[1], C];
    const xs = randomValues(dims.reduce((p, d) => p * d, 1), dt, r);
    const node = view(streamingMaxPoolAttributes, attrs, { name: `StreamingMaxPool_rtl_${i}` });
    const [y] = await kernel.execute!([makeTensor(ElemType.FLOAT, dims, Float32Array.from(xs))], attrs, ctx);
    const lanes = img[0] === 1 && pool[0] === 1 ? PE : C;
    const W = lanes * datatype(dt).bitwidth();
    const res = await runCase({
      gen: await rtl.generate!(node, ctx), kernel: 'StreamingMaxPool', inBits: W, outBits: W,
      inWords: packStream(xs, lanes, dt), expected: packStream(tensorToNumbers(y!), lanes, dt),
    });
    assert.deepEqual(res.errors, [], `case ${i}: ${img} pool ${pool} C ${C} PE ${PE} ceil ${ceil} ${dt}`);
    // One input word per cycle (H·W·C/lanes per frame); the kernel's cycles are FINN's HLS formula (larger,
    // except 1D with few windows and many dropped pixels).
    const words = (img[0] * img[1] * C) / lanes;
    const bound = N * Math.max(words, kernel.cycles!(node, ctx)) + 3;
    assert.ok(res.cycles <= N * words + 3, `case ${i}: ${res.cycles} cycles > ${N * words + 3}`);
    assert.ok(res.cycles <= bound);
    assert.equal(rtl.cycles!(node, ctx), words);
  }
});

test('StreamingMaxPool rtl: not FINN\'s default; Verilator lint clean, Yosys synth_xilinx', { skip: skipNoVerilator || skipNoYosys }, async () => {
  for (const [img, pool, C, PE, ceil] of [[[6, 6], [2, 2], 3, 1, 0], [[7, 5], [3, 2], 3, 1, 1], [[1, 9], [1, 2], 4, 2, 0], [[1, 9], [1, 3], 4, 4, 1]] as const) {
    const node = view(streamingMaxPoolAttributes, { ImgDim: img, PoolDim: pool, NumChannels: C, PE, CeilMode: ceil, dataType: 'INT4' }, { name: `StreamingMaxPool_rtl_${img[0]}_${img[1]}_${PE}` });
    assert.equal(rtl.isDefault!(node, ctx), false);
    const w = writeNode(await rtl.generate!(node, ctx), path.join(repoRoot, 'kernels', 'StreamingMaxPool'));
    assert.equal(lint(w), '', `${img} pool ${pool} PE ${PE}`);
    if (img[0] === 6) assert.match(synth(w), /Number of cells/);
  }
});
