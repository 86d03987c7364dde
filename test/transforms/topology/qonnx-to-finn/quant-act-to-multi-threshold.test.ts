import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getFloat, getString, tensorFromProto, tensorToNumbers, type Model } from '../../../../src/index.js';
import { QONNX, applyAll, assertClose, buildModel, cloneModel, f32, input, node, opTypes, quant, run, seededRandom } from './support.js';

const T = ['QuantActToMultiThreshold'];

/** float32 neighbours of x (one ulp down and up). */
function neighbours(x: number): number[] {
  if (x === 0) return [-1.401298464324817e-45, 1.401298464324817e-45];
  const f = new Float32Array([x]);
  const u = new Int32Array(f.buffer);
  const out: number[] = [];
  for (const d of [-1, 1]) {
    const g = new Float32Array(1);
    const v = new Int32Array(g.buffer);
    v[0] = u[0]! + (x >= 0 ? d : -d);
    out.push(g[0]!);
  }
  return out;
}

/**
 * Inputs that hit every rounding boundary of a quantizer with these scales/zero point: the exact tie points
 * (k + 0.5 − z)·s and integer points, with their float32 neighbours, beyond the clamp range, plus random values.
 */
function sweep(scales: number[], z: number, lo: number, hi: number, perChannel: number, seed = 7): number[][] {
  const rnd = seededRandom(seed);
  return scales.map((s) => {
    const xs: number[] = [0, -0, 1e-30, -1e-30, 1e30, -1e30];
    for (let k = lo - 3; k <= hi + 3; k += 0.5) {
      const x = Math.fround((k - z) * s);
      xs.push(x, ...neighbours(x));
    }
    while (xs.length < perChannel) xs.push(Math.fround(rnd((lo - 3 - z) * s, (hi + 3 - z) * s)));
    return xs.slice(0, perChannel);
  });
}

async function convertAndCompare(m: Model, inputs: Record<string, ReturnType<typeof input>>): Promise<Model> {
  const before = await run(m, inputs);
  const after = cloneModel(m);
  const changed = await applyAll(after, T);
  assert.deepEqual(changed, T);
  assert.ok(!opTypes(after).some((o) => o === 'Quant' || o === 'BipolarQuant'), `quantizer left: ${opTypes(after).join(', ')}`);
  assertClose(before, await run(after, inputs));
  return after;
}

test('Relu + unsigned Quant becomes one MultiThreshold (+ Mul by the scale), the Relu absorbed, bit-exact at every tie', async () => {
  const q = quant('r', 'y', { scale: 0.25, bits: 4, signed: 0 });
  const m = buildModel({ nodes: [node('Relu', ['x'], ['r']), q.node], inputs: [['x', [1, 512]]], outputs: [['y', [1, 512]]], inits: q.inits });
  const xs = sweep([0.25], 0, 0, 15, 512)[0]!;
  const after = await convertAndCompare(m, { x: input([1, 512], xs) });
  assert.deepEqual(opTypes(after), ['MultiThreshold', 'Mul']);
  const mt = after.graph.nodeList()[0]!;
  assert.equal(mt.domain, QONNX);
  assert.equal(mt.inputs[0], 'x', 'Relu absorbed: thresholds read the Relu input');
  assert.equal(getString(mt, 'out_dtype'), 'UINT4');
  assert.equal(getFloat(mt, 'out_bias'), 0);
  const thr = tensorFromProto(after.graph.getInitializer(mt.inputs[1]!)!);
  assert.deepEqual(thr.dims, [1, 15]);
  // Half-even: 0.5 rounds to 0, 1.5 to 2 → level 1 starts just above 0.125, level 2 at exactly 0.375.
  const t = tensorToNumbers(thr);
  assert.ok(t[0]! > 0.125 && t[0]! < 0.1251);
  assert.equal(t[1], 0.375);
  assert.equal(after.graph.getDatatypeName(mt.outputs[0]!), 'UINT4');
});

for (const rounding of ['ROUND', 'CEIL', 'FLOOR', 'UP', 'DOWN', 'HALF_UP', 'HALF_DOWN']) {
  for (const [signed, narrow] of [[1, 0], [1, 1], [0, 0], [0, 1]] as const) {
    test(`Quant ${rounding} signed=${signed} narrow=${narrow}, scale 0.1 (not a power of two), zero point 0: exact`, async () => {
      const bits = 3;
      const q = quant('x', 'y', { scale: 0.1, bits, signed, narrow, rounding });
      const n = 256;
      const m = buildModel({ nodes: [q.node], inputs: [['x', [1, n]]], outputs: [['y', [1, n]]], inits: q.inits });
      const lo = signed ? -(2 ** (bits - 1)) : 0;
      const hi = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
      const after = await convertAndCompare(m, { x: input([1, n], sweep([0.1], 0, lo, hi, n)[0]!) });
      const mt = after.graph.nodeList()[0]!;
      assert.equal(getString(mt, 'out_dtype'), `${signed ? 'INT' : 'UINT'}${bits}`);
      const steps = hi - lo - (narrow ? 1 : 0);
      assert.deepEqual(tensorFromProto(after.graph.getInitializer(mt.inputs[1]!)!).dims, [1, steps]);
    });
  }
}

