import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ElemType, makeTensor, tensorToNumbers } from '../src/index.js';
import { datatype } from '../src/estimate/index.js';
import { packStream } from '../src/hdl/index.js';
import kernel from '../kernels/FMPadding/kernel.js';
import rtl from '../kernels/FMPadding/rtl.js';
import { fmpaddingAttributes } from '../kernels/FMPadding/_model.js';
import { ctx, view } from './kernels/support.js';
import { lint, skipNoIcarus, skipNoVerilator, skipNoYosys, writeNode } from './helpers/hdl-sim.js';
import { rng, runCase, synthCells } from './helpers/hdl-kernel.js';
import { repoRoot } from './helpers/paths.js';
import { synthEstimate } from '../kernels/FMPadding/_rtl-estimate.js';

interface Cfg { img: [number, number]; C: number; SIMD: number; pad: [number, number, number, number]; dt?: string }

const CASES: Cfg[] = [
  { img: [4, 4], C: 2, SIMD: 1, pad: [1, 1, 1, 1] },
  { img: [4, 4], C: 2, SIMD: 2, pad: [1, 1, 1, 1], dt: 'INT4' },
  { img: [5, 3], C: 3, SIMD: 1, pad: [0, 2, 1, 0] },
  { img: [3, 6], C: 4, SIMD: 2, pad: [2, 0, 0, 1], dt: 'UINT3' },
  { img: [6, 6], C: 6, SIMD: 3, pad: [1, 2, 2, 1] },
  { img: [7, 5], C: 1, SIMD: 1, pad: [3, 3, 3, 3], dt: 'INT8' },
  { img: [1, 10], C: 4, SIMD: 4, pad: [0, 2, 0, 2] },
  { img: [1, 8], C: 2, SIMD: 1, pad: [0, 1, 0, 3], dt: 'UINT2' },
  { img: [9, 1], C: 3, SIMD: 3, pad: [2, 0, 1, 0] },
  { img: [2, 2], C: 8, SIMD: 4, pad: [0, 0, 1, 1] },
  { img: [5, 5], C: 12, SIMD: 6, pad: [1, 0, 0, 0], dt: 'INT3' },
  { img: [5, 5], C: 12, SIMD: 1, pad: [0, 0, 0, 1] },
  { img: [3, 3], C: 5, SIMD: 5, pad: [4, 1, 0, 2], dt: 'BIPOLAR' },
  { img: [12, 12], C: 3, SIMD: 3, pad: [1, 1, 1, 1], dt: 'UINT8' },
  { img: [6, 4], C: 2, SIMD: 2, pad: [0, 0, 0, 0] },
  { img: [1, 1], C: 4, SIMD: 2, pad: [1, 1, 1, 1] },
  { img: [4, 7], C: 8, SIMD: 8, pad: [2, 3, 1, 0], dt: 'INT2' },
  { img: [8, 8], C: 4, SIMD: 1, pad: [0, 0, 2, 2] },
  { img: [3, 5], C: 6, SIMD: 2, pad: [1, 2, 0, 0], dt: 'UINT4' },
  { img: [10, 1], C: 2, SIMD: 1, pad: [0, 0, 5, 0] },
  { img: [4, 4], C: 16, SIMD: 8, pad: [1, 1, 1, 1], dt: 'INT6' },
  // The three FMPadding nodes of labs/gtsrb_12x12_w2a3_c12x24x36 with its custom folding config.
  { img: [12, 12], C: 3, SIMD: 3, pad: [1, 1, 1, 1], dt: 'INT8' },
  { img: [6, 6], C: 12, SIMD: 12, pad: [1, 1, 1, 1], dt: 'UINT3' },
  { img: [3, 3], C: 24, SIMD: 12, pad: [1, 1, 1, 1], dt: 'UINT3' },
];

function randomValue(dt: string, r: (lo: number, hi: number) => number): number {
  if (dt === 'BIPOLAR') return r(0, 1) ? 1 : -1;
  const t = datatype(dt);
  return r(t.min(), t.max());
}

const attrsOf = (c: Cfg) => ({ ImgDim: c.img, Padding: c.pad, NumChannels: c.C, SIMD: c.SIMD, inputDataType: c.dt ?? 'INT4' });

test(`FMPadding rtl: bit-exact against execute, with random stalls, ${CASES.length} configurations`, { skip: skipNoIcarus }, async () => {
  const report: string[] = [];
  for (const [i, c] of CASES.entries()) {
    const r = rng(700 + i);
    const attrs = attrsOf(c);
    const node = view(fmpaddingAttributes, attrs, { name: `FMPadding_rtl_${i}` });
    const frames = 2;
    const [H, W] = c.img;
    const dt = attrs.inputDataType;
    // BIPOLAR has no 0: its padding word is all zero bits (−1), as FINN's pad word.
    const xs = Array.from({ length: frames * H * W * c.C }, () => randomValue(dt, r));
    const [y] = await kernel.execute!([makeTensor(ElemType.FLOAT, [frames, H, W, c.C], Float32Array.from(xs))], attrs, ctx);
    const ys = Array.from(tensorToNumbers(y!), (v) => (dt === 'BIPOLAR' && v === 0 ? -1 : v));
    const res = await runCase({
      gen: await rtl.generate!(node, ctx), kernel: 'FMPadding',
      inBits: c.SIMD * datatype(dt).bitwidth(), outBits: c.SIMD * datatype(dt).bitwidth(),
      inWords: packStream(xs, c.SIMD, dt), expected: packStream(ys, c.SIMD, dt),
    });
    assert.deepEqual(res.errors, [], `case ${i}: ${JSON.stringify(c)}`);
    const expected = kernel.cycles!(node, ctx);
    report.push(`${i}:${res.cycles}/${frames}x${expected}`);
    assert.ok(res.cycles <= frames * expected + 3, `case ${i}: ${res.cycles} cycles for ${frames} frames of ${expected}`);
  }
  console.log(`cycles (simulated / frames x cycles()): ${report.join(' ')}`);
});

test('FMPadding rtl: Verilator lint clean, Yosys synth_xilinx as synthEstimate predicts; dynamic_mode refused with a reason', { skip: skipNoVerilator || skipNoYosys }, async () => {
  for (const i of [0, 4, 6, 15, 14]) {
    const node = view(fmpaddingAttributes, attrsOf(CASES[i]!), { name: `FMPadding_rtl_${i}` });
    const w = writeNode(await rtl.generate!(node, ctx), path.join(repoRoot, 'kernels', 'FMPadding'));
    assert.equal(lint(w), '', `case ${i}`);
    if (i !== 4) continue;
    // Counted as the synthesis report counts (INV cells are LUTs, as synthEstimate predicts them).
    const got = synthCells(w);
    const est = synthEstimate(node);
    assert.deepEqual([est.BRAM_18K, est.DSP], [got.BRAM_18K, got.DSP]);
    // Under 100 LUTs: within 20 LUTs.
    assert.ok(Math.abs(est.LUT! - got.LUT) <= 20, `LUT: estimate ${est.LUT}, Yosys ${got.LUT}`);
  }
  const dynamic = view(fmpaddingAttributes, { ...attrsOf(CASES[0]!), dynamic_mode: 1 }, { name: 'FMPadding_rtl_d' });
  assert.throws(() => rtl.generate!(dynamic, ctx), /dynamic_mode/);
});
