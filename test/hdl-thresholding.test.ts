import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ElemType, makeTensor, tensorToNumbers } from '../src/index.js';
import { datatype } from '../src/estimate/index.js';
import { floatThresholdKey, packStream } from '../src/hdl/index.js';
import kernel from '../kernels/Thresholding/kernel.js';
import rtl from '../kernels/Thresholding/rtl.js';
import { thresholdingAttributes } from '../kernels/Thresholding/_model.js';
import { ctx, view } from './kernels/support.js';
import { lint, skipNoIcarus, skipNoVerilator, skipNoYosys, synth, writeNode } from './helpers/hdl-sim.js';
import { rng, runCase } from './helpers/hdl-kernel.js';
import { repoRoot } from './helpers/paths.js';

interface Cfg {
  C: number; PE: number; S: number; idt: string; odt: string; act?: number; vectors?: number[];
  /** Threshold rows: one per channel (default) or a single shared row. */
  shared?: boolean;
  /** Thresholds unsorted, fractional and beyond the input range. */
  wild?: boolean;
}

const CASES: Cfg[] = [
  { C: 4, PE: 1, S: 1, idt: 'UINT8', odt: 'BINARY' },
  { C: 784, PE: 16, S: 1, idt: 'UINT8', odt: 'BIPOLAR' },
  { C: 64, PE: 64, S: 15, idt: 'INT4', odt: 'UINT4' },
  { C: 64, PE: 8, S: 15, idt: 'INT4', odt: 'INT4', act: -8 },
  { C: 10, PE: 5, S: 3, idt: 'INT16', odt: 'UINT2' },
  { C: 6, PE: 3, S: 1, idt: 'BIPOLAR', odt: 'BIPOLAR' },
  { C: 12, PE: 4, S: 255, idt: 'INT8', odt: 'UINT8' },
  { C: 8, PE: 2, S: 3, idt: 'UINT2', odt: 'INT2', act: -2 },
  { C: 3, PE: 1, S: 7, idt: 'INT3', odt: 'UINT3' },
  { C: 16, PE: 16, S: 2, idt: 'UINT4', odt: 'INT2', act: -1 },
  { C: 1, PE: 1, S: 1, idt: 'INT8', odt: 'BINARY', shared: true },
  { C: 32, PE: 4, S: 7, idt: 'INT12', odt: 'UINT3', shared: true },
  { C: 20, PE: 10, S: 1, idt: 'BINARY', odt: 'BINARY' },
  { C: 15, PE: 5, S: 31, idt: 'INT5', odt: 'UINT5' },
  { C: 9, PE: 9, S: 3, idt: 'INT2', odt: 'INT3', act: -1 },
  { C: 18, PE: 6, S: 6, idt: 'UINT8', odt: 'INT3', act: -3 },
  { C: 7, PE: 7, S: 1, idt: 'INT6', odt: 'BIPOLAR' },
  { C: 24, PE: 2, S: 7, idt: 'UINT3', odt: 'UINT3', wild: true },
  { C: 40, PE: 20, S: 15, idt: 'INT8', odt: 'INT4', act: -8, vectors: [2, 3] },
  { C: 2, PE: 1, S: 4, idt: 'INT16', odt: 'UINT3', wild: true },
  { C: 50, PE: 25, S: 15, idt: 'UINT4', odt: 'UINT4', vectors: [1, 2, 2] },
  { C: 64, PE: 1, S: 3, idt: 'INT2', odt: 'INT2', act: -2 },
];

function randomValue(dt: string, r: (lo: number, hi: number) => number): number {
  if (dt === 'BIPOLAR') return r(0, 1) ? 1 : -1;
  const t = datatype(dt);
  return r(t.min(), t.max());
}

