import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ElemType, makeTensor, tensorToNumbers } from '../src/index.js';
import { datatype } from '../src/estimate/index.js';
import { packStream } from '../src/hdl/index.js';
import kernel from '../kernels/MVAU/kernel.js';
import rtl from '../kernels/MVAU/rtl.js';
import { mvauAttributes } from '../kernels/MVAU/_model.js';
import { ctx, view } from './kernels/support.js';
import { lint, skipNoIcarus, skipNoVerilator, skipNoYosys, synth, writeNode } from './helpers/hdl-sim.js';
import { rng, runCase } from './helpers/hdl-kernel.js';
import { repoRoot } from './helpers/paths.js';

interface Cfg {
  MW: number; MH: number; SIMD: number; PE: number; idt: string; wdt: string; odt: string;
  xnor?: boolean;
  /** Threshold steps; 0 = noActivation. */
  S: number;
  act?: number;
  vectors?: number[];
  sharedThresholds?: boolean;
}

const CASES: Cfg[] = [
  { MW: 8, MH: 4, SIMD: 8, PE: 4, idt: 'BINARY', wdt: 'BINARY', odt: 'BINARY', xnor: true, S: 1 },
  { MW: 64, MH: 16, SIMD: 16, PE: 4, idt: 'BINARY', wdt: 'BINARY', odt: 'BINARY', xnor: true, S: 1 },
  { MW: 10, MH: 10, SIMD: 5, PE: 2, idt: 'BINARY', wdt: 'BINARY', odt: 'UINT4', xnor: true, S: 0 },
  { MW: 12, MH: 6, SIMD: 3, PE: 3, idt: 'BIPOLAR', wdt: 'BIPOLAR', odt: 'INT5', S: 0 },
  { MW: 16, MH: 8, SIMD: 4, PE: 2, idt: 'BIPOLAR', wdt: 'BIPOLAR', odt: 'BIPOLAR', S: 1 },
  { MW: 32, MH: 16, SIMD: 8, PE: 4, idt: 'UINT2', wdt: 'INT2', odt: 'UINT2', S: 3 },
  { MW: 16, MH: 8, SIMD: 1, PE: 1, idt: 'INT4', wdt: 'INT4', odt: 'INT12', S: 0 },
  { MW: 8, MH: 4, SIMD: 8, PE: 4, idt: 'INT8', wdt: 'INT8', odt: 'INT20', S: 0 },
  { MW: 49, MH: 8, SIMD: 7, PE: 2, idt: 'UINT8', wdt: 'BIPOLAR', odt: 'BIPOLAR', S: 1 },
  { MW: 20, MH: 5, SIMD: 4, PE: 5, idt: 'BIPOLAR', wdt: 'INT3', odt: 'INT8', S: 0 },
  { MW: 27, MH: 9, SIMD: 9, PE: 3, idt: 'UINT3', wdt: 'TERNARY', odt: 'UINT3', S: 7 },
  { MW: 6, MH: 6, SIMD: 2, PE: 6, idt: 'INT3', wdt: 'UINT4', odt: 'INT10', S: 0 },
  { MW: 24, MH: 12, SIMD: 6, PE: 4, idt: 'UINT4', wdt: 'INT4', odt: 'INT4', S: 15, act: -8, vectors: [2, 2] },
  { MW: 1, MH: 1, SIMD: 1, PE: 1, idt: 'INT4', wdt: 'INT4', odt: 'INT8', S: 0 },
  { MW: 100, MH: 1, SIMD: 10, PE: 1, idt: 'BINARY', wdt: 'INT2', odt: 'INT8', S: 0 },
  { MW: 32, MH: 32, SIMD: 32, PE: 32, idt: 'INT2', wdt: 'INT2', odt: 'INT8', S: 0 },
  { MW: 30, MH: 20, SIMD: 1, PE: 20, idt: 'UINT2', wdt: 'INT2', odt: 'UINT2', S: 3, sharedThresholds: true },
  { MW: 64, MH: 64, SIMD: 64, PE: 1, idt: 'BINARY', wdt: 'BINARY', odt: 'BINARY', xnor: true, S: 1 },
  { MW: 16, MH: 16, SIMD: 4, PE: 8, idt: 'INT2', wdt: 'INT2', odt: 'INT2', S: 3, act: -2 },
  { MW: 12, MH: 3, SIMD: 4, PE: 1, idt: 'UINT8', wdt: 'INT8', odt: 'INT32', S: 0 },
  { MW: 4, MH: 4, SIMD: 2, PE: 2, idt: 'INT16', wdt: 'INT4', odt: 'INT24', S: 0, vectors: [3] },
  { MW: 16, MH: 4, SIMD: 4, PE: 1, idt: 'BINARY', wdt: 'BINARY', odt: 'UINT2', xnor: true, S: 3 },
];

function randomValue(dt: string, r: (lo: number, hi: number) => number): number {
  if (dt === 'BIPOLAR') return r(0, 1) ? 1 : -1;
  const t = datatype(dt);
  return r(t.min(), t.max());
}

