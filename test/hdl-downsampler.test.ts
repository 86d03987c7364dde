import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ElemType, makeTensor, tensorToNumbers } from '../src/index.js';
import { datatype } from '../src/estimate/index.js';
import { packStream } from '../src/hdl/index.js';
import kernel, { downSamplerAttributes } from '../kernels/DownSampler/kernel.js';
import rtl from '../kernels/DownSampler/rtl.js';
import { ctx, view } from './kernels/support.js';
import { lint, skipNoIcarus, skipNoVerilator, skipNoYosys, synth, writeNode } from './helpers/hdl-sim.js';
import { rng, runCase } from './helpers/hdl-kernel.js';
import { repoRoot } from './helpers/paths.js';
import { randomValues } from './helpers/random-values.js';

/** [ImgDim, NumChannels, SIMD, Stride, inputDataType, is1D, is1D_unitx, frames] */
const CASES: Array<[number, number, number, number, string, 0 | 1, 0 | 1, number]> = [
  [4, 2, 1, 2, 'INT4', 0, 1, 1], [5, 3, 3, 2, 'UINT8', 0, 1, 2], [7, 4, 2, 3, 'INT8', 0, 1, 1], [6, 6, 3, 2, 'BIPOLAR', 0, 1, 1],
  [9, 1, 1, 4, 'UINT2', 0, 1, 1], [3, 8, 8, 2, 'INT16', 0, 1, 2], [5, 5, 1, 5, 'INT3', 0, 1, 1], [8, 2, 2, 1, 'UINT4', 0, 1, 1],
  [4, 4, 4, 7, 'BINARY', 0, 1, 2], [11, 3, 1, 2, 'INT5', 1, 1, 2], [10, 4, 2, 3, 'UINT3', 1, 0, 1], [7, 6, 6, 2, 'INT2', 1, 1, 1],
  [16, 2, 1, 4, 'BIPOLAR', 1, 0, 1], [5, 9, 3, 1, 'INT8', 1, 1, 1], [1, 4, 2, 2, 'UINT8', 0, 1, 3], [6, 12, 4, 2, 'INT6', 0, 1, 1],
  [13, 1, 1, 3, 'UINT1', 1, 1, 1], [3, 7, 7, 3, 'INT4', 0, 1, 2], [8, 10, 5, 2, 'UINT7', 0, 1, 1], [2, 3, 1, 2, 'INT8', 0, 1, 1],
  [9, 2, 1, 2, 'UINT4', 1, 0, 2], [6, 16, 8, 3, 'INT3', 0, 1, 1],
];

test('DownSampler rtl: bit-exact against execute, with random stalls, 22 configurations', { skip: skipNoIcarus }, async () => {
  for (const [i, [D, C, SIMD, Stride, dt, is1D, unitx, N]] of CASES.entries()) {
    const r = rng(1300 + i);
    const attrs = { ImgDim: D, NumChannels: C, SIMD, Stride, inputDataType: dt, numInputVectors: N, is1D, is1D_unitx: unitx };
    const dims = is1D === 0 ? [N, D, D, C] : unitx === 1 ? [N, D, 1, C] : [N, 1, D, C];
    const xs = randomValues(dims.reduce((p, d) => p * d, 1), dt, r);
    const node = view(downSamplerAttributes, attrs, { name: `DownSampler_rtl_${i}` });
    const [y] = await kernel.execute!([makeTensor(ElemType.FLOAT, dims, Float32Array.from(xs))], attrs, ctx);
    const A = datatype(dt).bitwidth();
    const res = await runCase({
      gen: await rtl.generate!(node, ctx), kernel: 'DownSampler', inBits: SIMD * A, outBits: SIMD * A,
      inWords: packStream(xs, SIMD, dt), expected: packStream(tensorToNumbers(y!), SIMD, dt),
    });
    assert.deepEqual(res.errors, [], `case ${i}: D ${D} C ${C} SIMD ${SIMD} S ${Stride} ${dt}`);
    // One input word per cycle: the kernel's cycles (every input word), plus the output register.
    const bound = kernel.cycles!(node, ctx) + 3;
    assert.ok(res.cycles <= bound, `case ${i}: ${res.cycles} cycles > ${bound}`);
  }
});

test('DownSampler rtl: not FINN\'s default; Verilator lint clean, Yosys synth_xilinx', { skip: skipNoVerilator || skipNoYosys }, async () => {
  for (const [D, C, SIMD, Stride, is1D] of [[5, 4, 2, 2, 0], [8, 3, 3, 1, 0], [9, 2, 1, 3, 1], [1, 2, 2, 2, 0]] as const) {
    const node = view(downSamplerAttributes, { ImgDim: D, NumChannels: C, SIMD, Stride, inputDataType: 'INT4', is1D }, { name: `DownSampler_rtl_${D}_${C}_${SIMD}_${Stride}` });
    assert.equal(rtl.isDefault!(node, ctx), false);
    const w = writeNode(await rtl.generate!(node, ctx), path.join(repoRoot, 'kernels', 'DownSampler'));
    assert.equal(lint(w), '', `D ${D} C ${C} SIMD ${SIMD} S ${Stride}`);
    if (Stride === 2 && D === 5) assert.match(synth(w), /Number of cells/);
  }
});