test('Thresholding rtl: bit-exact against execute, with random stalls, 22 configurations', { skip: skipNoIcarus }, async () => {
  for (const [i, c] of CASES.entries()) {
    const r = rng(500 + i);
    const idt = datatype(c.idt);
    const rows = c.shared ? 1 : c.C;
    const thr = new Float32Array(rows * c.S);
    for (let k = 0; k < rows; k++) {
      const row = Array.from({ length: c.S }, () => (c.wild ? r(idt.min() * 2 - 4, idt.max() * 2 + 4) / 2 : r(idt.min(), idt.max() + 1)));
      if (!c.wild) row.sort((x, y) => x - y);
      thr.set(row, k * c.S);
    }
    const thresholds = makeTensor(ElemType.FLOAT, [rows, c.S], thr);
    const vectors = c.vectors ?? [1];
    const attrs = { NumChannels: c.C, PE: c.PE, numSteps: c.S, inputDataType: c.idt, outputDataType: c.odt, weightDataType: 'INT32', ActVal: c.act ?? 0, numInputVectors: vectors };
    const node = view(thresholdingAttributes, attrs, { name: `Thresholding_rtl_${i}`, consts: { 1: thresholds } });
    const nvec = 2 * vectors.reduce((a, b) => a * b, 1); // two frames
    const xs = Array.from({ length: nvec * c.C }, () => randomValue(c.idt, r));
    const [y] = await kernel.execute!([makeTensor(ElemType.FLOAT, [nvec, c.C], Float32Array.from(xs)), thresholds], attrs, ctx);
    const res = await runCase({
      gen: await rtl.generate!(node, ctx), kernel: 'Thresholding',
      inBits: c.PE * idt.bitwidth(), outBits: c.PE * datatype(c.odt).bitwidth(),
      inWords: packStream(xs, c.PE, c.idt), expected: packStream(tensorToNumbers(y!), c.PE, c.odt),
    });
    assert.deepEqual(res.errors, [], `case ${i}: ${JSON.stringify(c)}`);
    const beats = (nvec * c.C) / c.PE;
    assert.ok(res.cycles <= beats + 3, `case ${i}: ${res.cycles} cycles for ${beats} beats`);
  }
});

test('Thresholding rtl: Verilator lint clean, Yosys synth_xilinx', { skip: skipNoVerilator || skipNoYosys }, async () => {
  const thresholds = makeTensor(ElemType.FLOAT, [8, 3], Float32Array.from({ length: 24 }, (_, k) => (k % 3) * 2 - 2));
  for (const [PE, idt, odt] of [[2, 'INT4', 'UINT2'], [8, 'UINT4', 'INT2'], [1, 'BIPOLAR', 'UINT2']] as const) {
    const attrs = { NumChannels: 8, PE, numSteps: 3, inputDataType: idt, outputDataType: odt, ActVal: odt === 'INT2' ? -2 : 0 };
    const node = view(thresholdingAttributes, attrs, { name: `Thresholding_rtl_${PE}`, consts: { 1: thresholds } });
    const w = writeNode(await rtl.generate!(node, ctx), path.join(repoRoot, 'kernels', 'Thresholding'));
    assert.equal(lint(w), '', `PE ${PE} ${idt}`);
    if (PE === 2) assert.match(synth(w), /Number of cells/);
  }
});

/** Float32 values that stress the key compare: ±0, ±inf, NaN, huge, tiny (subnormal) and ordinary values. */
const SPECIAL = [0, -0, Infinity, -Infinity, NaN, 3.4028234663852886e38, -3.4028234663852886e38, 1e38, -1e38, 1.401298464324817e-45, -1.401298464324817e-45, 1.1754943508222875e-38, 1, -1, 0.5, -0.5];

function randomFloat(r: (lo: number, hi: number) => number): number {
  switch (r(0, 3)) {
    case 0: return SPECIAL[r(0, SPECIAL.length - 1)]!;
    case 1: return Math.fround((r(-2000, 2000) / 16) * 2 ** r(-30, 30));
    case 2: return r(-8, 8) / 4;
    default: return Math.fround((r(-1e6, 1e6) / 1e3) * 10 ** r(-40, 38));
  }
}

interface FloatCfg { C: number; PE: number; S: number; odt: string; act?: number; vectors?: number[]; shared?: boolean; sorted?: boolean }

const FLOAT_CASES: FloatCfg[] = [
  { C: 8, PE: 2, S: 3, odt: 'UINT2' },
  { C: 12, PE: 12, S: 1, odt: 'BIPOLAR' },
  { C: 6, PE: 1, S: 7, odt: 'INT3', act: -4, sorted: true },
  { C: 16, PE: 4, S: 15, odt: 'UINT4', vectors: [3], sorted: true },
  { C: 5, PE: 5, S: 2, odt: 'INT2', act: -1, shared: true },
  { C: 20, PE: 4, S: 1, odt: 'BINARY' },
];

