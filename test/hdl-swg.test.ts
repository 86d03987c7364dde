import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ElemType, makeTensor, tensorToNumbers } from '../src/index.js';
import { datatype } from '../src/estimate/index.js';
import { packStream } from '../src/hdl/index.js';
import kernel from '../kernels/ConvolutionInputGenerator/kernel.js';
import rtl from '../kernels/ConvolutionInputGenerator/rtl.js';
import { convOut, rtlCycles, swgAttributes, swgRtlAttributes } from '../kernels/ConvolutionInputGenerator/_model.js';
import { ctx, view } from './kernels/support.js';
import { lint, skipNoIcarus, skipNoVerilator, skipNoYosys, writeNode } from './helpers/hdl-sim.js';
import { rng, runCase, synthCells } from './helpers/hdl-kernel.js';
import { repoRoot } from './helpers/paths.js';
import { synthEstimate } from '../kernels/ConvolutionInputGenerator/_rtl-estimate.js';
import { ramStyle } from '../kernels/ConvolutionInputGenerator/_rtl-gen.js';

interface Cfg {
  /** Image [H, W], channels, SIMD, kernel [kh, kw], stride, dilation. */
  img: [number, number]; C: number; SIMD: number; k: [number, number]; s?: [number, number]; d?: [number, number];
  dt?: string; dw?: 1; par?: 1; ram?: string;
}

const CASES: Cfg[] = [
  { img: [6, 6], C: 2, SIMD: 1, k: [3, 3] },
  { img: [6, 6], C: 4, SIMD: 4, k: [3, 3], dt: 'INT4' },
  { img: [7, 5], C: 3, SIMD: 1, k: [2, 3], s: [2, 1] },
  { img: [8, 8], C: 4, SIMD: 2, k: [3, 3], s: [2, 2], dt: 'UINT3' },
  { img: [9, 9], C: 2, SIMD: 2, k: [3, 3], d: [2, 2] },
  { img: [7, 8], C: 6, SIMD: 3, k: [3, 2], s: [1, 2], d: [2, 1], dt: 'INT3' },
  { img: [1, 12], C: 4, SIMD: 2, k: [1, 3] },
  { img: [1, 16], C: 2, SIMD: 1, k: [1, 5], s: [1, 2], d: [1, 2], dt: 'BIPOLAR' },
  { img: [10, 1], C: 3, SIMD: 3, k: [4, 1], s: [3, 1] },
  { img: [6, 6], C: 4, SIMD: 1, k: [3, 3], dw: 1 },
  { img: [6, 6], C: 6, SIMD: 2, k: [3, 3], s: [2, 2], dw: 1, dt: 'INT8' },
  { img: [8, 7], C: 4, SIMD: 4, k: [2, 2], s: [2, 2], dw: 1 },
  { img: [1, 10], C: 4, SIMD: 1, k: [1, 3], s: [1, 2], dw: 1 },
  { img: [5, 5], C: 8, SIMD: 8, k: [1, 1], dt: 'UINT4' },
  { img: [5, 6], C: 4, SIMD: 2, k: [1, 1], s: [2, 2] },
  { img: [6, 6], C: 3, SIMD: 3, k: [3, 3], par: 1, dt: 'INT4' },
  { img: [6, 7], C: 4, SIMD: 2, k: [3, 3], par: 1, dw: 1 },
  { img: [7, 7], C: 2, SIMD: 2, k: [2, 3], s: [2, 2], d: [1, 2], par: 1 },
  { img: [1, 9], C: 4, SIMD: 4, k: [1, 4], par: 1, dw: 1 },
  { img: [5, 5], C: 6, SIMD: 3, k: [3, 3], s: [2, 1], par: 1, dw: 1, dt: 'UINT2' },
  { img: [12, 12], C: 3, SIMD: 3, k: [3, 3], ram: 'block', dt: 'UINT8' },
  { img: [4, 4], C: 2, SIMD: 2, k: [4, 4] },
  { img: [5, 4], C: 2, SIMD: 1, k: [5, 1], dw: 1 },
  // The five SWG nodes of labs/gtsrb_12x12_w2a3_c12x24x36 with its custom folding config.
  { img: [14, 14], C: 3, SIMD: 3, k: [3, 3], par: 1, dt: 'INT8' },
  { img: [12, 12], C: 12, SIMD: 12, k: [2, 2], s: [2, 2], dw: 1, dt: 'UINT3' },
  { img: [8, 8], C: 12, SIMD: 12, k: [3, 3], par: 1, dt: 'UINT3' },
  { img: [6, 6], C: 24, SIMD: 12, k: [2, 2], s: [2, 2], dw: 1, dt: 'UINT3' },
  { img: [5, 5], C: 24, SIMD: 24, k: [3, 3], dt: 'UINT3' },
];

