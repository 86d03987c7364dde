import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ElemType, makeTensor, smallestDataType, tensorToNumbers } from '../src/index.js';
import { datatype } from '../src/estimate/index.js';
import { packStream } from '../src/hdl/index.js';
import kernel, { channelwiseOpAttributes } from '../kernels/ChannelwiseOp/kernel.js';
import rtl from '../kernels/ChannelwiseOp/rtl.js';
import { ctx, view } from './kernels/support.js';
import { lint, skipNoIcarus, skipNoVerilator, skipNoYosys, writeNode } from './helpers/hdl-sim.js';
import { estimateMisses, rng, runCase, synthCells } from './helpers/hdl-kernel.js';
import { repoRoot } from './helpers/paths.js';
import { synthEstimate } from '../kernels/ChannelwiseOp/_rtl-estimate.js';

type Func = 'add' | 'mul' | 'cmp_le' | 'cmp_ge';
interface Cfg {
  f: Func; C: number; PE: number; idt: string;
  /** Parameter range. */
  p: [number, number];
  vectors?: number[];
  /** One parameter for every channel. */
  scalar?: boolean;
}

const CASES: Cfg[] = [
  { f: 'add', C: 4, PE: 1, idt: 'UINT4', p: [-8, 7] },
  { f: 'add', C: 16, PE: 16, idt: 'INT8', p: [-100, 100] },
  { f: 'add', C: 12, PE: 3, idt: 'INT2', p: [0, 3], vectors: [2, 2] },
  { f: 'add', C: 6, PE: 2, idt: 'BIPOLAR', p: [-2, 2] },
  { f: 'add', C: 8, PE: 4, idt: 'BINARY', p: [1, 1], scalar: true },
  { f: 'add', C: 10, PE: 5, idt: 'UINT8', p: [-255, 0] },
  { f: 'mul', C: 4, PE: 2, idt: 'INT4', p: [-8, 7] },
  { f: 'mul', C: 9, PE: 9, idt: 'UINT2', p: [0, 5] },
  { f: 'mul', C: 8, PE: 1, idt: 'BIPOLAR', p: [-3, 3] },
  { f: 'mul', C: 6, PE: 3, idt: 'UINT8', p: [-2, 2], scalar: true, vectors: [3] },
  { f: 'mul', C: 5, PE: 5, idt: 'INT16', p: [-4, 4] },
  { f: 'mul', C: 16, PE: 4, idt: 'BINARY', p: [-7, 7] },
  { f: 'cmp_le', C: 8, PE: 2, idt: 'INT4', p: [-8, 7] },
  { f: 'cmp_le', C: 3, PE: 1, idt: 'UINT8', p: [0, 255] },
  { f: 'cmp_le', C: 16, PE: 16, idt: 'INT2', p: [-3, 3] },
  { f: 'cmp_ge', C: 8, PE: 4, idt: 'UINT4', p: [-2, 17] },
  { f: 'cmp_ge', C: 6, PE: 6, idt: 'BIPOLAR', p: [-1, 1] },
  { f: 'cmp_ge', C: 20, PE: 5, idt: 'INT8', p: [-128, 127], vectors: [2, 3] },
  { f: 'add', C: 1, PE: 1, idt: 'INT3', p: [-4, 3], vectors: [5] },
  { f: 'mul', C: 64, PE: 8, idt: 'UINT3', p: [-1, 1] },
  { f: 'cmp_ge', C: 1, PE: 1, idt: 'INT12', p: [0, 0], scalar: true, vectors: [4] },
  { f: 'add', C: 32, PE: 8, idt: 'INT5', p: [-1000, 1000] },
];

function randomValue(dt: string, r: (lo: number, hi: number) => number): number {
  if (dt === 'BIPOLAR') return r(0, 1) ? 1 : -1;
  const t = datatype(dt);
  return r(t.min(), t.max());
}

