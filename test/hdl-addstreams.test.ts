import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ElemType, makeTensor, tensorToNumbers } from '../src/index.js';
import { datatype } from '../src/estimate/index.js';
import { packStream } from '../src/hdl/index.js';
import kernel, { addStreamsAttributes } from '../kernels/AddStreams/kernel.js';
import rtl from '../kernels/AddStreams/rtl.js';
import { ctx, view } from './kernels/support.js';
import { lint, skipNoIcarus, skipNoVerilator, skipNoYosys, writeNode } from './helpers/hdl-sim.js';
import { estimateMisses, lopsidedStalls, randomValue, rng, runCase, STALLS, synthCells } from './helpers/hdl-kernel.js';
import { repoRoot } from './helpers/paths.js';

/** [NumChannels, PE, input types, numInputVectors] */
const CASES: Array<[number, number, [string, string], number[]]> = [
  [1, 1, ['INT8', 'INT8'], [5]], [4, 1, ['UINT4', 'UINT4'], [3]], [4, 4, ['INT4', 'INT4'], [2, 3]],
  [6, 2, ['INT8', 'INT4'], [4]], [6, 3, ['UINT8', 'UINT2'], [2]], [7, 7, ['BINARY', 'BINARY'], [3]],
  [9, 3, ['BIPOLAR', 'BIPOLAR'], [3]], [10, 5, ['INT2', 'UINT3'], [4]], [12, 4, ['INT16', 'INT16'], [2]],
  [16, 16, ['UINT1', 'UINT1'], [2]], [5, 1, ['INT32', 'INT32'], [3]], [8, 2, ['UINT8', 'INT8'], [3, 2]],
  [15, 5, ['INT3', 'INT3'], [2]], [3, 3, ['UINT16', 'UINT7'], [5]], [20, 10, ['INT6', 'INT5'], [2]],
  [11, 11, ['UINT5', 'UINT5'], [2]], [2, 1, ['BIPOLAR', 'INT4'], [6]], [24, 8, ['INT8', 'INT8'], [2, 2]],
  [13, 1, ['UINT3', 'INT2'], [2]], [64, 32, ['INT4', 'INT4'], [1]], [18, 6, ['INT12', 'UINT4'], [2]],
];

test('AddStreams rtl: sums bit-exact against execute under independent random stalls on both inputs and the output, 21 configurations', { skip: skipNoIcarus }, async () => {
  for (const [i, [C, PE, types, vectors]] of CASES.entries()) {
    const r = rng(2100 + i);
    const n = vectors.reduce((x, y) => x * y, 1) * C;
    const xs = types.map((t) => Array.from({ length: n }, () => randomValue(t, r)));
    const attrs = { NumChannels: C, PE, inputDataTypes: types, numInputVectors: vectors };
    const node = view(addStreamsAttributes, attrs, { name: `AddStreams_rtl_${i}` });
    const [y] = await kernel.execute!(xs.map((x) => makeTensor(ElemType.FLOAT, [...vectors, C], Float32Array.from(x))), attrs, ctx);
    const odt = kernel.inferDatatypes!(node, ctx)[0]!;
    const res = await runCase({
      gen: await rtl.generate!(node, ctx), kernel: 'AddStreams',
      inBits: types.map((t) => PE * datatype(t).bitwidth()), outBits: [PE * datatype(odt).bitwidth()],
      inWords: xs.map((x, k) => packStream(x, PE, types[k]!)), expected: [packStream(tensorToNumbers(y!), PE, odt)],
      stalls: [...STALLS, ...lopsidedStalls(2, 1)],
    });
    assert.deepEqual(res.errors, [], `case ${i}: C ${C} PE ${PE} ${types.join('+')}`);
    // One word per cycle plus the output register and the testbench's first-valid cycle.
    const kc = kernel.cycles!(node, ctx);
    assert.ok(res.cycles <= kc + 3, `case ${i}: ${res.cycles} cycles > kernel cycles ${kc} + 3`);
  }
});

test('AddStreams rtl: not FINN\'s default; Verilator lint clean', { skip: skipNoVerilator }, async () => {
  for (const [C, PE, types] of [[4, 2, ['INT8', 'INT4']], [3, 3, ['UINT1', 'UINT1']], [2, 1, ['BIPOLAR', 'UINT3']]] as const) {
    const node = view(addStreamsAttributes, { NumChannels: C, PE, inputDataTypes: types }, { name: `AddStreams_rtl_${C}_${PE}` });
    assert.equal(rtl.isDefault!(node, ctx), false);
    assert.equal(rtl.isViable!(node, ctx), true);
    const w = writeNode(await rtl.generate!(node, ctx), path.join(repoRoot, 'kernels', 'AddStreams'));
    assert.equal(lint(w), '', `C ${C} PE ${PE}`);
  }
  const float = view(addStreamsAttributes, { NumChannels: 2, inputDataTypes: ['FLOAT32', 'FLOAT32'] });
  assert.equal(rtl.isViable!(float, ctx), false);
});

test('AddStreams rtl: Yosys synth_xilinx runs, and the estimate predicts its LUTs (within 15%) and its BRAM, URAM and DSP (none)', { skip: skipNoYosys }, async () => {
  for (const [i, attrs] of [
    { NumChannels: 4, PE: 2, inputDataTypes: ['INT8', 'INT4'] },
    { NumChannels: 32, PE: 32, inputDataTypes: ['INT8', 'INT8'] },
    { NumChannels: 24, PE: 24, inputDataTypes: ['UINT4', 'INT8'] },
    { NumChannels: 64, PE: 64, inputDataTypes: ['BIPOLAR', 'BIPOLAR'] },
  ].entries()) {
    const node = view(addStreamsAttributes, attrs, { name: `AddStreams_rtl_synth_${i}` });
    const got = synthCells(writeNode(await rtl.generate!(node, ctx), path.join(repoRoot, 'kernels', 'AddStreams')));
    assert.ok(got.LUT > 0);
    assert.equal(estimateMisses(rtl.estimate!(node, ctx), got), undefined, `case ${i}: ${JSON.stringify(attrs)}`);
  }
});