function attrsOf(c: Cfg) {
  const s = c.s ?? [1, 1];
  const d = c.d ?? [1, 1];
  const dt = c.dt ?? 'INT2';
  return {
    ConvKernelDim: c.k, IFMChannels: c.C, IFMDim: c.img, OFMDim: [convOut(c.img[0], c.k[0], s[0], d[0]), convOut(c.img[1], c.k[1], s[1], d[1])],
    SIMD: c.SIMD, Stride: s, Dilation: d, inputDataType: dt, outputDataType: dt, depthwise: c.dw ?? 0, parallel_window: c.par ?? 0,
    ram_style: c.ram ?? 'distributed',
  };
}

const nodeView = (attrs: Record<string, unknown>, name: string) => view(swgAttributes, swgRtlAttributes.parse(attrs), { name });

/**
 * The stream FINN's rtl SWG emits, from the Im2Col tensor of execute: per pixel (kh, kw, c) as is, or for
 * depthwise and parallel_window (c_fold, kh, kw, SIMD) (reference §2.4).
 */
export function streamOrder(y: ArrayLike<number>, pixels: number, K: number, C: number, SIMD: number, folded: boolean): number[] {
  if (!folded) return Array.from(y);
  const out: number[] = [];
  for (let px = 0; px < pixels; px++)
    for (let f = 0; f < C / SIMD; f++)
      for (let k = 0; k < K; k++)
        for (let s = 0; s < SIMD; s++) out.push(y[(px * K + k) * C + f * SIMD + s]!);
  return out;
}

function randomValue(dt: string, r: (lo: number, hi: number) => number): number {
  if (dt === 'BIPOLAR') return r(0, 1) ? 1 : -1;
  const t = datatype(dt);
  return r(t.min(), t.max());
}

test(`ConvolutionInputGenerator rtl: bit-exact against execute (FINN's stream order), with random stalls, ${CASES.length} configurations`, { skip: skipNoIcarus }, async () => {
  const report: string[] = [];
  for (const [i, c] of CASES.entries()) {
    const r = rng(900 + i);
    const attrs = attrsOf(c);
    const node = nodeView(attrs, `ConvolutionInputGenerator_rtl_${i}`);
    const frames = 2;
    const [H, W] = c.img;
    const xs = Array.from({ length: frames * H * W * c.C }, () => randomValue(attrs.inputDataType, r));
    const [y] = await kernel.execute!([makeTensor(ElemType.FLOAT, [frames, H, W, c.C], Float32Array.from(xs))], attrs, ctx);
    const K = c.k[0] * c.k[1];
    const pixels = frames * attrs.OFMDim[0]! * attrs.OFMDim[1]!;
    const folded = attrs.depthwise === 1 || attrs.parallel_window === 1;
    const perBeat = c.SIMD * (attrs.parallel_window === 1 ? K : 1);
    const dt = attrs.inputDataType;
    const res = await runCase({
      gen: await rtl.generate!(node, ctx), kernel: 'ConvolutionInputGenerator',
      inBits: c.SIMD * datatype(dt).bitwidth(), outBits: perBeat * datatype(dt).bitwidth(),
      inWords: packStream(xs, c.SIMD, dt), expected: packStream(streamOrder(tensorToNumbers(y!), pixels, K, c.C, c.SIMD, folded), perBeat, dt),
    });
    assert.deepEqual(res.errors, [], `case ${i}: ${JSON.stringify(c)}`);
    const expected = rtlCycles(swgAttributes.parse(attrs));
    report.push(`${i}:${res.cycles}/${frames}x${expected}`);
    assert.ok(res.cycles <= frames * expected * 1.2 + 8, `case ${i}: ${res.cycles} cycles for ${frames} frames of ${expected}`);
  }
  console.log(`cycles (simulated / frames x rtl cycles()): ${report.join(' ')}`);
});