/** The output datatype the mapping (InferChannelwiseLinearLayer) gives add/mul; compares give BINARY. */
function outputType(c: Cfg, params: number[]): string {
  if (c.f === 'cmp_le' || c.f === 'cmp_ge') return 'BINARY';
  const t = datatype(c.idt);
  const lo = Math.min(...params);
  const hi = Math.max(...params);
  const ends = c.f === 'add' ? [t.min() + lo, t.max() + hi] : [t.min() * lo, t.min() * hi, t.max() * lo, t.max() * hi];
  return smallestDataType(Math.min(...ends), Math.max(...ends)).name;
}

function caseNode(c: Cfg, i: number, r: (lo: number, hi: number) => number) {
  const params = Array.from({ length: c.scalar ? 1 : c.C }, () => r(c.p[0], c.p[1]));
  const odt = outputType(c, params);
  const pdt = smallestDataType(Math.min(...params), Math.max(...params)).name;
  const pt = makeTensor(ElemType.FLOAT, [params.length], Float32Array.from(params));
  const attrs = { Func: c.f, PE: c.PE, NumChannels: c.C, inputDataType: c.idt, paramDataType: pdt, outputDataType: odt, numInputVectors: c.vectors ?? [1] };
  return { attrs, pt, odt, node: view(channelwiseOpAttributes, attrs, { name: `ChannelwiseOp_rtl_${i}`, consts: { 1: pt } }) };
}

test('ChannelwiseOp rtl: bit-exact against execute for add, mul, cmp_le, cmp_ge, with random stalls, 22 configurations', { skip: skipNoIcarus }, async () => {
  for (const [i, c] of CASES.entries()) {
    const r = rng(3100 + i);
    const { attrs, pt, odt, node } = caseNode(c, i, r);
    assert.equal(rtl.isViable!(node, ctx), true);
    const nvec = 2 * (c.vectors ?? [1]).reduce((a, b) => a * b, 1); // two frames
    const xs = Array.from({ length: nvec * c.C }, () => randomValue(c.idt, r));
    const [y] = await kernel.execute!([makeTensor(ElemType.FLOAT, [nvec, c.C], Float32Array.from(xs)), pt], attrs, ctx);
    const ys = tensorToNumbers(y!);
    for (const v of ys) assert.ok(datatype(odt).allowed(v), `case ${i}: ${v} outside ${odt}`);
    const res = await runCase({
      gen: await rtl.generate!(node, ctx), kernel: 'ChannelwiseOp',
      inBits: c.PE * datatype(c.idt).bitwidth(), outBits: c.PE * datatype(odt).bitwidth(),
      inWords: packStream(xs, c.PE, c.idt), expected: packStream(ys, c.PE, odt),
    });
    assert.deepEqual(res.errors, [], `case ${i}: ${JSON.stringify(c)}`);
    const cycles = 2 * kernel.cycles!(node, ctx);
    assert.ok(res.cycles <= cycles + 3, `case ${i}: ${res.cycles} cycles, kernel estimate ${cycles}`);
  }
});

test('ChannelwiseOp rtl: Verilator lint clean, Yosys synth_xilinx; not FINN\'s default', { skip: skipNoVerilator || skipNoYosys }, async () => {
  for (const [i, c] of [CASES[1]!, CASES[6]!, CASES[12]!, CASES[3]!].entries()) {
    const { node } = caseNode(c, 90 + i, rng(5));
    assert.equal(rtl.isDefault!(node, ctx), false);
    const w = writeNode(await rtl.generate!(node, ctx), path.join(repoRoot, 'kernels', 'ChannelwiseOp'));
    assert.equal(lint(w), '', c.f);
    if (i === 0) {
      // Yosys vs the estimate of our RTL (LUTs counted as the synthesis report counts): DSP and BRAM exact, LUT
      // within 15% (15 LUTs below 100).
      assert.deepEqual(rtl.estimate!(node, ctx), synthEstimate(node));
      assert.equal(estimateMisses(synthEstimate(node), synthCells(w)), undefined, JSON.stringify(c));
    }
  }
});
