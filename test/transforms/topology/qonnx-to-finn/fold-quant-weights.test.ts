import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensorFromProto, tensorToNumbers, type Model } from '../../../../src/index.js';
import { QONNX, applyAll, assertClose, buildModel, cloneModel, f32, input, node, opTypes, quant, run, seededRandom } from './support.js';

const T = ['FoldQuantWeights'];
const TOL = { rtol: 1e-5, atol: 1e-6 };

function randoms(n: number, seed: number, lo = -1, hi = 1): number[] {
  const r = seededRandom(seed);
  return Array.from({ length: n }, () => r(lo, hi));
}

function initValues(m: Model, name: string): { dims: number[]; values: number[] } {
  const t = tensorFromProto(m.graph.getInitializer(name)!);
  return { dims: t.dims, values: [...tensorToNumbers(t)] };
}

async function foldAndCompare(m: Model, inputs: Record<string, ReturnType<typeof input>>, tol = TOL): Promise<Model> {
  const before = await run(m, inputs);
  const after = cloneModel(m);
  assert.deepEqual(await applyAll(after, T), T);
  // Every quantizer with a constant input is gone.
  for (const n of after.graph.nodeList()) assert.ok(!n.opType.endsWith('Quant') || !after.graph.isInitializer(n.inputs[0]!), n.toString());
  assertClose(before, await run(after, inputs), tol);
  return after;
}

test('per-tensor scale on MatMul weights: integer INT3 weights, the scale becomes a Mul after the MatMul', async () => {
  const q = quant('W', 'Wq', { scale: 0.25, bits: 3, signed: 1, narrow: 1 });
  const m = buildModel({
    nodes: [q.node, node('MatMul', ['x', 'Wq'], ['y'])], inputs: [['x', [2, 6]]], outputs: [['y', [2, 4]]],
    inits: [...q.inits, f32('W', [6, 4], randoms(24, 1))],
  });
  const after = await foldAndCompare(m, { x: input([2, 6], randoms(12, 2)) });
  assert.deepEqual(opTypes(after), ['MatMul', 'Mul']);
  const w = initValues(after, 'Wq');
  assert.ok(w.values.every((v) => Number.isInteger(v) && v >= -3 && v <= 3), `${w.values}`);
  assert.equal(after.graph.getDatatypeName('Wq'), 'INT3');
  assert.deepEqual(initValues(after, after.graph.nodeList()[1]!.inputs[1]!), { dims: [], values: [0.25] });
  assert.equal(after.graph.getInitializer('W'), undefined, 'the float weights are gone');
});

test('per-output-channel scale through a Transpose (PyTorch Linear export): folded, transposed, Mul by a [N] vector', async () => {
  const scales = [0.5, 0.125, 0.0625];
  const q = quant('W', 'Wq', { scale: { dims: [3, 1], values: scales }, bits: 4, signed: 1, narrow: 1 });
  const m = buildModel({
    nodes: [q.node, node('Transpose', ['Wq'], ['WqT'], { perm: [1, 0] }), node('MatMul', ['x', 'WqT'], ['y'])],
    inputs: [['x', [1, 5]]], outputs: [['y', [1, 3]]], inits: [...q.inits, f32('W', [3, 5], randoms(15, 3))],
    valueInfo: [['Wq', [3, 5]], ['WqT', [5, 3]]],
  });
  const after = await foldAndCompare(m, { x: input([1, 5], randoms(5, 4)) });
  assert.deepEqual(opTypes(after), ['MatMul', 'Mul']);
  const w = initValues(after, 'WqT');
  assert.deepEqual(w.dims, [5, 3]);
  assert.ok(w.values.every((v) => Number.isInteger(v)));
  assert.equal(after.graph.getDatatypeName('WqT'), 'INT4');
  assert.deepEqual(initValues(after, after.graph.nodeList()[1]!.inputs[1]!), { dims: [3], values: scales });
  assert.equal(after.graph.getValueInfo('Wq'), undefined);
});

test('per-output-channel scale on a bias-free Conv: Mul by [1,C,1,1]', async () => {
  const q = quant('W', 'Wq', { scale: { dims: [2, 1, 1, 1], values: [0.5, 0.25] }, bits: 2, signed: 1, narrow: 1 });
  const m = buildModel({
    nodes: [q.node, node('Conv', ['x', 'Wq'], ['y'], { kernel_shape: [3, 3] })],
    inputs: [['x', [1, 3, 4, 4]]], outputs: [['y', [1, 2, 2, 2]]], inits: [...q.inits, f32('W', [2, 3, 3, 3], randoms(54, 5))],
  });
  const after = await foldAndCompare(m, { x: input([1, 3, 4, 4], randoms(48, 6)) });
  assert.deepEqual(opTypes(after), ['Conv', 'Mul']);
  assert.equal(after.graph.getDatatypeName('Wq'), 'INT2');
  assert.deepEqual(initValues(after, after.graph.nodeList()[1]!.inputs[1]!).dims, [1, 2, 1, 1]);
});