test('ConvolutionInputGenerator rtl: Verilator lint clean (default, depthwise, parallel, 1D), Yosys synth_xilinx as synthEstimate predicts', { skip: skipNoVerilator || skipNoYosys }, async () => {
  for (const i of [0, 5, 10, 12, 16, 19, 13]) {
    const node = nodeView(attrsOf(CASES[i]!), `ConvolutionInputGenerator_rtl_${i}`);
    const w = writeNode(await rtl.generate!(node, ctx), path.join(repoRoot, 'kernels', 'ConvolutionInputGenerator'));
    assert.equal(lint(w), '', `case ${i}`);
    if (i !== 16) continue;
    // Counted as the synthesis report counts (INV cells are LUTs, as synthEstimate predicts them).
    const got = synthCells(w);
    const est = synthEstimate(node);
    assert.equal(est.BRAM_18K, got.BRAM_18K);
    assert.equal(est.DSP, got.DSP);
    assert.ok(Math.abs(est.LUT! - got.LUT) <= Math.max(15, 0.15 * got.LUT), `LUT: estimate ${est.LUT}, Yosys ${got.LUT}`);
  }
});

test('ConvolutionInputGenerator rtl: viable wherever it generates, FINN\'s choice by default', () => {
  const depthwiseParallel = nodeView(attrsOf(CASES[16]!), 'n');
  assert.equal(rtl.isViable!(depthwiseParallel, ctx), true);
  assert.equal(rtl.isDefault!(depthwiseParallel, ctx), false);
  assert.equal(rtl.isDefault!(nodeView(attrsOf(CASES[0]!), 'n'), ctx), true);
  const wideParallel = nodeView({ ...attrsOf(CASES[0]!), parallel_window: 1 }, 'n');
  assert.equal(rtl.isViable!(wideParallel, ctx), false);
  assert.throws(() => rtl.generate!(wideParallel, ctx), /E_HDL_UNSUPPORTED|SIMD=1 < IFMChannels=2/);
  assert.equal(rtl.isViable!(nodeView({ ...attrsOf(CASES[0]!), dynamic_mode: 1 }, 'n'), ctx), false);
});

test('ConvolutionInputGenerator rtl: ram_style becomes the buffer\'s attribute; ultra only on parts with UltraRAM', () => {
  assert.equal(ramStyle('distributed', 'xc7z020clg400-1'), '(* ram_style = "distributed" *) ');
  assert.equal(ramStyle('block', 'xc7z020clg400-1'), '(* ram_style = "block" *) ');
  assert.equal(ramStyle('auto', 'xczu7ev-ffvc1156-2-e'), '');
  assert.equal(ramStyle('ultra', 'xc7z020clg400-1'), '');
  assert.equal(ramStyle('ultra', 'xczu7ev-ffvc1156-2-e'), '(* ram_style = "ultra" *) ');
  assert.equal(ramStyle('ultra', 'xcu50-fsvh2104-2-e'), '(* ram_style = "ultra" *) ');
});
