import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ElemType, makeTensor, tensorToNumbers, smallestDataType } from '../src/index.js';
import { datatype } from '../src/estimate/index.js';
import { packStream } from '../src/hdl/index.js';
import kernel, { labelSelectAttributes } from '../kernels/LabelSelect/kernel.js';
import rtl from '../kernels/LabelSelect/rtl.js';
import { ctx, view } from './kernels/support.js';
import { lint, skipNoIcarus, skipNoVerilator, skipNoYosys, synth, writeNode } from './helpers/hdl-sim.js';
import { rng, runCase } from './helpers/hdl-kernel.js';
import { repoRoot } from './helpers/paths.js';

/** [Labels, PE, K, inputDataType, outputDataType or undefined, value range narrowed to force ties] */
const CASES: Array<[number, number, number, string, string | undefined, boolean]> = [
  [10, 1, 1, 'INT8', undefined, false], [10, 2, 3, 'UINT8', undefined, false], [10, 10, 10, 'INT4', undefined, true],
  [10, 5, 1, 'INT16', 'UINT8', false], [16, 4, 4, 'UINT2', undefined, true], [16, 16, 2, 'INT3', undefined, true],
  [1, 1, 1, 'INT8', 'BINARY', false], [2, 1, 2, 'BIPOLAR', undefined, true], [64, 8, 5, 'INT12', undefined, false],
  [64, 1, 3, 'INT32', undefined, false], [12, 3, 12, 'UINT4', 'UINT8', true], [100, 10, 5, 'INT6', undefined, true],
  [7, 7, 3, 'BINARY', undefined, true], [9, 3, 2, 'INT2', undefined, true], [20, 4, 1, 'UINT1', undefined, true],
  [32, 32, 6, 'INT8', undefined, false], [30, 5, 7, 'UINT5', 'UINT16', true], [5, 1, 5, 'INT9', undefined, false],
  [48, 6, 4, 'BIPOLAR', undefined, true], [11, 11, 1, 'UINT8', undefined, true], [256, 16, 3, 'INT8', undefined, false],
  [15, 5, 15, 'INT3', undefined, true],
];

test('LabelSelect rtl: top-K bit-exact against execute (ties included), with random stalls, 22 configurations', { skip: skipNoIcarus }, async () => {
  for (const [i, [Labels, PE, K, idt, odt, ties]] of CASES.entries()) {
    const r = rng(900 + i);
    const t = datatype(idt);
    const lo = idt === 'BIPOLAR' ? -1 : ties ? Math.max(t.min(), -2) : t.min();
    const hi = idt === 'BIPOLAR' ? 1 : ties ? Math.min(t.max(), 2) : Math.min(t.max(), 2 ** 20);
    const frames = 3;
    const xs = Array.from({ length: frames * Labels }, () => (idt === 'BIPOLAR' ? (r(0, 1) ? 1 : -1) : r(Math.max(lo, -(2 ** 20)), hi)));
    const attrs: Record<string, unknown> = { Labels, PE, K, inputDataType: idt, ...(odt ? { outputDataType: odt } : {}) };
    const node = view(labelSelectAttributes, attrs, { name: `LabelSelect_rtl_${i}` });
    const [y] = await kernel.execute!([makeTensor(ElemType.FLOAT, [frames, Labels], Float32Array.from(xs))], attrs, ctx);
    const outType = odt ?? smallestDataType(0, Labels - 1).name;
    const res = await runCase({
      gen: await rtl.generate!(node, ctx), kernel: 'LabelSelect', inBits: PE * t.bitwidth(), outBits: datatype(outType).bitwidth(),
      inWords: packStream(xs, PE, idt), expected: packStream(tensorToNumbers(y!), 1, outType),
    });
    assert.deepEqual(res.errors, [], `case ${i}: Labels ${Labels} PE ${PE} K ${K} ${idt}`);
    // Frames overlap: input words of the next frame stream while the labels of the last one leave.
    const bound = frames * Math.max(Labels / PE, K) + K + 3;
    assert.ok(res.cycles <= bound, `case ${i}: ${res.cycles} cycles > ${bound}`);
  }
});

test('LabelSelect rtl: not FINN\'s default; Verilator lint clean, Yosys synth_xilinx', { skip: skipNoVerilator || skipNoYosys }, async () => {
  for (const [Labels, PE, K] of [[10, 1, 3], [10, 2, 1], [4, 4, 4], [1, 1, 1]] as const) {
    const node = view(labelSelectAttributes, { Labels, PE, K, inputDataType: 'INT8' }, { name: `LabelSelect_rtl_${Labels}_${PE}_${K}` });
    assert.equal(rtl.isDefault!(node, ctx), false);
    const w = writeNode(await rtl.generate!(node, ctx), path.join(repoRoot, 'kernels', 'LabelSelect'));
    assert.equal(lint(w), '', `Labels ${Labels} PE ${PE} K ${K}`);
    if (PE === 2) assert.match(synth(w), /Number of cells/);
  }
});
