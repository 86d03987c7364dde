import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ElemType, makeTensor, tensorToNumbers } from '../src/index.js';
import { datatype } from '../src/estimate/index.js';
import { packStream } from '../src/hdl/index.js';
import kernel from '../kernels/VVAU/kernel.js';
import rtl from '../kernels/VVAU/rtl.js';
import { vvauAttributes } from '../kernels/VVAU/_model.js';
import { ctx, view } from './kernels/support.js';
import { lint, skipNoIcarus, skipNoVerilator, skipNoYosys, synth, writeNode } from './helpers/hdl-sim.js';
import { rng, runCase } from './helpers/hdl-kernel.js';
import { repoRoot } from './helpers/paths.js';
import { checkSynthEstimate, thresholdsAmong } from './helpers/synth-stat.js';
import { synthEstimate } from '../kernels/VVAU/_rtl-estimate.js';

interface Cfg {
  C: number; k: [number, number]; dim: [number, number]; PE: number; SIMD: number; idt: string; wdt: string; odt: string;
  /** Threshold steps; 0 = noActivation. */
  S: number;
  act?: number;
  sharedThresholds?: boolean;
}

const CASES: Cfg[] = [
  { C: 4, k: [3, 3], dim: [2, 2], PE: 1, SIMD: 1, idt: 'UINT4', wdt: 'INT4', odt: 'INT12', S: 0 },
  { C: 4, k: [3, 3], dim: [2, 2], PE: 4, SIMD: 9, idt: 'UINT4', wdt: 'INT4', odt: 'INT12', S: 0 },
  { C: 8, k: [3, 3], dim: [2, 3], PE: 2, SIMD: 3, idt: 'UINT4', wdt: 'INT4', odt: 'UINT2', S: 3 },
  { C: 6, k: [3, 3], dim: [1, 2], PE: 3, SIMD: 1, idt: 'INT2', wdt: 'INT2', odt: 'INT2', S: 3, act: -2 },
  { C: 6, k: [5, 5], dim: [1, 1], PE: 6, SIMD: 5, idt: 'UINT8', wdt: 'INT8', odt: 'INT24', S: 0 },
  { C: 5, k: [2, 2], dim: [2, 2], PE: 5, SIMD: 2, idt: 'BIPOLAR', wdt: 'BIPOLAR', odt: 'INT4', S: 0 },
  { C: 4, k: [3, 3], dim: [2, 1], PE: 2, SIMD: 9, idt: 'BIPOLAR', wdt: 'BIPOLAR', odt: 'BIPOLAR', S: 1 },
  { C: 8, k: [3, 3], dim: [1, 2], PE: 4, SIMD: 3, idt: 'BINARY', wdt: 'INT3', odt: 'INT8', S: 0 },
  { C: 3, k: [3, 3], dim: [2, 2], PE: 1, SIMD: 9, idt: 'UINT2', wdt: 'BIPOLAR', odt: 'INT6', S: 0 },
  { C: 4, k: [1, 1], dim: [3, 3], PE: 2, SIMD: 1, idt: 'INT4', wdt: 'UINT3', odt: 'INT8', S: 0 },
  { C: 2, k: [3, 1], dim: [4, 1], PE: 1, SIMD: 3, idt: 'INT3', wdt: 'TERNARY', odt: 'UINT3', S: 7 },
  { C: 12, k: [3, 3], dim: [1, 1], PE: 12, SIMD: 3, idt: 'UINT3', wdt: 'INT2', odt: 'UINT4', S: 15 },
  { C: 16, k: [3, 3], dim: [1, 2], PE: 8, SIMD: 1, idt: 'INT4', wdt: 'INT4', odt: 'INT4', S: 15, act: -8 },
  { C: 1, k: [1, 1], dim: [2, 2], PE: 1, SIMD: 1, idt: 'INT4', wdt: 'INT4', odt: 'INT8', S: 0 },
  { C: 10, k: [2, 2], dim: [2, 2], PE: 5, SIMD: 4, idt: 'INT8', wdt: 'INT8', odt: 'INT18', S: 0 },
  { C: 8, k: [3, 3], dim: [1, 1], PE: 1, SIMD: 1, idt: 'BINARY', wdt: 'BINARY', odt: 'UINT4', S: 0 },
  { C: 4, k: [3, 3], dim: [2, 2], PE: 2, SIMD: 3, idt: 'UINT2', wdt: 'INT2', odt: 'UINT2', S: 3, sharedThresholds: true },
  { C: 9, k: [1, 3], dim: [1, 3], PE: 3, SIMD: 3, idt: 'INT2', wdt: 'INT4', odt: 'BIPOLAR', S: 1 },
  { C: 32, k: [3, 3], dim: [1, 1], PE: 32, SIMD: 9, idt: 'INT2', wdt: 'INT2', odt: 'INT8', S: 0 },
  { C: 7, k: [7, 1], dim: [1, 2], PE: 7, SIMD: 7, idt: 'UINT4', wdt: 'UINT4', odt: 'UINT11', S: 0 },
  { C: 2, k: [3, 3], dim: [2, 2], PE: 1, SIMD: 3, idt: 'INT16', wdt: 'INT4', odt: 'INT24', S: 0 },
  { C: 6, k: [2, 2], dim: [2, 2], PE: 2, SIMD: 2, idt: 'UINT4', wdt: 'INT4', odt: 'UINT1', S: 1 },
];

function randomValue(dt: string, r: (lo: number, hi: number) => number): number {
  if (dt === 'BIPOLAR') return r(0, 1) ? 1 : -1;
  const t = datatype(dt);
  return r(t.min(), t.max());
}

