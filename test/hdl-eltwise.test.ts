import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ElemType, makeTensor, tensorToNumbers } from '../src/index.js';
import { datatype } from '../src/estimate/index.js';
import { packStream } from '../src/hdl/index.js';
import kernel, { eltwiseOutputType, streamingEltwiseAttributes } from '../kernels/StreamingEltwise/kernel.js';
import rtl from '../kernels/StreamingEltwise/rtl.js';
import { ctx, view } from './kernels/support.js';
import { lint, skipNoIcarus, skipNoVerilator, skipNoYosys, writeNode } from './helpers/hdl-sim.js';
import { estimateMisses, lopsidedStalls, randomValue, rng, runCase, STALLS, synthCells } from './helpers/hdl-kernel.js';
import { repoRoot } from './helpers/paths.js';

type Op = 'Add' | 'Sub' | 'AbsDiff';
/** [op, NumChannels, PE, inputDataType0, inputDataType1, numInputVectors]: the mapping produces Sub and AbsDiff. */
const CASES: Array<[Op, number, number, string, string, number[]]> = [
  ['Sub', 1, 1, 'INT8', 'INT8', [5]], ['Sub', 4, 2, 'UINT4', 'UINT4', [3]], ['Sub', 6, 6, 'INT4', 'INT2', [2, 2]],
  ['Sub', 9, 3, 'UINT8', 'INT8', [2]], ['Sub', 7, 7, 'BINARY', 'BINARY', [3]], ['Sub', 10, 5, 'INT16', 'INT16', [2]],
  ['Sub', 3, 1, 'UINT1', 'UINT8', [4]], ['Sub', 12, 4, 'INT3', 'UINT3', [2]], ['Sub', 8, 8, 'BIPOLAR', 'BIPOLAR', [3]],
  ['AbsDiff', 1, 1, 'INT8', 'INT8', [6]], ['AbsDiff', 4, 4, 'UINT4', 'UINT4', [3]], ['AbsDiff', 6, 3, 'INT4', 'INT6', [2]],
  ['AbsDiff', 15, 5, 'UINT8', 'UINT2', [2]], ['AbsDiff', 5, 1, 'INT32', 'INT16', [3]], ['AbsDiff', 16, 16, 'BINARY', 'BINARY', [2]],
  ['AbsDiff', 9, 9, 'INT2', 'INT2', [2, 3]], ['AbsDiff', 11, 11, 'UINT5', 'INT5', [2]],
  ['Add', 6, 2, 'INT8', 'INT8', [3]], ['Add', 7, 1, 'UINT3', 'UINT5', [2]], ['Add', 20, 10, 'INT4', 'UINT4', [2]],
  ['Sub', 32, 16, 'UINT8', 'UINT8', [2]], ['AbsDiff', 14, 7, 'UINT12', 'UINT12', [2]],
];

test('StreamingEltwise rtl: Sub, AbsDiff and Add bit-exact against execute under independent random stalls, 22 configurations', { skip: skipNoIcarus }, async () => {
  for (const [i, [op, C, PE, t0, t1, vectors]] of CASES.entries()) {
    const r = rng(2300 + i);
    const n = vectors.reduce((x, y) => x * y, 1) * C;
    const types = [t0, t1];
    const xs = types.map((t) => Array.from({ length: n }, () => randomValue(t, r)));
    const attrs = { NumChannels: C, PE, inputDataType0: t0, inputDataType1: t1, eltwiseOp: op, numInputVectors: vectors };
    const node = view(streamingEltwiseAttributes, attrs, { name: `StreamingEltwise_rtl_${i}` });
    const [y] = await kernel.execute!(xs.map((x) => makeTensor(ElemType.FLOAT, [...vectors, C], Float32Array.from(x))), attrs, ctx);
    const odt = eltwiseOutputType(node.attrs as never);
    const res = await runCase({
      gen: await rtl.generate!(node, ctx), kernel: 'StreamingEltwise',
      inBits: types.map((t) => PE * datatype(t).bitwidth()), outBits: [PE * datatype(odt).bitwidth()],
      inWords: xs.map((x, k) => packStream(x, PE, types[k]!)), expected: [packStream(tensorToNumbers(y!), PE, odt)],
      stalls: [...STALLS, ...lopsidedStalls(2, 1)],
    });
    assert.deepEqual(res.errors, [], `case ${i}: ${op} C ${C} PE ${PE} ${t0} ${t1}`);
    const kc = kernel.cycles!(node, ctx);
    assert.ok(res.cycles <= kc + 3, `case ${i}: ${res.cycles} cycles > kernel cycles ${kc} + 3`);
  }
});

test('StreamingEltwise rtl: not FINN\'s default; Verilator lint clean', { skip: skipNoVerilator }, async () => {
  for (const [op, C, PE, t0, t1] of [['Sub', 4, 2, 'INT8', 'INT4'], ['AbsDiff', 3, 3, 'UINT4', 'UINT4'], ['Add', 2, 1, 'BIPOLAR', 'BIPOLAR'], ['AbsDiff', 2, 2, 'BINARY', 'BINARY']] as const) {
    const node = view(streamingEltwiseAttributes, { NumChannels: C, PE, inputDataType0: t0, inputDataType1: t1, eltwiseOp: op }, { name: `StreamingEltwise_rtl_${op}_${C}_${PE}` });
    assert.equal(rtl.isDefault!(node, ctx), false);
    assert.equal(rtl.isViable!(node, ctx), true);
    const w = writeNode(await rtl.generate!(node, ctx), path.join(repoRoot, 'kernels', 'StreamingEltwise'));
    assert.equal(lint(w), '', `${op} C ${C} PE ${PE}`);
  }
});

test('StreamingEltwise rtl: Yosys synth_xilinx runs, and the estimate predicts its LUTs (within 15%) and its BRAM, URAM and DSP (none)', { skip: skipNoYosys }, async () => {
  for (const [i, attrs] of [
    { NumChannels: 3, PE: 3, inputDataType0: 'UINT4', inputDataType1: 'UINT4', eltwiseOp: 'AbsDiff' },
    { NumChannels: 32, PE: 32, inputDataType0: 'INT4', inputDataType1: 'INT4', eltwiseOp: 'Sub' },
    { NumChannels: 16, PE: 16, inputDataType0: 'INT8', inputDataType1: 'INT4', eltwiseOp: 'AbsDiff' },
    { NumChannels: 24, PE: 24, inputDataType0: 'INT8', inputDataType1: 'UINT4', eltwiseOp: 'Sub' },
  ].entries()) {
    const node = view(streamingEltwiseAttributes, attrs, { name: `StreamingEltwise_rtl_synth_${i}` });
    const got = synthCells(writeNode(await rtl.generate!(node, ctx), path.join(repoRoot, 'kernels', 'StreamingEltwise')));
    assert.ok(got.LUT > 0);
    assert.equal(estimateMisses(rtl.estimate!(node, ctx), got), undefined, `case ${i}: ${JSON.stringify(attrs)}`);
  }
});
