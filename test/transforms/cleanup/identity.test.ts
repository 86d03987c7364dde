import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyTransform } from '../../../src/host.js';
import { F, applyAndCheck, builtins, floatInit, int64Init, makeModel, node, opTypes } from './support.js';
import { makeValueInfo } from '../../../src/ir/shape.js';

test('RemoveIdentityOps removes Identity, Add 0, Sub 0, Mul 1, Div 1 and zero Pad, keeping outputs', async () => {
  const m = makeModel({
    nodes: [
      node('Relu', ['x'], ['a']),
      node('Identity', ['a'], ['b']),
      node('Add', ['b', 'zero'], ['c']),
      node('Mul', ['one', 'c'], ['d']),
      node('Sub', ['d', 'zero'], ['e']),
      node('Div', ['e', 'ones'], ['f']),
      node('Pad', ['f', 'pads'], ['g']),
      node('Neg', ['g'], ['y']),
    ],
    inputs: [['x', [2, 3]]],
    outputs: [['y', [2, 3]]],
    initializers: [floatInit('zero', [], [0]), floatInit('one', [1], [1]), floatInit('ones', [3], [1, 1, 1]), int64Init('pads', [0, 0, 0, 0])],
    extra: { value_info: [makeValueInfo('c', F, [2, 3]), makeValueInfo('a', F, [2, 3])] },
  });
  assert.equal((await applyAndCheck('RemoveIdentityOps', m)).changed, true);
  assert.deepEqual(opTypes(m), ['Relu', 'Neg']);
  assert.deepEqual(m.graph.nodeList()[1]!.inputs, ['a']);
  assert.equal(m.graph.getValueInfo('c'), undefined);
});

test('RemoveIdentityOps keeps ops that are not neutral or that broadcast the input to a larger shape', async () => {
  const m = makeModel({
    nodes: [
      node('Add', ['x', 'half'], ['a']),
      node('Mul', ['a', 'ones23'], ['b']), // [3] * [2,3] grows the shape
      node('Sub', ['zero', 'b'], ['y']), // 0 - b is a negation
    ],
    inputs: [['x', [3]]],
    outputs: [['y', [2, 3]]],
    initializers: [floatInit('half', [], [0.5]), floatInit('ones23', [2, 3], [1, 1, 1, 1, 1, 1]), floatInit('zero', [], [0])],
  });
  assert.equal((await applyAndCheck('RemoveIdentityOps', m)).changed, false);
  assert.deepEqual(opTypes(m), ['Add', 'Mul', 'Sub']);
});

test('RemoveIdentityOps: Identity producing a graph output stays; tolerance option widens "neutral"', async () => {
  const m = makeModel({
    nodes: [node('Mul', ['x', 'almost'], ['a']), node('Identity', ['a'], ['y'])],
    inputs: [['x', [2]]],
    outputs: [['y', [2]]],
    initializers: [floatInit('almost', [], [1.000001])],
  });
  const reg = await builtins();
  assert.equal((await applyTransform(reg, 'RemoveIdentityOps', m)).changed, false);
  assert.equal((await applyTransform(reg, 'RemoveIdentityOps', m, { tolerance: 1e-5 })).changed, true);
  assert.deepEqual(opTypes(m), ['Identity']);
  await assert.rejects(applyTransform(reg, 'RemoveIdentityOps', m, { tolerance: -1 }), /tolerance/);
});