test('Thresholding rtl: FLOAT32 input (order keys), bit-exact against execute incl. ±0, ties, NaN, ±inf, with stalls', { skip: skipNoIcarus }, async () => {
  for (const [i, c] of FLOAT_CASES.entries()) {
    const r = rng(900 + i);
    const rows = c.shared ? 1 : c.C;
    const thr = new Float32Array(rows * c.S);
    for (let k = 0; k < thr.length; k++) {
      let t = randomFloat(r);
      while (Number.isNaN(t)) t = randomFloat(r);
      thr[k] = t;
    }
    if (c.sorted) for (let k = 0; k < rows; k++) thr.subarray(k * c.S, (k + 1) * c.S).sort();
    const thresholds = makeTensor(ElemType.FLOAT, [rows, c.S], thr);
    const vectors = c.vectors ?? [1];
    const attrs = { NumChannels: c.C, PE: c.PE, numSteps: c.S, inputDataType: 'FLOAT32', outputDataType: c.odt, weightDataType: 'FLOAT32', ActVal: c.act ?? 0, numInputVectors: vectors };
    const node = view(thresholdingAttributes, attrs, { name: `Thresholding_rtl_f${i}`, consts: { 1: thresholds } });
    const nvec = 8 * vectors.reduce((a, b) => a * b, 1);
    // Half the inputs are a threshold of their channel (ties) or its sign-flipped / neighbouring value.
    const xs = Float32Array.from({ length: nvec * c.C }, (_, k) => {
      const row = c.shared ? 0 : k % c.C;
      const t = thr[row * c.S + r(0, c.S - 1)]!;
      switch (r(0, 5)) {
        case 0: return t;
        case 1: return -t;
        case 2: return t === 0 ? -t : t * (1 - 2 ** -23);
        default: return randomFloat(r);
      }
    });
    const [y] = await kernel.execute!([makeTensor(ElemType.FLOAT, [nvec, c.C], xs), thresholds], attrs, ctx);
    const res = await runCase({
      gen: await rtl.generate!(node, ctx), kernel: 'Thresholding',
      inBits: c.PE * 32, outBits: c.PE * datatype(c.odt).bitwidth(),
      inWords: packStream(xs, c.PE, 'FLOAT32'), expected: packStream(tensorToNumbers(y!), c.PE, c.odt),
    });
    assert.deepEqual(res.errors, [], `float case ${i}: ${JSON.stringify(c)}`);
    assert.ok(res.cycles <= (nvec * c.C) / c.PE + 3, `float case ${i}: ${res.cycles} cycles`);
  }
});

test('float32 order keys: x >= t equals key(x) >= key(t) for every pair of non-NaN specials and neighbours', () => {
  const vals = SPECIAL.filter((v) => !Number.isNaN(v)).flatMap((v) => [v, v * (1 + 2 ** -23), v * (1 - 2 ** -23)]).map(Math.fround);
  for (const x of vals) {
    for (const t of vals) assert.equal(floatThresholdKey(x) >= floatThresholdKey(t), x >= t, `${x} >= ${t}`);
  }
  // A threshold between two float32s becomes the upper one: x >= 0.1 (double) for float32 x.
  const t = 0.1;
  for (const x of [Math.fround(0.1), 0.10000000149011612, 0.09999999403953552]) assert.equal(floatThresholdKey(Math.fround(x)) >= floatThresholdKey(t), Math.fround(x) >= t);
  assert.throws(() => floatThresholdKey(NaN), /NaN/);
});

test('Thresholding rtl FLOAT32: Verilator lint clean, Yosys synth_xilinx', { skip: skipNoVerilator || skipNoYosys }, async () => {
  const thresholds = makeTensor(ElemType.FLOAT, [4, 3], Float32Array.from([-1.5, 0, 2.25, -0, 1e-3, 7, -Infinity, 0.5, 1e30, -3, -2, -1]));
  const attrs = { NumChannels: 4, PE: 2, numSteps: 3, inputDataType: 'FLOAT32', outputDataType: 'UINT2', weightDataType: 'FLOAT32' };
  const node = view(thresholdingAttributes, attrs, { name: 'Thresholding_rtl_float', consts: { 1: thresholds } });
  const w = writeNode(await rtl.generate!(node, ctx), path.join(repoRoot, 'kernels', 'Thresholding'));
  assert.equal(lint(w), '');
  assert.match(synth(w), /Number of cells/);
});