test('a Conv that still has a bias keeps float weights (the scale cannot move past the bias)', async () => {
  const q = quant('W', 'Wq', { scale: 0.5, bits: 2, signed: 1, narrow: 1 });
  const m = buildModel({
    nodes: [q.node, node('Conv', ['x', 'Wq', 'b'], ['y'], { kernel_shape: [1, 1] })],
    inputs: [['x', [1, 1, 2, 2]]], outputs: [['y', [1, 1, 2, 2]]], inits: [...q.inits, f32('W', [1, 1, 1, 1], [0.7]), f32('b', [1], [0.1])],
  });
  const after = await foldAndCompare(m, { x: input([1, 1, 2, 2], [1, 2, 3, 4]) });
  assert.deepEqual(opTypes(after), ['Conv']);
  assert.deepEqual(initValues(after, 'Wq').values, [0.5]);
  assert.equal(after.graph.getDatatypeName('Wq'), 'FLOAT32');
});

test('unit-scale BipolarQuant weights become BIPOLAR integers with no Mul; a shared scale initializer survives', async () => {
  const m = buildModel({
    nodes: [
      node('BipolarQuant', ['W', 'one'], ['Wq'], {}, QONNX), node('MatMul', ['x', 'Wq'], ['y']),
      node('BipolarQuant', ['y', 'one'], ['o'], {}, QONNX),
    ],
    inputs: [['x', [1, 4]]], outputs: [['o', [1, 2]]], inits: [f32('one', [], [1]), f32('W', [4, 2], randoms(8, 7))],
  });
  const after = await foldAndCompare(m, { x: input([1, 4], randoms(4, 8)) }, { rtol: 0, atol: 0 });
  assert.deepEqual(opTypes(after), ['MatMul', 'BipolarQuant'], 'the activation quantizer is not folded');
  assert.ok(initValues(after, 'Wq').values.every((v) => v === 1 || v === -1));
  assert.equal(after.graph.getDatatypeName('Wq'), 'BIPOLAR');
  assert.ok(after.graph.getInitializer('one'), 'still read by the activation quantizer');
});

test('a quantized bias feeding Add keeps its float values; a nonzero zero point keeps floats too', async () => {
  const qb = quant('b', 'bq', { scale: 0.1, bits: 8, signed: 1 });
  const qw = quant('W', 'Wq', { scale: 0.5, zeroPoint: 1, bits: 3, signed: 0 });
  const m = buildModel({
    nodes: [qw.node, node('MatMul', ['x', 'Wq'], ['h']), qb.node, node('Add', ['h', 'bq'], ['y'])],
    inputs: [['x', [1, 3]]], outputs: [['y', [1, 2]]],
    inits: [...qb.inits, ...qw.inits, f32('b', [2], [0.33, -0.77]), f32('W', [3, 2], randoms(6, 9))],
  });
  const after = await foldAndCompare(m, { x: input([1, 3], randoms(3, 10)) }, { rtol: 0, atol: 0 });
  assert.deepEqual(opTypes(after), ['MatMul', 'Add']);
  assert.deepEqual(initValues(after, 'bq').values, [Math.fround(0.3), Math.fround(-0.8)]);
  assert.equal(after.graph.getDatatypeName('bq'), 'FLOAT32');
  assert.equal(after.graph.getDatatypeName('Wq'), 'FLOAT32');
});

test('a negative weight scale still folds (the integers change sign with it); a broken bit width is a clear error', async () => {
  const q = quant('W', 'Wq', { scale: -0.5, bits: 2, signed: 1, narrow: 1 });
  const m = buildModel({
    nodes: [q.node, node('MatMul', ['x', 'Wq'], ['y'])], inputs: [['x', [1, 3]]], outputs: [['y', [1, 2]]],
    inits: [...q.inits, f32('W', [3, 2], [0.4, -0.6, 0.1, 2, -2, 0.3])],
  });
  const after = await foldAndCompare(m, { x: input([1, 3], [1, 2, 3]) });
  assert.deepEqual(initValues(after, 'Wq').values, [-1, 1, 0, -1, 1, -1]);
  assert.deepEqual(initValues(after, after.graph.nodeList()[1]!.inputs[1]!).values, [-0.5]);

  const bad = quant('W', 'Wq', { scale: 0.5, bits: 2 });
  bad.inits[2] = f32('Wq_b', [2], [2, 3]);
  const broken = buildModel({
    nodes: [bad.node, node('MatMul', ['x', 'Wq'], ['y'])], inputs: [['x', [1, 3]]], outputs: [['y', [1, 2]]],
    inits: [...bad.inits, f32('W', [3, 2], [0, 0, 0, 0, 0, 0])],
  });
  await assert.rejects(applyAll(broken, T), (e: Error) => /'Quant_Wq'.*bit width must be a scalar, got shape \[2\]/.test(e.message));
});