test('per-channel scales on N×C×H×W give thresholds (C, steps) and a [1,C,1,1] Mul', async () => {
  const scales = [0.5, 0.03, 1, 7.25];
  const q = quant('x', 'y', { scale: { dims: [1, 4, 1, 1], values: scales }, bits: 2, signed: 1 });
  const hw = 8 * 8;
  const m = buildModel({ nodes: [q.node], inputs: [['x', [1, 4, 8, 8]]], outputs: [['y', [1, 4, 8, 8]]], inits: q.inits });
  const data = sweep(scales, 0, -2, 1, hw).flat();
  const after = await convertAndCompare(m, { x: input([1, 4, 8, 8], data) });
  assert.deepEqual(opTypes(after), ['MultiThreshold', 'Mul']);
  const [mt, mul] = after.graph.nodeList();
  assert.deepEqual(tensorFromProto(after.graph.getInitializer(mt!.inputs[1]!)!).dims, [4, 3]);
  assert.deepEqual(tensorFromProto(after.graph.getInitializer(mul!.inputs[1]!)!).dims, [1, 4, 1, 1]);
});

test('a nonzero zero point adds an Add before the scale Mul; outputs still exact', async () => {
  const q = quant('x', 'y', { scale: 0.5, zeroPoint: 3, bits: 3, signed: 0 });
  const m = buildModel({ nodes: [q.node], inputs: [['x', [1, 200]]], outputs: [['y', [1, 200]]], inits: q.inits });
  const after = await convertAndCompare(m, { x: input([1, 200], sweep([0.5], 3, 0, 7, 200)[0]!) });
  assert.deepEqual(opTypes(after), ['MultiThreshold', 'Add', 'Mul']);
});

test('BipolarQuant becomes a single threshold at 0 with out_scale 2, out_bias −1 (BIPOLAR), then the scale', async () => {
  const m = buildModel({
    nodes: [node('BipolarQuant', ['x', 's'], ['y'], {}, QONNX)], inputs: [['x', [1, 9]]], outputs: [['y', [1, 9]]], inits: [f32('s', [], [0.5])],
  });
  const after = await convertAndCompare(m, { x: input([1, 9], [-2, -1e-30, -0, 0, 1e-30, 0.5, 3, -Infinity, Infinity]) });
  assert.deepEqual(opTypes(after), ['MultiThreshold', 'Mul']);
  const mt = after.graph.nodeList()[0]!;
  assert.equal(getString(mt, 'out_dtype'), 'BIPOLAR');
  assert.equal(getFloat(mt, 'out_scale'), 2);
  assert.equal(getFloat(mt, 'out_bias'), -1);
  assert.deepEqual([...tensorToNumbers(tensorFromProto(after.graph.getInitializer(mt.inputs[1]!)!))], [0]);
});

test('a Relu with another consumer stays; a signed quantizer after Relu counts only reachable levels', async () => {
  const q = quant('r', 'y', { scale: 0.2, bits: 4, signed: 1 });
  const m = buildModel({
    nodes: [node('Relu', ['x'], ['r']), q.node, node('Neg', ['r'], ['z'])],
    inputs: [['x', [1, 300]]], outputs: [['y', [1, 300]], ['z', [1, 300]]], inits: q.inits,
  });
  const after = await convertAndCompare(m, { x: input([1, 300], sweep([0.2], 0, -8, 7, 300)[0]!) });
  assert.ok(opTypes(after).includes('Relu'));
  const single = buildModel({ nodes: [node('Relu', ['x'], ['r']), quant('r', 'y', { scale: 0.2, bits: 4, signed: 1 }).node], inputs: [['x', [1, 300]]], outputs: [['y', [1, 300]]], inits: q.inits });
  const conv = await convertAndCompare(single, { x: input([1, 300], sweep([0.2], 0, -8, 7, 300)[0]!) });
  const mt = conv.graph.nodeList()[0]!;
  assert.equal(getFloat(mt, 'out_bias'), 0, 'levels below 0 are unreachable after Relu');
  assert.deepEqual(tensorFromProto(conv.graph.getInitializer(mt.inputs[1]!)!).dims, [1, 7]);
});

test('activations wider than maxBitWidth stay Quant; constant-input quantizers are left to FoldQuantWeights', async () => {
  const q = quant('x', 'y', { scale: 1, bits: 10, signed: 1 });
  const w = quant('w', 'wq', { scale: 1, bits: 2, signed: 1 });
  const m = buildModel({
    nodes: [q.node, w.node, node('Add', ['y', 'wq'], ['o'])], inputs: [['x', [1, 2]]], outputs: [['o', [1, 2]]], inits: [...q.inits, ...w.inits, f32('w', [1, 2], [0.4, -3])],
  });
  const changed = await applyAll(m, T);
  assert.deepEqual(changed, []);
  assert.deepEqual(opTypes(m), ['Quant', 'Quant', 'Add']);
  assert.deepEqual(await applyAll(m, T, { QuantActToMultiThreshold: { maxBitWidth: 10 } }), T);
  assert.deepEqual(opTypes(m), ['MultiThreshold', 'Quant', 'Add']);
});

test('unknown options are rejected', async () => {
  const q = quant('x', 'y', { scale: 1, bits: 2, signed: 1 });
  const m = buildModel({ nodes: [q.node], inputs: [['x', [1, 2]]], outputs: [['y', [1, 2]]], inits: q.inits });
  await assert.rejects(applyAll(m, T, { QuantActToMultiThreshold: { maxBits: 3 } }), /unknown key 'maxBits'/);
});
