import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getFloat, getString } from '../../../../src/index.js';
import { applyToFixpoint, attrF, attrInts, buildModel, node, randomTensor, transformKeepsOutputs } from '../support.js';
// Quantized (integer-annotated) inputs put the nodes in the quantized datapath the topology transforms act on.
const INT = 'INT8';

const x = randomTensor([1, 4], 1);

test('ConvertSubToAdd: Sub of a constant becomes Add of its negation; outputs unchanged; idempotent', async () => {
  const m = buildModel({ inputs: [['x', [1, 4], INT]], outputs: [['y', [1, 4]]], nodes: [node('Sub', ['x', 'c'], ['y'])], inits: { c: { dims: [4], data: [1, -2, 3, 0.5] } } });
  assert.deepEqual(await transformKeepsOutputs(m, ['ConvertSubToAdd'], { x }), ['Add']);
  assert.equal(await applyToFixpoint(m, 'ConvertSubToAdd'), false);
});

test('ConvertSubToAdd leaves x − y with two dynamic inputs alone', async () => {
  const m = buildModel({ inputs: [['x', [1, 4], INT], ['z', [1, 4], INT]], outputs: [['y', [1, 4]]], nodes: [node('Sub', ['x', 'z'], ['y'])] });
  assert.equal(await applyToFixpoint(m, 'ConvertSubToAdd'), false);
});

test('ConvertDivToMul: Div by a constant becomes Mul by the reciprocal', async () => {
  const m = buildModel({ inputs: [['x', [1, 4], INT]], outputs: [['y', [1, 4]]], nodes: [node('Div', ['x', 'c'], ['y'])], inits: { c: { dims: [], data: [255] } } });
  assert.deepEqual(await transformKeepsOutputs(m, ['ConvertDivToMul'], { x }), ['Mul']);
  assert.equal(await applyToFixpoint(m, 'ConvertDivToMul'), false);
});

const bnParams = (c: number) => ({
  s: { dims: [c], data: Array.from({ length: c }, (_, i) => (i % 2 ? -0.5 : 1.5) + i / 10) },
  b: { dims: [c], data: Array.from({ length: c }, (_, i) => i - 1) },
  mu: { dims: [c], data: Array.from({ length: c }, (_, i) => 0.1 * i) },
  v: { dims: [c], data: Array.from({ length: c }, (_, i) => 1 + i) },
});

test('BatchNormToAffine: 4-D BatchNorm becomes a per-channel Mul and Add', async () => {
  const m = buildModel({
    inputs: [['x', [1, 3, 2, 2], INT]], outputs: [['y', [1, 3, 2, 2]]],
    nodes: [node('BatchNormalization', ['x', 's', 'b', 'mu', 'v'], ['y'], [attrF('epsilon', 1e-3)])], inits: bnParams(3),
  });
  assert.deepEqual(await transformKeepsOutputs(m, ['BatchNormToAffine'], { x: randomTensor([1, 3, 2, 2], 7) }), ['Mul', 'Add']);
  assert.deepEqual(m.graph.getShape(m.graph.nodeList()[0]!.inputs[1]!), [3, 1, 1]);
});

test('BatchNormToAffine drops the Unsqueeze/Squeeze pair around a BatchNorm1d on a rank-2 tensor', async () => {
  const m = buildModel({
    inputs: [['x', [1, 4], INT]], outputs: [['y', [1, 4]]],
    nodes: [
      node('Unsqueeze', ['x'], ['u'], [attrInts('axes', [2])]),
      node('BatchNormalization', ['u', 's', 'b', 'mu', 'v'], ['bn']),
      node('Squeeze', ['bn'], ['y'], [attrInts('axes', [2])]),
    ],
    inits: bnParams(4), valueInfo: [['u', [1, 4, 1]], ['bn', [1, 4, 1]]],
  });
  // opset 13 takes axes as inputs; the attribute form is opset 11, which the model then declares.
  m.proto.opset_import = [{ domain: '', version: 11 }, { domain: 'qonnx.custom_op.general', version: 1 }];
  assert.deepEqual(await transformKeepsOutputs(m, ['BatchNormToAffine'], { x }), ['Mul', 'Add']);
  assert.equal(m.graph.nodeList()[1]!.outputs[0], 'y');
});

test('ConvertSignToThres: Sign becomes a BIPOLAR MultiThreshold at 0', async () => {
  const m = buildModel({ inputs: [['x', [1, 4], INT]], outputs: [['y', [1, 4]]], nodes: [node('Sign', ['x'], ['y'])] });
  assert.deepEqual(await transformKeepsOutputs(m, ['ConvertSignToThres'], { x }), ['MultiThreshold']);
  const mt = m.graph.nodeList()[0]!;
  assert.equal(getString(mt, 'out_dtype'), 'BIPOLAR');
  assert.equal(getFloat(mt, 'out_scale'), 2);
  assert.equal(getFloat(mt, 'out_bias'), -1);
  assert.equal(m.graph.getDatatypeName('y'), 'BIPOLAR');
});
