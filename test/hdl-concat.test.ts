import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ElemType, makeTensor, tensorToNumbers } from '../src/index.js';
import { datatype } from '../src/estimate/index.js';
import { packStream } from '../src/hdl/index.js';
import kernel, { streamingConcatAttributes } from '../kernels/StreamingConcat/kernel.js';
import rtl from '../kernels/StreamingConcat/rtl.js';
import { ctx, view } from './kernels/support.js';
import { lint, skipNoIcarus, skipNoVerilator, skipNoYosys, writeNode } from './helpers/hdl-sim.js';
import { estimateMisses, lopsidedStalls, randomValue, rng, runCase, STALLS, synthCells } from './helpers/hdl-kernel.js';
import { repoRoot } from './helpers/paths.js';

/** [ChannelsPerStream, SIMD, inputDataType, outputDataType or undefined, numInputVectors] */
const CASES: Array<[number[], number, string, string | undefined, number[]]> = [
  [[1, 1], 1, 'INT8', undefined, [5]], [[2, 3], 1, 'UINT4', undefined, [3]], [[4, 8], 4, 'INT4', undefined, [2, 2]],
  [[3, 5, 7], 1, 'INT8', undefined, [2]], [[6, 2, 4, 8], 2, 'UINT8', undefined, [2]], [[5, 5], 5, 'BINARY', undefined, [3]],
  [[9, 3], 3, 'BIPOLAR', undefined, [3]], [[1, 2, 1], 1, 'INT16', undefined, [4]], [[12, 6, 18], 6, 'UINT2', undefined, [2]],
  [[16, 16], 16, 'UINT1', undefined, [2]], [[2, 7], 1, 'INT32', undefined, [2]], [[4, 4, 4, 4], 4, 'INT3', undefined, [2]],
  [[10, 15], 5, 'UINT7', undefined, [2]], [[3, 1], 1, 'INT4', 'INT8', [3]], [[4, 6], 2, 'UINT4', 'UINT8', [3]],
  [[2, 2, 6], 2, 'UINT3', 'INT5', [2]], [[8, 1], 1, 'BIPOLAR', 'INT2', [3]], [[11, 13], 1, 'INT5', undefined, [1]],
  [[20, 10, 30], 10, 'INT6', undefined, [2]], [[7, 21], 7, 'UINT5', 'UINT16', [2]], [[32, 64], 32, 'INT4', undefined, [1]],
];

test('StreamingConcat rtl: FINN\'s element order, bit-exact against execute under independent random stalls on every input, 21 configurations', { skip: skipNoIcarus }, async () => {
  for (const [i, [cs, S, idt, odt, vectors]] of CASES.entries()) {
    const r = rng(2400 + i);
    const pixels = vectors.reduce((x, y) => x * y, 1);
    const xs = cs.map((c) => Array.from({ length: pixels * c }, () => randomValue(idt, r)));
    const attrs = { ChannelsPerStream: cs, SIMD: S, inputDataType: idt, ...(odt ? { outputDataType: odt } : {}), numInputVectors: vectors };
    const node = view(streamingConcatAttributes, attrs, { name: `StreamingConcat_rtl_${i}` });
    const [y] = await kernel.execute!(xs.map((x, k) => makeTensor(ElemType.FLOAT, [...vectors, cs[k]!], Float32Array.from(x))), attrs, ctx);
    const ot = odt ?? idt;
    const res = await runCase({
      gen: await rtl.generate!(node, ctx), kernel: 'StreamingConcat',
      inBits: cs.map(() => S * datatype(idt).bitwidth()), outBits: [S * datatype(ot).bitwidth()],
      inWords: xs.map((x) => packStream(x, S, idt)), expected: [packStream(tensorToNumbers(y!), S, ot)],
      stalls: [...STALLS, ...lopsidedStalls(cs.length, 1)],
    });
    assert.deepEqual(res.errors, [], `case ${i}: ${cs.join('+')} SIMD ${S} ${idt}→${ot}`);
    const kc = kernel.cycles!(node, ctx);
    assert.ok(res.cycles <= kc + 3, `case ${i}: ${res.cycles} cycles > kernel cycles ${kc} + 3`);
  }
});

test('StreamingConcat rtl: not FINN\'s default; not viable for an output type too narrow; Verilator lint clean', { skip: skipNoVerilator }, async () => {
  for (const [cs, S, idt, odt] of [[[2, 4], 2, 'INT8', undefined], [[1, 3, 5], 1, 'UINT4', 'INT6'], [[3, 3], 3, 'BIPOLAR', undefined]] as const) {
    const node = view(streamingConcatAttributes, { ChannelsPerStream: cs, SIMD: S, inputDataType: idt, ...(odt ? { outputDataType: odt } : {}) }, { name: `StreamingConcat_rtl_${cs.length}_${S}` });
    assert.equal(rtl.isDefault!(node, ctx), false);
    assert.equal(rtl.isViable!(node, ctx), true);
    const w = writeNode(await rtl.generate!(node, ctx), path.join(repoRoot, 'kernels', 'StreamingConcat'));
    assert.equal(lint(w), '', `${cs.join('+')} SIMD ${S}`);
  }
  const narrow = view(streamingConcatAttributes, { ChannelsPerStream: [2, 2], inputDataType: 'INT8', outputDataType: 'INT4' });
  assert.equal(rtl.isViable!(narrow, ctx), false);
});

test('StreamingConcat rtl: Yosys synth_xilinx runs, and the estimate predicts its LUTs (within 15%) and its BRAM, URAM and DSP (none)', { skip: skipNoYosys }, async () => {
  for (const [i, attrs] of [
    { ChannelsPerStream: [1, 3, 5], SIMD: 1, inputDataType: 'UINT4', outputDataType: 'INT6' },
    { ChannelsPerStream: [32, 32], SIMD: 32, inputDataType: 'INT8' },
    { ChannelsPerStream: [16, 32, 48, 64], SIMD: 16, inputDataType: 'INT4' },
    { ChannelsPerStream: [32, 32, 32], SIMD: 32, inputDataType: 'UINT4', outputDataType: 'UINT6' },
  ].entries()) {
    const node = view(streamingConcatAttributes, attrs, { name: `StreamingConcat_rtl_synth_${i}` });
    const got = synthCells(writeNode(await rtl.generate!(node, ctx), path.join(repoRoot, 'kernels', 'StreamingConcat')));
    assert.ok(got.LUT > 0);
    assert.equal(estimateMisses(rtl.estimate!(node, ctx), got), undefined, `case ${i}: ${JSON.stringify(attrs)}`);
  }
});