test('MVAU rtl: bit-exact against execute over datatypes, XNOR, thresholds and folding, with random stalls, 22 configurations', { skip: skipNoIcarus }, async () => {
  for (const [i, c] of CASES.entries()) {
    const r = rng(1300 + i);
    const vectors = c.vectors ?? [1];
    const nvec = 2 * vectors.reduce((x, y) => x * y, 1); // two frames
    const weights = makeTensor(ElemType.FLOAT, [c.MW, c.MH], Float32Array.from({ length: c.MW * c.MH }, () => randomValue(c.wdt, r)));
    const x = makeTensor(ElemType.FLOAT, [nvec, c.MW], Float32Array.from({ length: nvec * c.MW }, () => randomValue(c.idt, r)));
    const base = { MW: c.MW, MH: c.MH, SIMD: c.SIMD, PE: c.PE, inputDataType: c.idt, weightDataType: c.wdt, outputDataType: c.odt, binaryXnorMode: c.xnor ? 1 : 0, numInputVectors: vectors, mem_mode: 'internal_embedded' };
    // Thresholds picked among the accumulator values these inputs produce, so every output level occurs.
    const [acc] = await kernel.execute!([x, weights], { ...base, noActivation: 1 }, ctx);
    const accs = tensorToNumbers(acc!);
    let thresholds;
    if (c.S > 0) {
      const rows = c.sharedThresholds ? 1 : c.MH;
      const t = new Float32Array(rows * c.S);
      for (let k = 0; k < rows; k++) {
        const row = Array.from({ length: c.S }, () => accs[r(0, accs.length - 1)]! + r(-1, 1));
        t.set(row.sort((p, q) => p - q), k * c.S);
      }
      thresholds = makeTensor(ElemType.FLOAT, [rows, c.S], t);
    } else {
      for (const v of accs) assert.ok(datatype(c.odt).allowed(v), `case ${i}: accumulator ${v} outside ${c.odt}`);
    }
    const attrs = { ...base, noActivation: c.S > 0 ? 0 : 1, ActVal: c.act ?? 0 };
    const node = view(mvauAttributes, attrs, { name: `MVAU_rtl_${i}`, consts: thresholds ? { 1: weights, 2: thresholds } : { 1: weights } });
    const [y] = await kernel.execute!([x, weights, thresholds], attrs, ctx);
    const res = await runCase({
      gen: await rtl.generate!(node, ctx), kernel: 'MVAU',
      inBits: c.SIMD * datatype(c.idt).bitwidth(), outBits: c.PE * datatype(c.odt).bitwidth(),
      inWords: packStream(tensorToNumbers(x), c.SIMD, c.xnor ? 'BINARY' : c.idt), expected: packStream(tensorToNumbers(y!), c.PE, c.odt),
    });
    assert.deepEqual(res.errors, [], `case ${i}: ${JSON.stringify(c)}`);
    const cycles = nvec * (c.MW / c.SIMD) * (c.MH / c.PE);
    // One vector of input fill ahead of the compute (NF > 1), then one tile per cycle.
    assert.ok(res.cycles <= cycles + c.MW / c.SIMD + 3, `case ${i}: ${res.cycles} cycles, kernel estimate ${cycles}`);
  }
});

test('MVAU rtl: Verilator lint clean, Yosys synth_xilinx', { skip: skipNoVerilator || skipNoYosys }, async () => {
  const lintCases: Array<[string, Cfg]> = [
    ['xnor', { MW: 8, MH: 4, SIMD: 4, PE: 2, idt: 'BINARY', wdt: 'BINARY', odt: 'BINARY', xnor: true, S: 1 }],
    ['int', { MW: 8, MH: 4, SIMD: 2, PE: 2, idt: 'UINT2', wdt: 'INT2', odt: 'UINT2', S: 3 }],
    ['bipolar', { MW: 6, MH: 2, SIMD: 6, PE: 1, idt: 'BIPOLAR', wdt: 'BIPOLAR', odt: 'INT4', S: 0 }],
    ['mixed', { MW: 4, MH: 4, SIMD: 1, PE: 4, idt: 'UINT8', wdt: 'BIPOLAR', odt: 'INT12', S: 0 }],
  ];
  for (const [what, c] of lintCases) {
    const r = rng(7);
    const weights = makeTensor(ElemType.FLOAT, [c.MW, c.MH], Float32Array.from({ length: c.MW * c.MH }, () => randomValue(c.wdt, r)));
    const thresholds = c.S ? makeTensor(ElemType.FLOAT, [c.MH, c.S], Float32Array.from({ length: c.MH * c.S }, (_, k) => (k % c.S) - 1)) : undefined;
    const attrs = { MW: c.MW, MH: c.MH, SIMD: c.SIMD, PE: c.PE, inputDataType: c.idt, weightDataType: c.wdt, outputDataType: c.odt, binaryXnorMode: c.xnor ? 1 : 0, noActivation: c.S ? 0 : 1 };
    const node = view(mvauAttributes, attrs, { name: `MVAU_rtl_${what}`, consts: thresholds ? { 1: weights, 2: thresholds } : { 1: weights } });
    const w = writeNode(await rtl.generate!(node, ctx), path.join(repoRoot, 'kernels', 'MVAU'));
    assert.equal(lint(w), '', what);
    if (what === 'int') assert.match(synth(w), /Number of cells/);
  }
});
