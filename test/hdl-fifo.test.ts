import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ElemType, makeTensor, tensorToNumbers } from '../src/index.js';
import { datatype } from '../src/estimate/index.js';
import { packStream, paddedWidth } from '../src/hdl/index.js';
import fifoKernel from '../kernels/StreamingFIFO/kernel.js';
import fifoRtl from '../kernels/StreamingFIFO/rtl.js';
import { fifoAttributes } from '../kernels/StreamingFIFO/_model.js';
import { ctx, view } from './kernels/support.js';
import { lint, skipNoIcarus, skipNoVerilator, skipNoYosys, synth, writeNode } from './helpers/hdl-sim.js';
import { rng, runCase } from './helpers/hdl-kernel.js';
import { repoRoot } from './helpers/paths.js';
import path from 'node:path';

/** [depth, dataType, folded_shape] */
const CASES: Array<[number, string, number[]]> = [
  [2, 'UINT8', [1, 16, 1]], [2, 'BIPOLAR', [1, 4, 16]], [3, 'INT4', [1, 8, 3]], [4, 'INT2', [1, 49, 16]],
  [5, 'BINARY', [1, 10, 1]], [7, 'UINT3', [1, 12, 5]], [8, 'INT8', [1, 32, 2]], [9, 'UINT2', [1, 6, 64]],
  [16, 'INT16', [1, 40, 1]], [17, 'BIPOLAR', [1, 64, 1]], [31, 'UINT4', [1, 20, 3]], [32, 'INT3', [1, 33, 7]],
  [33, 'UINT8', [1, 100, 4]], [64, 'INT20', [1, 70, 1]], [100, 'UINT1', [1, 150, 9]], [128, 'INT5', [1, 10, 13]],
  [255, 'UINT6', [1, 300, 2]], [256, 'INT2', [1, 260, 8]], [2, 'INT9', [1, 3, 100]], [3, 'UINT16', [1, 50, 2]],
  [12, 'INT7', [2, 9, 4]], [6, 'BIPOLAR', [1, 7, 12]],
];

function values(dt: string, n: number, seed: number): number[] {
  const r = rng(seed);
  const t = datatype(dt);
  return Array.from({ length: n }, () => (dt === 'BIPOLAR' ? (r(0, 1) ? 1 : -1) : r(t.min(), t.max())));
}

test('StreamingFIFO rtl: bit-exact against execute, with and without random stalls, over 22 depths and widths', { skip: skipNoIcarus }, async () => {
  for (const [i, [depth, dataType, folded]] of CASES.entries()) {
    const attrs = { depth, dataType, folded_shape: folded, normal_shape: [1, folded[1]! * folded[2]!] };
    const node = view(fifoAttributes, attrs, { name: `StreamingFIFO_rtl_${i}` });
    const n = folded.reduce((a, b) => a * b, 1);
    const xs = values(dataType, n, 100 + i);
    const [y] = await fifoKernel.execute!([makeTensor(ElemType.FLOAT, [n], Float32Array.from(xs))], attrs, ctx);
    const e = folded.at(-1)!;
    const bits = e * datatype(dataType).bitwidth();
    const r = await runCase({
      gen: await fifoRtl.generate!(node, ctx), kernel: 'StreamingFIFO', inBits: bits, outBits: bits,
      inWords: packStream(xs, e, dataType), expected: packStream(tensorToNumbers(y!), e, dataType),
    });
    assert.deepEqual(r.errors, [], `case ${i} depth ${depth} ${dataType} ${folded}`);
    assert.ok(r.cycles <= n + 2, `case ${i}: ${r.cycles} cycles for ${n} words`);
    assert.equal(paddedWidth(bits) % 8, 0);
  }
});

test('StreamingFIFO rtl: Verilator lint clean, Yosys synth_xilinx', { skip: skipNoVerilator || skipNoYosys }, async () => {
  for (const depth of [2, 5, 32]) {
    const node = view(fifoAttributes, { depth, dataType: 'INT3', folded_shape: [1, 4, 3] }, { name: `StreamingFIFO_rtl_${depth}` });
    const w = writeNode(await fifoRtl.generate!(node, ctx), path.join(repoRoot, 'kernels', 'StreamingFIFO'));
    assert.equal(lint(w), '', `depth ${depth}`);
    if (depth === 5) assert.match(synth(w), /Number of cells/);
  }
});
