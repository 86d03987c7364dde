import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ElemType, makeTensor, tensorToNumbers } from '../src/index.js';
import { datatype } from '../src/estimate/index.js';
import { packStream } from '../src/hdl/index.js';
import kernel, { lookupAttributes } from '../kernels/Lookup/kernel.js';
import rtl from '../kernels/Lookup/rtl.js';
import { ctx, view } from './kernels/support.js';
import { lint, skipNoIcarus, skipNoVerilator, skipNoYosys, synth, writeNode } from './helpers/hdl-sim.js';
import { rng, runCase } from './helpers/hdl-kernel.js';
import { repoRoot } from './helpers/paths.js';
import { checkSynthEstimate } from './helpers/synth-stat.js';
import { synthEstimate } from '../kernels/Lookup/_rtl-estimate.js';

interface Cfg { N: number; D: number; et: string; it: string; shape: number[] }

const CASES: Cfg[] = [
  { N: 10, D: 4, et: 'INT8', it: 'UINT4', shape: [1, 3] },
  { N: 16, D: 1, et: 'UINT4', it: 'UINT4', shape: [5] },
  { N: 1, D: 3, et: 'INT4', it: 'UINT8', shape: [2] },
  { N: 2, D: 8, et: 'BIPOLAR', it: 'BINARY', shape: [1, 6] },
  { N: 100, D: 16, et: 'INT2', it: 'UINT8', shape: [1, 4] },
  { N: 256, D: 2, et: 'INT16', it: 'UINT8', shape: [8] },
  { N: 7, D: 5, et: 'UINT3', it: 'UINT3', shape: [1, 2, 2] },
  { N: 300, D: 3, et: 'INT8', it: 'UINT16', shape: [6] },
  { N: 5, D: 10, et: 'BINARY', it: 'UINT8', shape: [3] },
  { N: 64, D: 8, et: 'INT8', it: 'UINT6', shape: [1, 8] },
  { N: 65, D: 2, et: 'INT5', it: 'UINT7', shape: [4] },
  { N: 3, D: 1, et: 'INT32', it: 'UINT2', shape: [1, 5] },
  { N: 12, D: 6, et: 'UINT8', it: 'UINT4', shape: [2, 3] },
  { N: 4, D: 32, et: 'INT4', it: 'UINT2', shape: [1, 3] },
  { N: 1000, D: 4, et: 'INT4', it: 'UINT10', shape: [1, 4] },
  { N: 9, D: 9, et: 'TERNARY', it: 'UINT4', shape: [7] },
  { N: 32, D: 3, et: 'UINT1', it: 'UINT5', shape: [4] },
  { N: 20, D: 2, et: 'INT12', it: 'UINT32', shape: [1, 3] },
  { N: 128, D: 64, et: 'INT2', it: 'UINT7', shape: [2] },
  { N: 17, D: 7, et: 'INT7', it: 'UINT5', shape: [1, 1, 3] },
  { N: 50, D: 12, et: 'UINT2', it: 'UINT6', shape: [10] },
];

function randomValue(dt: string, r: (lo: number, hi: number) => number): number {
  if (dt === 'BIPOLAR') return r(0, 1) ? 1 : -1;
  const t = datatype(dt);
  return r(Math.max(t.min(), -1e6), Math.min(t.max(), 1e6));
}

function caseNode(c: Cfg, i: number, r: (lo: number, hi: number) => number) {
  const table = makeTensor(ElemType.FLOAT, [c.N, c.D], Float32Array.from({ length: c.N * c.D }, () => randomValue(c.et, r)));
  const attrs = { NumEmbeddings: c.N, EmbeddingDim: c.D, EmbeddingType: c.et, InputType: c.it, InputShape: c.shape, mem_mode: 'internal_embedded' };
  return { attrs, table, node: view(lookupAttributes, attrs, { name: `Lookup_rtl_${i}`, consts: { 1: table } }) };
}

test('Lookup rtl: bit-exact against execute over table sizes, index and element types, with random stalls, 21 configurations', { skip: skipNoIcarus }, async () => {
  for (const [i, c] of CASES.entries()) {
    const r = rng(4100 + i);
    const { attrs, table, node } = caseNode(c, i, r);
    assert.equal(rtl.isViable!(node, ctx), true);
    const count = c.shape.reduce((a, b) => a * b, 1);
    // Two frames; the first and last rows always occur.
    const idx = Array.from({ length: 2 * count }, (_, k) => (k === 0 ? 0 : k === 1 ? c.N - 1 : r(0, c.N - 1)));
    const [y] = await kernel.execute!([makeTensor(ElemType.FLOAT, [2, ...c.shape], Float32Array.from(idx)), table], attrs, ctx);
    const res = await runCase({
      gen: await rtl.generate!(node, ctx), kernel: 'Lookup',
      inBits: datatype(c.it).bitwidth(), outBits: c.D * datatype(c.et).bitwidth(),
      inWords: packStream(idx, 1, c.it), expected: packStream(tensorToNumbers(y!), c.D, c.et),
    });
    assert.deepEqual(res.errors, [], `case ${i}: ${JSON.stringify(c)}`);
    const cycles = 2 * kernel.cycles!(node, ctx);
    assert.ok(res.cycles <= cycles + 3, `case ${i}: ${res.cycles} cycles, kernel estimate ${cycles}`);
  }
});

test('Lookup rtl: Verilator lint clean, Yosys synth_xilinx; not FINN\'s default; external memory not viable', { skip: skipNoVerilator || skipNoYosys }, async () => {
  for (const [i, c] of [CASES[14]!, CASES[0]!, CASES[2]!, CASES[3]!, CASES[7]!, CASES[1]!].entries()) {
    const { node } = caseNode(c, 90 + i, rng(5));
    assert.equal(rtl.isDefault!(node, ctx), false);
    const w = writeNode(await rtl.generate!(node, ctx), path.join(repoRoot, 'kernels', 'Lookup'));
    assert.equal(lint(w), '', JSON.stringify(c));
    if (i === 0) {
      // Yosys vs the estimate of our RTL: DSP and BRAM exact, LUT within a factor of two.
      assert.deepEqual(rtl.estimate!(node, ctx), synthEstimate(node));
      checkSynthEstimate(synth(w), synthEstimate(node), JSON.stringify(c));
    }
  }
  const { attrs } = caseNode(CASES[0]!, 99, rng(5));
  assert.equal(rtl.isViable!(view(lookupAttributes, { ...attrs, mem_mode: 'external' }), ctx), false);
});
