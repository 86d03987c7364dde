import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ElemType, makeTensor, tensorToNumbers } from '../src/index.js';
import { datatype } from '../src/estimate/index.js';
import { packStream } from '../src/hdl/index.js';
import kernel, { upsampleAttributes } from '../kernels/UpsampleNearestNeighbour/kernel.js';
import rtl from '../kernels/UpsampleNearestNeighbour/rtl.js';
import { ctx, view } from './kernels/support.js';
import { lint, skipNoIcarus, skipNoVerilator, skipNoYosys, synth, writeNode } from './helpers/hdl-sim.js';
import { rng, runCase } from './helpers/hdl-kernel.js';
import { repoRoot } from './helpers/paths.js';
import { randomValues } from './helpers/random-values.js';

/** [IFMDim, OFMDim, NumChannels, inputDataType, DimMode, frames] */
const CASES: Array<[number, number, number, string, 0 | 1, number]> = [
  [2, 4, 1, 'INT4', 0, 1], [3, 6, 3, 'UINT8', 0, 2], [4, 12, 2, 'INT8', 0, 1], [3, 7, 4, 'BIPOLAR', 0, 1],
  [5, 5, 2, 'INT3', 0, 2], [1, 4, 3, 'UINT2', 0, 2], [2, 3, 5, 'INT16', 0, 1], [4, 9, 1, 'BINARY', 0, 1],
  [6, 8, 2, 'UINT4', 0, 1], [7, 14, 3, 'INT5', 0, 1], [3, 10, 8, 'INT2', 0, 1], [8, 16, 4, 'UINT3', 0, 1],
  [2, 4, 3, 'INT4', 1, 1], [3, 9, 2, 'UINT8', 1, 2], [5, 8, 4, 'INT8', 1, 1], [1, 3, 2, 'BIPOLAR', 1, 2],
  [4, 4, 6, 'INT6', 1, 1], [7, 20, 1, 'UINT1', 1, 1], [6, 13, 3, 'INT4', 1, 2], [10, 30, 2, 'UINT2', 1, 1],
  [3, 5, 16, 'INT4', 0, 1], [5, 11, 2, 'UINT5', 0, 1],
];

test('UpsampleNearestNeighbour rtl: 2D and 1D, bit-exact against execute, with random stalls, 22 configurations', { skip: skipNoIcarus }, async () => {
  for (const [i, [I, O, C, dt, mode, N]] of CASES.entries()) {
    const r = rng(1700 + i);
    const attrs = { IFMDim: I, OFMDim: O, NumChannels: C, inputDataType: dt, DimMode: mode, numInputVectors: N };
    const dims = [N, I, mode === 1 ? 1 : I, C];
    const xs = randomValues(dims.reduce((p, d) => p * d, 1), dt, r);
    const node = view(upsampleAttributes, attrs, { name: `UpsampleNearestNeighbour_rtl_${i}` });
    const [y] = await kernel.execute!([makeTensor(ElemType.FLOAT, dims, Float32Array.from(xs))], attrs, ctx);
    const W = C * datatype(dt).bitwidth();
    const res = await runCase({
      gen: await rtl.generate!(node, ctx), kernel: 'UpsampleNearestNeighbour', inBits: W, outBits: W,
      inWords: packStream(xs, C, dt), expected: packStream(tensorToNumbers(y!), C, dt),
    });
    assert.deepEqual(res.errors, [], `case ${i}: ${I} -> ${O} C ${C} ${dt} ${mode === 1 ? '1D' : '2D'}`);
    // One output word per cycle (the kernel's cycles), plus 3 cycles per frame: the first word's input, write
    // and output register.
    const bound = kernel.cycles!(node, ctx) + 3 * N;
    assert.ok(res.cycles <= bound, `case ${i}: ${res.cycles} cycles > ${bound}`);
  }
});

test('UpsampleNearestNeighbour rtl: not FINN\'s default; Verilator lint clean, Yosys synth_xilinx', { skip: skipNoVerilator || skipNoYosys }, async () => {
  for (const [I, O, mode] of [[3, 7, 0], [4, 8, 1], [2, 2, 0], [1, 3, 0]] as const) {
    const node = view(upsampleAttributes, { IFMDim: I, OFMDim: O, NumChannels: 3, inputDataType: 'INT4', DimMode: mode }, { name: `UpsampleNearestNeighbour_rtl_${I}_${O}_${mode}` });
    assert.equal(rtl.isDefault!(node, ctx), false);
    const w = writeNode(await rtl.generate!(node, ctx), path.join(repoRoot, 'kernels', 'UpsampleNearestNeighbour'));
    assert.equal(lint(w), '', `${I} -> ${O} mode ${mode}`);
    if (I === 3) assert.match(synth(w), /Number of cells/);
  }
});