/**
 * Im2Col-ordered input ([pixels, K·C], tap outer, channel inner: what execute reads) in FINN's depthwise
 * stream order: per pixel, channel folds × taps × PE channels.
 */
function depthwiseOrder(x: Float64Array, C: number, K: number, PE: number): number[] {
  const out: number[] = [];
  for (let pix = 0; pix < x.length / (C * K); pix++)
    for (let nf = 0; nf < C / PE; nf++)
      for (let k = 0; k < K; k++)
        for (let p = 0; p < PE; p++) out.push(x[pix * K * C + k * C + nf * PE + p]!);
  return out;
}

test('VVAU rtl: bit-exact against execute over datatypes, thresholds and folding, with random stalls, 22 configurations', { skip: skipNoIcarus }, async () => {
  for (const [i, c] of CASES.entries()) {
    const r = rng(2100 + i);
    const K = c.k[0] * c.k[1];
    const pixels = 2 * c.dim[0] * c.dim[1]; // two frames
    const weights = makeTensor(ElemType.FLOAT, [c.C, 1, c.k[0], c.k[1]], Float32Array.from({ length: c.C * K }, () => randomValue(c.wdt, r)));
    const x = makeTensor(ElemType.FLOAT, [2, c.dim[0], c.dim[1], K * c.C], Float32Array.from({ length: pixels * K * c.C }, () => randomValue(c.idt, r)));
    const base = { Channels: c.C, Kernel: c.k, Dim: c.dim, SIMD: c.SIMD, PE: c.PE, inputDataType: c.idt, weightDataType: c.wdt, outputDataType: c.odt, mem_mode: 'internal_decoupled' };
    // Thresholds picked among the accumulator values these inputs produce, so every output level occurs.
    const [acc] = await kernel.execute!([x, weights], { ...base, noActivation: 1 }, ctx);
    const accs = tensorToNumbers(acc!);
    let thresholds;
    if (c.S > 0) {
      const rows = c.sharedThresholds ? 1 : c.C;
      thresholds = makeTensor(ElemType.FLOAT, [rows, c.S], thresholdsAmong(accs, rows, c.S, r));
    } else {
      for (const v of accs) assert.ok(datatype(c.odt).allowed(v), `case ${i}: accumulator ${v} outside ${c.odt}`);
    }
    const attrs = { ...base, noActivation: c.S > 0 ? 0 : 1, ActVal: c.act ?? 0 };
    const node = view(vvauAttributes, attrs, { name: `VVAU_rtl_${i}`, consts: thresholds ? { 1: weights, 2: thresholds } : { 1: weights } });
    assert.equal(rtl.isViable!(node, ctx), true);
    const [y] = await kernel.execute!([x, weights, thresholds], attrs, ctx);
    const res = await runCase({
      gen: await rtl.generate!(node, ctx), kernel: 'VVAU',
      inBits: c.SIMD * c.PE * datatype(c.idt).bitwidth(), outBits: c.PE * datatype(c.odt).bitwidth(),
      inWords: packStream(depthwiseOrder(tensorToNumbers(x), c.C, K, c.PE), c.SIMD * c.PE, c.idt), expected: packStream(tensorToNumbers(y!), c.PE, c.odt),
    });
    assert.deepEqual(res.errors, [], `case ${i}: ${JSON.stringify(c)}`);
    const cycles = 2 * kernel.cycles!(node, ctx);
    // One word per cycle, plus the output register and the harness's handshake.
    assert.ok(res.cycles <= cycles + 3, `case ${i}: ${res.cycles} cycles, kernel estimate ${cycles}`);
  }
});

test('VVAU rtl: Verilator lint clean, Yosys synth_xilinx', { skip: skipNoVerilator || skipNoYosys }, async () => {
  const lintCases: Array<[string, Cfg]> = [
    ['int', { C: 8, k: [3, 3], dim: [2, 2], PE: 2, SIMD: 3, idt: 'UINT4', wdt: 'INT4', odt: 'UINT2', S: 3 }],
    ['bipolar', { C: 4, k: [3, 3], dim: [2, 2], PE: 4, SIMD: 9, idt: 'BIPOLAR', wdt: 'BIPOLAR', odt: 'INT5', S: 0 }],
    ['binary', { C: 4, k: [2, 2], dim: [2, 2], PE: 1, SIMD: 1, idt: 'BINARY', wdt: 'INT3', odt: 'INT6', S: 0 }],
  ];
  for (const [what, c] of lintCases) {
    const r = rng(7);
    const K = c.k[0] * c.k[1];
    const weights = makeTensor(ElemType.FLOAT, [c.C, 1, c.k[0], c.k[1]], Float32Array.from({ length: c.C * K }, () => randomValue(c.wdt, r)));
    const thresholds = c.S ? makeTensor(ElemType.FLOAT, [c.C, c.S], Float32Array.from({ length: c.C * c.S }, (_, k) => (k % c.S) - 1)) : undefined;
    const attrs = { Channels: c.C, Kernel: c.k, Dim: c.dim, SIMD: c.SIMD, PE: c.PE, inputDataType: c.idt, weightDataType: c.wdt, outputDataType: c.odt, noActivation: c.S ? 0 : 1 };
    const node = view(vvauAttributes, attrs, { name: `VVAU_rtl_${what}`, consts: thresholds ? { 1: weights, 2: thresholds } : { 1: weights } });
    const w = writeNode(await rtl.generate!(node, ctx), path.join(repoRoot, 'kernels', 'VVAU'));
    assert.equal(lint(w), '', what);
    if (what === 'int') {
      // Yosys vs the estimate of our RTL: DSP and BRAM exact, LUT within a factor of two.
      checkSynthEstimate(synth(w), synthEstimate(node), JSON.stringify(c));
    }
  }
});
