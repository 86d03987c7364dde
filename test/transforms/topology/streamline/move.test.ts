import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attrInts, buildModel, node, randomTensor, transformKeepsOutputs, applyToFixpoint } from '../support.js';
// Quantized (integer-annotated) inputs put the nodes in the quantized datapath the topology transforms act on.
const INT = 'INT8';

const w = (k: number, n: number) => ({ dims: [k, n], data: Array.from({ length: k * n }, (_, i) => ((i * 7) % 5) - 2) });

test('MoveAddPastMul: (x + a)·m becomes x·m + a·m', async () => {
  const m = buildModel({
    inputs: [['x', [1, 4], INT]], outputs: [['y', [1, 4]]],
    nodes: [node('Add', ['x', 'a'], ['t']), node('Mul', ['t', 'm'], ['y'])],
    inits: { a: { dims: [4], data: [1, 2, 3, 4] }, m: { dims: [4], data: [0.5, -1, 2, 3] } },
  });
  assert.deepEqual(await transformKeepsOutputs(m, ['MoveAddPastMul'], { x: randomTensor([1, 4], 3) }), ['Mul', 'Add']);
  assert.equal(await applyToFixpoint(m, 'MoveAddPastMul'), false);
});

test('MoveScalarMulPastMatMul and MoveScalarAddPastMatMul put the MatMul first', async () => {
  const m = buildModel({
    inputs: [['x', [1, 3], INT]], outputs: [['y', [1, 2]]],
    nodes: [node('Add', ['x', 'a'], ['t0']), node('Mul', ['t0', 's'], ['t1']), node('MatMul', ['t1', 'W'], ['y'])],
    inits: { a: { dims: [], data: [0.25] }, s: { dims: [1], data: [3] }, W: w(3, 2) },
  });
  const ops = await transformKeepsOutputs(m, ['MoveScalarMulPastMatMul', 'MoveScalarAddPastMatMul'], { x: randomTensor([1, 3], 5) });
  assert.equal(ops[0], 'MatMul');
  assert.deepEqual([...ops].sort(), ['Add', 'MatMul', 'Mul']);
});

test('MoveScalarLinearPastInvariants moves a scalar Mul past Reshape and Transpose, not a per-channel one', async () => {
  const m = buildModel({
    inputs: [['x', [1, 2, 2, 2], INT]], outputs: [['y', [1, 8]]],
    nodes: [
      node('Mul', ['x', 's'], ['t0']), node('Transpose', ['t0'], ['t1'], [attrInts('perm', [0, 2, 3, 1])]), node('Reshape', ['t1', 'shape'], ['y']),
    ],
    inits: { s: { dims: [], data: [0.5] }, shape: { dims: [2], data: [1, -1], elemType: 7 } },
  });
  assert.deepEqual(await transformKeepsOutputs(m, ['MoveScalarLinearPastInvariants'], { x: randomTensor([1, 2, 2, 2], 9) }), ['Transpose', 'Reshape', 'Mul']);
  const pc = buildModel({
    inputs: [['x', [1, 2], INT]], outputs: [['y', [2, 1]]],
    nodes: [node('Mul', ['x', 's'], ['t']), node('Transpose', ['t'], ['y'], [attrInts('perm', [1, 0])])],
    inits: { s: { dims: [2], data: [0.5, 2] } },
  });
  assert.equal(await applyToFixpoint(pc, 'MoveScalarLinearPastInvariants'), false);
});

test('MoveMulPastMaxPool moves a positive per-channel Mul, not a negative one', async () => {
  const mk = (c: number[]) => buildModel({
    inputs: [['x', [1, 2, 4, 4], INT]], outputs: [['y', [1, 2, 2, 2]]],
    nodes: [node('Mul', ['x', 'c'], ['t']), node('MaxPool', ['t'], ['y'], [attrInts('kernel_shape', [2, 2]), attrInts('strides', [2, 2])])],
    inits: { c: { dims: [2, 1, 1], data: c } }, valueInfo: [['t', [1, 2, 4, 4]]],
  });
  const m = mk([0.5, 3]);
  assert.deepEqual(await transformKeepsOutputs(m, ['MoveMulPastMaxPool'], { x: randomTensor([1, 2, 4, 4], 11) }), ['MaxPool', 'Mul']);
  assert.equal(await applyToFixpoint(mk([0.5, -3]), 'MoveMulPastMaxPool'), false);
});

