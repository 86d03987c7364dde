import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ElemType, makeTensor, tensorToNumbers } from '../src/index.js';
import { datatype } from '../src/estimate/index.js';
import { packStream } from '../src/hdl/index.js';
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
