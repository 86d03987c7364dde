import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ElemType, makeTensor, tensorToNumbers } from '../src/index.js';
import { datatype } from '../src/estimate/index.js';
import { packStream } from '../src/hdl/index.js';
import dwcKernel from '../kernels/StreamingDataWidthConverter/kernel.js';
import dwcRtl from '../kernels/StreamingDataWidthConverter/rtl.js';
import { dwcAttributes } from '../kernels/StreamingDataWidthConverter/_model.js';
import { ctx, view } from './kernels/support.js';
import { lint, skipNoIcarus, skipNoVerilator, skipNoYosys, synth, writeNode } from './helpers/hdl-sim.js';
import { rng, runCase } from './helpers/hdl-kernel.js';
import { repoRoot } from './helpers/paths.js';

/** [inWidth, outWidth, dataType, shape] */
const CASES: Array<[number, number, string, number[]]> = [
  [8, 8, 'UINT8', [1, 16]], [1, 8, 'BIPOLAR', [1, 64]], [8, 1, 'BIPOLAR', [1, 64]], [2, 32, 'INT2', [1, 64]],
  [32, 2, 'INT2', [1, 64]], [12, 8, 'UINT4', [1, 24]], [8, 12, 'UINT4', [1, 24]], [3, 5, 'BINARY', [1, 45]],
  [5, 3, 'BINARY', [1, 45]], [4, 784, 'UINT4', [1, 784]], [784, 16, 'BIPOLAR', [1, 784]], [6, 9, 'INT3', [2, 18]],
  [9, 6, 'INT3', [2, 18]], [16, 64, 'INT8', [1, 64]], [64, 16, 'INT8', [1, 64]], [10, 4, 'INT2', [1, 20]],
  [4, 10, 'INT2', [1, 20]], [14, 21, 'UINT7', [1, 42]], [7, 98, 'INT7', [1, 56]], [64, 64, 'INT16', [1, 32]],
  [24, 40, 'UINT8', [1, 60]], [100, 8, 'UINT4', [1, 200]],
];

function values(dt: string, n: number, seed: number): number[] {
  const r = rng(seed);
  const t = datatype(dt);
  return Array.from({ length: n }, () => (dt === 'BIPOLAR' ? (r(0, 1) ? 1 : -1) : r(t.min(), t.max())));
}

test('StreamingDataWidthConverter rtl: any width ratio, bit-exact against execute, with random stalls, 22 configurations', { skip: skipNoIcarus }, async () => {
  for (const [i, [inWidth, outWidth, dataType, shape]] of CASES.entries()) {
    const attrs = { shape, inWidth, outWidth, dataType };
    const node = view(dwcAttributes, attrs, { name: `StreamingDataWidthConverter_rtl_${i}` });
    const n = shape.reduce((a, b) => a * b, 1);
    const xs = values(dataType, 2 * n, 300 + i); // two frames
    const [y] = await dwcKernel.execute!([makeTensor(ElemType.FLOAT, [2 * shape[0]!, ...shape.slice(1)], Float32Array.from(xs))], attrs, ctx);
    const bits = datatype(dataType).bitwidth();
    const r = await runCase({
      gen: await dwcRtl.generate!(node, ctx), kernel: 'StreamingDataWidthConverter', inBits: inWidth, outBits: outWidth,
      inWords: packStream(xs, inWidth / bits, dataType), expected: packStream(tensorToNumbers(y!), outWidth / bits, dataType),
    });
    assert.deepEqual(r.errors, [], `case ${i}: ${inWidth} -> ${outWidth} ${dataType}`);
    // One word per cycle on the wider side, plus the pipeline fill.
    const beats = Math.max((2 * n * bits) / inWidth, (2 * n * bits) / outWidth);
    assert.ok(r.cycles <= beats + 5, `case ${i}: ${r.cycles} cycles for ${beats} beats`);
  }
});

test('StreamingDataWidthConverter rtl: Verilator lint clean, Yosys synth_xilinx', { skip: skipNoVerilator || skipNoYosys }, async () => {
  for (const [inWidth, outWidth] of [[8, 8], [4, 12], [12, 4], [12, 8]]) {
    const node = view(dwcAttributes, { shape: [1, 24], inWidth, outWidth, dataType: 'UINT4' }, { name: `StreamingDataWidthConverter_rtl_${inWidth}_${outWidth}` });
    const w = writeNode(await dwcRtl.generate!(node, ctx), path.join(repoRoot, 'kernels', 'StreamingDataWidthConverter'));
    assert.equal(lint(w), '', `${inWidth} -> ${outWidth}`);
    if (inWidth === 12 && outWidth === 8) assert.match(synth(w), /Number of cells/);
  }
});
