import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ElemType, makeTensor, tensorToNumbers } from '../src/index.js';
import { datatype } from '../src/estimate/index.js';
import { packStream } from '../src/hdl/index.js';
import kernel, { duplicateStreamsAttributes } from '../kernels/DuplicateStreams/kernel.js';
import rtl from '../kernels/DuplicateStreams/rtl.js';
import { ctx, view } from './kernels/support.js';
import { lint, skipNoIcarus, skipNoVerilator, skipNoYosys, writeNode } from './helpers/hdl-sim.js';
import { estimateMisses, lopsidedStalls, randomValue, rng, runCase, synthCells, STALLS } from './helpers/hdl-kernel.js';
import { repoRoot } from './helpers/paths.js';

/** [NumChannels, PE, NumOutputStreams, inputDataType, numInputVectors] */
const CASES: Array<[number, number, number, string, number[]]> = [
  [1, 1, 2, 'INT8', [6]], [4, 1, 2, 'UINT4', [3]], [4, 4, 3, 'INT4', [2, 3]], [6, 2, 4, 'INT8', [3]],
  [6, 3, 2, 'UINT2', [3]], [7, 7, 3, 'BINARY', [3]], [9, 3, 4, 'BIPOLAR', [2]], [10, 5, 2, 'INT16', [2]],
  [12, 4, 3, 'UINT8', [2]], [16, 16, 2, 'UINT1', [3]], [5, 1, 4, 'INT32', [2]], [8, 2, 3, 'INT3', [2, 2]],
  [15, 5, 2, 'UINT7', [2]], [3, 3, 4, 'INT12', [4]], [20, 10, 3, 'INT6', [2]], [11, 11, 2, 'UINT5', [2]],
  [2, 1, 3, 'BIPOLAR', [5]], [24, 8, 4, 'INT8', [2]], [13, 1, 2, 'UINT3', [2]], [64, 32, 2, 'INT4', [1]],
  [18, 6, 4, 'UINT9', [2]],
];

test('DuplicateStreams rtl: every output bit-exact against execute under independent random stalls on each output, 21 configurations', { skip: skipNoIcarus }, async () => {
  for (const [i, [C, PE, N, dt, vectors]] of CASES.entries()) {
    const r = rng(2200 + i);
    const n = vectors.reduce((x, y) => x * y, 1) * C;
    const x = Array.from({ length: n }, () => randomValue(dt, r));
    const attrs = { NumChannels: C, PE, NumOutputStreams: N, inputDataType: dt, numInputVectors: vectors };
    const node = view(duplicateStreamsAttributes, attrs, { name: `DuplicateStreams_rtl_${i}` });
    const ys = await kernel.execute!([makeTensor(ElemType.FLOAT, [...vectors, C], Float32Array.from(x))], attrs, ctx);
    assert.equal(ys.length, N);
    const w = PE * datatype(dt).bitwidth();
    const res = await runCase({
      gen: await rtl.generate!(node, ctx), kernel: 'DuplicateStreams',
      inBits: [w], outBits: Array.from({ length: N }, () => w),
      inWords: [packStream(x, PE, dt)], expected: ys.map((y) => packStream(tensorToNumbers(y), PE, dt)),
      // Heavier stalls too, and output 0 never stalled while the others stall 90% of the cycles (and the reverse).
      stalls: [...STALLS, { stall: 0.85, seed: 13 }, ...lopsidedStalls(1, N)],
    });
    assert.deepEqual(res.errors, [], `case ${i}: C ${C} PE ${PE} N ${N} ${dt}`);
    const kc = kernel.cycles!(node, ctx);
    assert.ok(res.cycles <= kc + 3, `case ${i}: ${res.cycles} cycles > kernel cycles ${kc} + 3`);
  }
});

test('DuplicateStreams rtl: not FINN\'s default; FINN\'s out<k>_V ports; Verilator lint clean', { skip: skipNoVerilator }, async () => {
  for (const [C, PE, N] of [[4, 2, 2], [3, 3, 4], [2, 1, 3]] as const) {
    const node = view(duplicateStreamsAttributes, { NumChannels: C, PE, NumOutputStreams: N, inputDataType: 'INT5' }, { name: `DuplicateStreams_rtl_${C}_${PE}_${N}` });
    assert.equal(rtl.isDefault!(node, ctx), false);
    const gen = await rtl.generate!(node, ctx);
    const text = gen.files[`${gen.module}.v`]!;
    for (let k = 0; k < N; k++) assert.match(text, new RegExp(`output wire \\[\\d+:0\\] out${k}_V_TDATA`));
    assert.doesNotMatch(text, /out_V_/);
    const w = writeNode(gen, path.join(repoRoot, 'kernels', 'DuplicateStreams'));
    assert.equal(lint(w), '', `C ${C} PE ${PE} N ${N}`);
  }
});

test('DuplicateStreams rtl: Yosys synth_xilinx runs, and the estimate predicts its LUTs (within 15%) and its BRAM, URAM and DSP (none)', { skip: skipNoYosys }, async () => {
  for (const [i, attrs] of [
    { NumChannels: 3, PE: 3, NumOutputStreams: 4, inputDataType: 'INT5' },
    { NumChannels: 64, PE: 64, NumOutputStreams: 2, inputDataType: 'INT8' },
    { NumChannels: 8, PE: 1, NumOutputStreams: 3, inputDataType: 'UINT8' },
  ].entries()) {
    const node = view(duplicateStreamsAttributes, attrs, { name: `DuplicateStreams_rtl_synth_${i}` });
    const got = synthCells(writeNode(await rtl.generate!(node, ctx), path.join(repoRoot, 'kernels', 'DuplicateStreams')));
    assert.ok(got.LUT > 0);
    assert.equal(estimateMisses(rtl.estimate!(node, ctx), got), undefined, `case ${i}: ${JSON.stringify(attrs)}`);
  }
});
