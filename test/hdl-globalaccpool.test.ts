import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ElemType, makeTensor, tensorToNumbers } from '../src/index.js';
import { datatype } from '../src/estimate/index.js';
import { packStream } from '../src/hdl/index.js';
import kernel, { globalAccPoolAttributes } from '../kernels/GlobalAccPool/kernel.js';
import rtl from '../kernels/GlobalAccPool/rtl.js';
import { ctx, view } from './kernels/support.js';
import { lint, skipNoIcarus, skipNoVerilator, skipNoYosys, synth, writeNode } from './helpers/hdl-sim.js';
import { rng, runCase } from './helpers/hdl-kernel.js';
import { repoRoot } from './helpers/paths.js';
import { randomValues } from './helpers/random-values.js';

/** [NumChannels, PE, inputDataType, numInputVectors] */
const CASES: Array<[number, number, string, number[]]> = [
  [4, 1, 'INT4', [1, 2, 2]], [6, 3, 'UINT8', [1, 3, 3]], [8, 8, 'INT8', [2, 4, 4]], [5, 5, 'BIPOLAR', [1, 3, 2]],
  [3, 1, 'UINT2', [1, 5, 5]], [12, 4, 'INT16', [1, 2, 3]], [7, 7, 'INT3', [3, 1, 1]], [2, 2, 'BINARY', [1, 7, 7]],
  [16, 2, 'UINT4', [1, 4, 4]], [9, 3, 'INT5', [2, 3, 3]], [1, 1, 'INT8', [1, 8, 8]], [10, 5, 'UINT1', [1, 6, 6]],
  [24, 24, 'INT2', [1, 2, 2]], [6, 2, 'UINT3', [1, 9]], [32, 8, 'INT4', [1, 5, 5]], [4, 4, 'UINT8', [2]],
  [15, 5, 'INT6', [1, 3, 4]], [20, 1, 'UINT2', [1, 2, 2]], [2, 1, 'INT12', [1, 3, 3]], [64, 16, 'UINT4', [1, 2, 2]],
  [11, 11, 'INT4', [1, 16, 16]], [3, 3, 'UINT8', [3, 2, 2]],
];

test('GlobalAccPool rtl: bit-exact against execute, with random stalls, 22 configurations', { skip: skipNoIcarus }, async () => {
  for (const [i, [C, PE, dt, v]] of CASES.entries()) {
    const r = rng(1500 + i);
    const attrs = { NumChannels: C, PE, inputDataType: dt, numInputVectors: v };
    const dims = [...v, C];
    const xs = randomValues(dims.reduce((p, d) => p * d, 1), dt, r);
    const node = view(globalAccPoolAttributes, attrs, { name: `GlobalAccPool_rtl_${i}` });
    const [y] = await kernel.execute!([makeTensor(ElemType.FLOAT, dims, Float32Array.from(xs))], attrs, ctx);
    const odt = kernel.inferDatatypes!(node, ctx)[0]!;
    const res = await runCase({
      gen: await rtl.generate!(node, ctx), kernel: 'GlobalAccPool', inBits: PE * datatype(dt).bitwidth(), outBits: PE * datatype(odt).bitwidth(),
      inWords: packStream(xs, PE, dt), expected: packStream(tensorToNumbers(y!), PE, odt),
    });
    assert.deepEqual(res.errors, [], `case ${i}: C ${C} PE ${PE} ${dt} ${v}`);
    // One input word per cycle; the sums leave during the last pixel (the kernel adds C/PE cycles for them).
    const bound = kernel.cycles!(node, ctx) + 3;
    assert.ok(res.cycles <= bound, `case ${i}: ${res.cycles} cycles > ${bound}`);
    const rtlCycles = rtl.cycles!(node, ctx);
    assert.ok(res.cycles <= rtlCycles + 3, `case ${i}: ${res.cycles} cycles > the backend's ${rtlCycles} + 3`);
  }
});

test('GlobalAccPool rtl: not FINN\'s default; Verilator lint clean, Yosys synth_xilinx', { skip: skipNoVerilator || skipNoYosys }, async () => {
  for (const [C, PE, v] of [[4, 2, [1, 3, 3]], [4, 4, [1, 3, 3]], [4, 1, [1]], [6, 3, [1, 2, 2]]] as const) {
    const node = view(globalAccPoolAttributes, { NumChannels: C, PE, inputDataType: 'INT4', numInputVectors: v }, { name: `GlobalAccPool_rtl_${C}_${PE}_${v.length}` });
    assert.equal(rtl.isDefault!(node, ctx), false);
    const w = writeNode(await rtl.generate!(node, ctx), path.join(repoRoot, 'kernels', 'GlobalAccPool'));
    assert.equal(lint(w), '', `C ${C} PE ${PE} ${v}`);
    if (PE === 2) assert.match(synth(w), /Number of cells/);
  }
});
