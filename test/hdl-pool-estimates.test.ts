import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { z } from 'zod';
import { poolAttributes } from '../kernels/Pool/kernel.js';
import { globalAccPoolAttributes } from '../kernels/GlobalAccPool/kernel.js';
import { streamingMaxPoolAttributes } from '../kernels/StreamingMaxPool/kernel.js';
import { upsampleAttributes } from '../kernels/UpsampleNearestNeighbour/kernel.js';
import { downSamplerAttributes } from '../kernels/DownSampler/kernel.js';
import pool from '../kernels/Pool/rtl.js';
import accPool from '../kernels/GlobalAccPool/rtl.js';
import maxPool from '../kernels/StreamingMaxPool/rtl.js';
import upsample from '../kernels/UpsampleNearestNeighbour/rtl.js';
import downSampler from '../kernels/DownSampler/rtl.js';
import { synthEstimate } from '../kernels/GlobalAccPool/_rtl-estimate.js';
import { ctx, view } from './kernels/support.js';
import { skipNoYosys, writeNode } from './helpers/hdl-sim.js';
import { synthCells } from './helpers/hdl-kernel.js';
import { repoRoot } from './helpers/paths.js';

const CASES: Array<[string, typeof pool, z.ZodType, Record<string, unknown>]> = [
  ['Pool', pool, poolAttributes, { Channels: 16, PE: 16, KernelSize: [3, 3], Function: 'MaxPool', OutImgDims: [2, 2], InputDataType: 'INT4', OutputDataType: 'INT4' }],
  ['GlobalAccPool', accPool, globalAccPoolAttributes, { NumChannels: 512, PE: 4, inputDataType: 'INT8', numInputVectors: [1, 7, 7] }],
  ['StreamingMaxPool', maxPool, streamingMaxPoolAttributes, { ImgDim: [16, 16], PoolDim: [2, 2], NumChannels: 16, dataType: 'INT4' }],
  ['UpsampleNearestNeighbour', upsample, upsampleAttributes, { IFMDim: 8, OFMDim: 16, NumChannels: 16, inputDataType: 'INT4' }],
  ['DownSampler', downSampler, downSamplerAttributes, { ImgDim: 32, NumChannels: 64, SIMD: 8, Stride: 2, inputDataType: 'INT8' }],
];

test('pooling/resampling rtl estimates predict Yosys synth_xilinx: LUT within 15% (above 100 LUT), BRAM and DSP exact', { skip: skipNoYosys }, async () => {
  for (const [k, backend, schema, attrs] of CASES) {
    const node = view(schema, attrs, { name: `${k}_est` });
    const est = backend.estimate!(node, ctx);
    const got = synthCells(writeNode(await backend.generate!(node, ctx), path.join(repoRoot, 'kernels', k)));
    assert.equal(est.BRAM_18K, got.BRAM_18K, `${k}: BRAM_18K`);
    assert.equal(est.DSP, got.DSP, `${k}: DSP`);
    if (got.LUT > 100) assert.ok(Math.abs(est.LUT! - got.LUT) <= 0.15 * got.LUT, `${k}: estimated ${est.LUT} LUT, Yosys ${got.LUT}`);
    else assert.ok(Math.abs(est.LUT! - got.LUT) <= 25, `${k}: estimated ${est.LUT} LUT, Yosys ${got.LUT}`);
  }
  // synthEstimate (the hook's entry point) is the backend's estimate.
  const node = view(globalAccPoolAttributes, CASES[1]![3], { name: 'GlobalAccPool_est' });
  assert.deepEqual(synthEstimate(node), accPool.estimate!(node, ctx));
});
