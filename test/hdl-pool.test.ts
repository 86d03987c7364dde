import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ElemType, makeTensor, tensorToNumbers } from '../src/index.js';
import { datatype } from '../src/estimate/index.js';
import { packStream } from '../src/hdl/index.js';
import kernel, { poolAttributes } from '../kernels/Pool/kernel.js';
import rtl from '../kernels/Pool/rtl.js';
import { ctx, view } from './kernels/support.js';
import { lint, skipNoIcarus, skipNoVerilator, skipNoYosys, synth, writeNode } from './helpers/hdl-sim.js';
import { rng, runCase } from './helpers/hdl-kernel.js';
import { repoRoot } from './helpers/paths.js';
import { randomValues } from './helpers/random-values.js';

/** [Function, Channels, PE, KernelSize, OutImgDims, InputDataType, OutputDataType (QuantAvgPool), BatchSize] */
const CASES: Array<['MaxPool' | 'QuantAvgPool', number, number, number[], number[], string, string, number]> = [
  ['MaxPool', 4, 1, [2, 2], [2, 2], 'INT4', '', 1], ['MaxPool', 6, 3, [3, 3], [2, 3], 'UINT8', '', 1],
  ['MaxPool', 8, 8, [2, 2], [3, 3], 'INT8', '', 2], ['MaxPool', 5, 5, [3, 2], [2, 2], 'BIPOLAR', '', 1],
  ['MaxPool', 3, 1, [4], [5], 'UINT2', '', 1], ['MaxPool', 12, 4, [2, 2], [1, 1], 'INT16', '', 3],
  ['MaxPool', 7, 7, [1, 1], [3, 2], 'INT3', '', 1], ['MaxPool', 2, 2, [5, 5], [1, 2], 'BINARY', '', 1],
  ['MaxPool', 16, 2, [3, 3], [2, 1], 'UINT4', '', 1], ['MaxPool', 9, 3, [2], [7], 'INT5', '', 2],
  ['MaxPool', 1, 1, [3, 3], [4, 4], 'INT8', '', 1], ['MaxPool', 10, 5, [2, 3], [2, 2], 'UINT1', '', 1],
  ['MaxPool', 24, 24, [3, 3], [1, 1], 'INT2', '', 2],
  ['QuantAvgPool', 4, 2, [2, 2], [2, 2], 'UINT4', 'UINT4', 1], ['QuantAvgPool', 6, 6, [3, 3], [2, 2], 'UINT8', 'UINT8', 1],
  ['QuantAvgPool', 8, 1, [2, 2], [3, 1], 'INT4', 'INT4', 2], ['QuantAvgPool', 3, 3, [3, 3], [1, 2], 'INT8', 'INT6', 1],
  ['QuantAvgPool', 5, 1, [4], [4], 'UINT3', 'UINT5', 1], ['QuantAvgPool', 12, 4, [2, 2], [2, 2], 'INT2', 'INT2', 1],
  ['QuantAvgPool', 2, 1, [1, 1], [3, 3], 'UINT8', 'UINT8', 1], ['QuantAvgPool', 16, 8, [7, 7], [1, 1], 'UINT4', 'UINT4', 1],
  ['QuantAvgPool', 9, 3, [3, 3], [2, 2], 'INT4', 'INT8', 1],
];

test('Pool rtl: MaxPool and QuantAvgPool bit-exact against execute (depthwise SWG order), with random stalls, 22 configurations', { skip: skipNoIcarus }, async () => {
  for (const [i, [fn, C, PE, ks, out, idt, odt, B]] of CASES.entries()) {
    const r = rng(1400 + i);
    const K = ks.reduce((p, k) => p * k, 1);
    const attrs = { Channels: C, PE, KernelSize: ks, Function: fn, OutImgDims: out, InputDataType: idt, OutputDataType: odt || idt, BatchSize: B };
    const pixels = B * out.reduce((p, d) => p * d, 1);
    const xs = randomValues(pixels * K * C, idt, r);
    const node = view(poolAttributes, attrs, { name: `Pool_rtl_${i}` });
    const [y] = await kernel.execute!([makeTensor(ElemType.FLOAT, [B, ...out, K * C], Float32Array.from(xs))], attrs, ctx);
    // The stream: per pixel, C/PE folds × K taps × PE channels (execute's tensor is (tap, channel)).
    const stream: number[] = [];
    for (let p = 0; p < pixels; p++)
      for (let f = 0; f < C / PE; f++)
        for (let k = 0; k < K; k++)
          for (let l = 0; l < PE; l++) stream.push(xs[(p * K + k) * C + f * PE + l]!);
    const outType = fn === 'MaxPool' ? idt : odt;
    const res = await runCase({
      gen: await rtl.generate!(node, ctx), kernel: 'Pool', inBits: PE * datatype(idt).bitwidth(), outBits: PE * datatype(outType).bitwidth(),
      inWords: packStream(stream, PE, idt), expected: packStream(tensorToNumbers(y!), PE, outType),
    });
    assert.deepEqual(res.errors, [], `case ${i}: ${fn} C ${C} PE ${PE} K ${ks} ${idt}`);
    // One input word per cycle: the kernel's cycles, plus the output register.
    const bound = kernel.cycles!(node, ctx) + 3;
    assert.ok(res.cycles <= bound, `case ${i}: ${res.cycles} cycles > ${bound}`);
  }
});

test('Pool rtl: not FINN\'s default; Verilator lint clean, Yosys synth_xilinx', { skip: skipNoVerilator || skipNoYosys }, async () => {
  for (const [fn, C, PE, K] of [['MaxPool', 4, 2, 2], ['QuantAvgPool', 4, 4, 3], ['MaxPool', 3, 3, 1], ['QuantAvgPool', 6, 2, 1]] as const) {
    const attrs = { Channels: C, PE, KernelSize: [K, K], Function: fn, OutImgDims: [2, 2], InputDataType: 'INT4', OutputDataType: 'INT4' };
    const node = view(poolAttributes, attrs, { name: `Pool_rtl_${fn}_${C}_${PE}_${K}` });
    assert.equal(rtl.isDefault!(node, ctx), false);
    const w = writeNode(await rtl.generate!(node, ctx), path.join(repoRoot, 'kernels', 'Pool'));
    assert.equal(lint(w), '', `${fn} C ${C} PE ${PE} K ${K}`);
    if (C === 4) assert.match(synth(w), /Number of cells/);
  }
});