test('MoveScalarMulPastConv and MoveAddPastConv (unpadded) put the Conv first', async () => {
  const m = buildModel({
    inputs: [['x', [1, 2, 4, 4], INT]], outputs: [['y', [1, 3, 3, 3]]],
    nodes: [node('Add', ['x', 'a'], ['t0']), node('Mul', ['t0', 's'], ['t1']), node('Conv', ['t1', 'W'], ['y'], [attrInts('kernel_shape', [2, 2])])],
    inits: { a: { dims: [1, 2, 1, 1], data: [0.5, -1] }, s: { dims: [], data: [2] }, W: { dims: [3, 2, 2, 2], data: Array.from({ length: 24 }, (_, i) => (i % 3) - 1) } },
    valueInfo: [['t0', [1, 2, 4, 4]], ['t1', [1, 2, 4, 4]]],
  });
  const ops = await transformKeepsOutputs(m, ['MoveAddPastMul', 'MoveScalarMulPastConv', 'MoveAddPastConv'], { x: randomTensor([1, 2, 4, 4], 13) });
  assert.equal(ops[0], 'Conv');
});

test('MoveAddPastConv leaves a padded Conv alone', async () => {
  const m = buildModel({
    inputs: [['x', [1, 1, 3, 3], INT]], outputs: [['y', [1, 1, 3, 3]]],
    nodes: [node('Add', ['x', 'a'], ['t']), node('Conv', ['t', 'W'], ['y'], [attrInts('kernel_shape', [3, 3]), attrInts('pads', [1, 1, 1, 1])])],
    inits: { a: { dims: [], data: [1] }, W: { dims: [1, 1, 3, 3], data: new Array(9).fill(1) } },
  });
  assert.equal(await applyToFixpoint(m, 'MoveAddPastConv'), false);
});

test('MoveLinearPastEltwiseAdd: equal Muls and any Adds on both branches move behind the join', async () => {
  const m = buildModel({
    inputs: [['x', [1, 4], INT], ['z', [1, 4], INT]], outputs: [['y', [1, 4]]],
    nodes: [
      node('Mul', ['x', 'c0'], ['a']), node('Mul', ['z', 'c1'], ['b']), node('Add', ['a', 'b'], ['s']),
      node('Add', ['s', 'd0'], ['y']),
    ],
    inits: { c0: { dims: [4], data: [1, 2, 3, 4] }, c1: { dims: [4], data: [1, 2, 3, 4] }, d0: { dims: [], data: [1] } },
    valueInfo: [['a', [1, 4]], ['b', [1, 4]], ['s', [1, 4]]],
  });
  const ops = await transformKeepsOutputs(m, ['MoveLinearPastEltwiseAdd'], { x: randomTensor([1, 4], 30), z: randomTensor([1, 4], 31) });
  assert.deepEqual(ops, ['Add', 'Mul', 'Add']);
  const unequal = buildModel({
    inputs: [['x', [1, 2], INT], ['z', [1, 2], INT]], outputs: [['y', [1, 2]]],
    nodes: [node('Mul', ['x', 'c0'], ['a']), node('Mul', ['z', 'c1'], ['b']), node('Add', ['a', 'b'], ['y'])],
    inits: { c0: { dims: [2], data: [1, 2] }, c1: { dims: [2], data: [2, 1] } }, valueInfo: [['a', [1, 2]], ['b', [1, 2]]],
  });
  assert.equal(await applyToFixpoint(unequal, 'MoveLinearPastEltwiseAdd'), false);
});

test('MoveAddPastMul walks an alternating Add/Mul chain in one application, merging the Adds it meets', async () => {
  const nodes = [];
  const inits: Record<string, { dims: number[]; data: number[] }> = {};
  let prev = 'x';
  for (let i = 0; i < 8; i++) {
    const op = i % 2 ? 'Mul' : 'Add';
    inits[`c${i}`] = { dims: [], data: [i % 2 ? 1.5 : i - 2] };
    const out = i === 7 ? 'y' : `t${i}`;
    nodes.push(node(op, [prev, `c${i}`], [out]));
    prev = out;
  }
  const m = buildModel({ inputs: [['x', [1, 4], INT]], outputs: [['y', [1, 4]]], nodes, inits });
  const reg = await import('../support.js');
  const before = await reg.run(reg.cloneModel(m), { x: randomTensor([1, 4], 40) });
  const { applyTransform } = await import('../../../../src/host.js');
  assert.equal((await applyTransform(await reg.builtins(), 'MoveAddPastMul', m)).changed, true);
  assert.deepEqual(m.graph.nodeList().map((n) => n.opType), ['Mul', 'Mul', 'Mul', 'Mul', 'Add']);
  assert.equal((await applyTransform(await reg.builtins(), 'MoveAddPastMul', m)).changed, false);
  reg.assertClose(await reg.run(reg.cloneModel(m), { x: randomTensor([1, 4], 40) }), before);
});
