import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getInts, tensorFromProto } from '../../../../src/index.js';
import { applyAll, assertClose, buildModel, cloneModel, f32, input, node, opTypes, run, seededRandom } from './support.js';
// Quantized (integer-annotated) inputs put the nodes in the quantized datapath the topology transforms act on.
const INT = 'INT8';

const TOL = { rtol: 1e-5, atol: 1e-6 };

function randoms(n: number, seed: number): number[] {
  const r = seededRandom(seed);
  return Array.from({ length: n }, () => r(-1, 1));
}

test('GemmToMatMul: transB with an initializer B stores B transposed; alpha, beta·C become Mul and Add', async () => {
  const m = buildModel({
    nodes: [node('Gemm', ['x', 'B', 'C'], ['y'], { transB: 1, alpha: 0.5, beta: 2 })],
    inputs: [['x', [3, 4], INT]], outputs: [['y', [3, 5]]],
    inits: [f32('B', [5, 4], randoms(20, 1)), f32('C', [5], randoms(5, 2))],
  });
  const x = { x: input([3, 4], randoms(12, 3)) };
  const before = await run(m, x);
  const after = cloneModel(m);
  assert.deepEqual(await applyAll(after, ['GemmToMatMul']), ['GemmToMatMul']);
  assert.deepEqual(opTypes(after), ['MatMul', 'Mul', 'Add']);
  const w = after.graph.getInitializer(after.graph.nodeList()[0]!.inputs[1]!)!;
  assert.deepEqual(tensorFromProto(w).dims, [4, 5]);
  assert.equal(after.graph.getInitializer('B'), undefined, 'the untransposed copy is gone');
  assertClose(before, await run(after, x), TOL);
});

test('GemmToMatMul: transA and a computed B insert Transpose nodes; no C, alpha 1 gives a bare MatMul', async () => {
  const m = buildModel({
    nodes: [node('Relu', ['b'], ['br']), node('Gemm', ['a', 'br'], ['y'], { transA: 1, transB: 1 })],
    inputs: [['a', [4, 3], INT], ['b', [5, 4], INT]], outputs: [['y', [3, 5]]],
  });
  const x = { a: input([4, 3], randoms(12, 4)), b: input([5, 4], randoms(20, 5)) };
  const before = await run(m, x);
  const after = cloneModel(m);
  await applyAll(after, ['GemmToMatMul']);
  assert.deepEqual(opTypes(after), ['Relu', 'Transpose', 'Transpose', 'MatMul']);
  assert.deepEqual(getInts(after.graph.nodeList()[1]!, 'perm'), [1, 0]);
  assertClose(before, await run(after, x), TOL);
});

test('ExtractConvBias: the bias becomes an Add of a [1,C,1,1] tensor after a bias-free Conv', async () => {
  const m = buildModel({
    nodes: [node('Conv', ['x', 'W', 'b'], ['y'], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }), node('Relu', ['y'], ['z'])],
    inputs: [['x', [1, 2, 5, 5], INT]], outputs: [['z', [1, 3, 5, 5]]],
    inits: [f32('W', [3, 2, 3, 3], randoms(54, 6)), f32('b', [3], [0.5, -1, 2])],
    valueInfo: [['y', [1, 3, 5, 5]]],
  });
  const x = { x: input([1, 2, 5, 5], randoms(50, 7)) };
  const before = await run(m, x);
  const after = cloneModel(m);
  assert.deepEqual(await applyAll(after, ['ExtractConvBias']), ['ExtractConvBias']);
  assert.deepEqual(opTypes(after), ['Conv', 'Add', 'Relu']);
  const [conv, add] = after.graph.nodeList();
  assert.equal(conv!.inputs.length, 2);
  assert.equal(add!.outputs[0], 'y', 'consumers of the Conv output need no rewiring');
  assert.deepEqual(tensorFromProto(after.graph.getInitializer(add!.inputs[1]!)!).dims, [1, 3, 1, 1]);
  assertClose(before, await run(after, x), TOL);
});

test('ExtractConvBias: a computed bias is reshaped at run time', async () => {
  const m = buildModel({
    nodes: [node('Neg', ['bn'], ['b']), node('Conv', ['x', 'W', 'b'], ['y'], { kernel_shape: [1, 1] })],
    inputs: [['x', [1, 2, 3, 3], INT], ['bn', [3], INT]], outputs: [['y', [1, 3, 3, 3]]],
    inits: [f32('W', [3, 2, 1, 1], randoms(6, 8))],
  });
  const x = { x: input([1, 2, 3, 3], randoms(18, 9)), bn: input([3], [1, 2, 3]) };
  const before = await run(m, x);
  const after = cloneModel(m);
  await applyAll(after, ['ExtractConvBias']);
  assert.deepEqual(opTypes(after), ['Neg', 'Reshape', 'Conv', 'Add']);
  assertClose(before, await run(after, x), TOL);
});
