import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeValueInfo } from '../../../src/ir/shape.js';
import { F, applyAndCheck, floatInit, makeModel, node, opTypes } from './support.js';

const mlp = () => makeModel({
  nodes: [
    node('MatMul', ['x', 'w'], ['h'], { name: 'a' }),
    node('Relu', ['h'], ['r'], { name: 'a' }),
    node('MatMul', ['r', 'w'], ['m']),
    node('Add', ['m', 'b'], ['y']),
  ],
  inputs: [['x', [1, 2]]],
  outputs: [['y', [1, 2]]],
  initializers: [floatInit('w', [2, 2], [1, -2, 0.5, 3]), floatInit('b', [2], [0.25, -1])],
});

test('GiveUniqueNodeNames numbers nodes per op type in graph order', async () => {
  const m = mlp();
  assert.equal((await applyAndCheck('GiveUniqueNodeNames', m)).changed, true);
  assert.deepEqual(m.graph.nodeList().map((n) => n.name), ['MatMul_0', 'Relu_0', 'MatMul_1', 'Add_0']);
});

test('GiveReadableTensorNames uses global_in/global_out, <node>_out<i> and <node>_param<i>', async () => {
  const m = mlp();
  await applyAndCheck('GiveUniqueNodeNames', m);
  assert.equal((await applyAndCheck('GiveReadableTensorNames', m)).changed, true);
  const g = m.graph;
  assert.deepEqual(g.inputNames(), ['global_in']);
  assert.deepEqual(g.outputNames(), ['global_out']);
  assert.deepEqual(g.nodeList().map((n) => [...n.inputs, '->', ...n.outputs]), [
    ['global_in', 'MatMul_0_param1', '->', 'MatMul_0_out0'],
    ['MatMul_0_out0', '->', 'Relu_0_out0'],
    ['Relu_0_out0', 'MatMul_0_param1', '->', 'MatMul_1_out0'],
    ['MatMul_1_out0', 'Add_0_param1', '->', 'global_out'],
  ]);
  assert.deepEqual(g.initializerNames().sort(), ['Add_0_param1', 'MatMul_0_param1']);
});

test('GiveReadableTensorNames copes with names that swap places', async () => {
  // 'Relu_0_out0' is currently the name of the Neg output and vice versa.
  const m = makeModel({
    nodes: [node('Relu', ['x'], ['Neg_0_out0'], { name: 'Relu_0' }), node('Neg', ['Neg_0_out0'], ['Relu_0_out0'], { name: 'Neg_0' }),
      node('Abs', ['Relu_0_out0'], ['y'], { name: 'Abs_0' })],
    inputs: [['x', [3]]],
    outputs: [['y', [3]]],
  });
  await applyAndCheck('GiveReadableTensorNames', m);
  assert.deepEqual(m.graph.nodeList().map((n) => n.outputs[0]), ['Relu_0_out0', 'Neg_0_out0', 'global_out']);
});

test('GiveUniqueParameterTensors gives each further use of a shared weight its own copy', async () => {
  const m = mlp();
  assert.equal((await applyAndCheck('GiveUniqueParameterTensors', m)).changed, true);
  const [first, , second] = m.graph.nodeList();
  assert.equal(first!.inputs[1], 'w');
  assert.notEqual(second!.inputs[1], 'w');
  assert.ok(m.graph.isInitializer(second!.inputs[1]!));
  assert.deepEqual(m.graph.consumers('w').length, 1);
});

test('GiveUniqueParameterTensors copies the datatype annotation with the weight', async () => {
  const m = mlp();
  m.graph.setDatatypeName('w', 'INT4');
  await applyAndCheck('GiveUniqueParameterTensors', m);
  const copy = m.graph.nodeList()[2]!.inputs[1]!;
  assert.equal(m.graph.getDatatypeName(copy), 'INT4');
});

test('RemoveUnusedTensors drops unread initializers, stale value_info and stale annotations', async () => {
  const m = mlp();
  m.graph.setInitializer(floatInit('unused', [1], [0]));
  m.graph.setValueInfo(makeValueInfo('gone', F, [1]));
  m.graph.setDatatypeName('gone_too', 'INT2');
  assert.equal((await applyAndCheck('RemoveUnusedTensors', m)).changed, true);
  assert.equal(m.graph.isInitializer('unused'), false);
  assert.equal(m.graph.getValueInfo('gone'), undefined);
  assert.deepEqual(m.graph.annotatedTensors(), []);
  assert.deepEqual(opTypes(m), ['MatMul', 'Relu', 'MatMul', 'Add']);
});

test('RemoveStaticGraphInputs removes graph inputs that are initializers', async () => {
  const m = mlp();
  m.graph.addInput(makeValueInfo('b', F, [2]));
  assert.deepEqual(m.graph.inputNames(), ['x', 'b']);
  assert.equal((await applyAndCheck('RemoveStaticGraphInputs', m)).changed, true);
  assert.deepEqual(m.graph.inputNames(), ['x']);
  assert.ok(m.graph.isInitializer('b'));
});

test('SortGraph puts producers before consumers', async () => {
  const m = makeModel({
    nodes: [node('Neg', ['b'], ['y'], { name: 'late' }), node('Relu', ['a'], ['b']), node('Abs', ['x'], ['a'])],
    inputs: [['x', [4]]],
    outputs: [['y', [4]]],
  });
  assert.equal((await applyAndCheck('SortGraph', m)).changed, true);
  assert.deepEqual(opTypes(m), ['Abs', 'Relu', 'Neg']);
});
