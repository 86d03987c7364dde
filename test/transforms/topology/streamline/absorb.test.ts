import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getFloat, getString, tensorFromProto, tensorToNumbers } from '../../../../src/index.js';
import { applyToFixpoint, attrF, attrI, attrS, buildModel, node, randomTensor, transformKeepsOutputs } from '../support.js';
// Quantized (integer-annotated) inputs put the nodes in the quantized datapath the topology transforms act on.
const INT = 'INT8';

const Q = 'qonnx.custom_op.general';
const mt = (inp: string, thr: string, out: string, dtype = 'UINT2', extra = [] as ReturnType<typeof attrF>[]) =>
  node('MultiThreshold', [inp, thr], [out], [attrS('out_dtype', dtype), ...extra], Q);
const thresholdsOf = (m: ReturnType<typeof buildModel>) => {
  const t = m.graph.nodeList().find((n) => n.opType === 'MultiThreshold')!.inputs[1]!;
  return Array.from(tensorToNumbers(tensorFromProto(m.graph.getInitializer(t)!)));
};

test('AbsorbAddIntoMultiThreshold subtracts a per-channel Add from the thresholds (rows expand)', async () => {
  const m = buildModel({
    inputs: [['x', [1, 3], INT]], outputs: [['y', [1, 3]]],
    nodes: [node('Add', ['x', 'a'], ['t']), mt('t', 'T', 'y')],
    inits: { a: { dims: [3], data: [0.5, -1, 2] }, T: { dims: [1, 3], data: [-1, 0, 1] } }, valueInfo: [['t', [1, 3]]],
  });
  assert.deepEqual(await transformKeepsOutputs(m, ['AbsorbAddIntoMultiThreshold'], { x: randomTensor([1, 3], 2, -4, 4) }), ['MultiThreshold']);
  assert.deepEqual(thresholdsOf(m), [-1.5, -0.5, 0.5, 0, 1, 2, -3, -2, -1]);
  assert.equal(await applyToFixpoint(m, 'AbsorbAddIntoMultiThreshold'), false);
});

test('AbsorbMulIntoMultiThreshold divides thresholds by a positive per-channel scale; a negative one stays', async () => {
  const mk = (s: number[]) => buildModel({
    inputs: [['x', [1, 2, 2, 2], INT]], outputs: [['y', [1, 2, 2, 2]]],
    nodes: [node('Mul', ['x', 's'], ['t']), mt('t', 'T', 'y')],
    inits: { s: { dims: [1, 2, 1, 1], data: s }, T: { dims: [2, 3], data: [-1, 0, 1, -2, 0, 2] } }, valueInfo: [['t', [1, 2, 2, 2]]],
  });
  const m = mk([0.5, 4]);
  assert.deepEqual(await transformKeepsOutputs(m, ['AbsorbMulIntoMultiThreshold'], { x: randomTensor([1, 2, 2, 2], 4, -4, 4) }), ['MultiThreshold']);
  assert.deepEqual(thresholdsOf(m), [-2, 0, 2, -0.5, 0, 0.5]);
  assert.equal(await applyToFixpoint(mk([0.5, -4]), 'AbsorbMulIntoMultiThreshold'), false);
});

test('AbsorbSignBiasIntoMultiThreshold moves a scalar Add after the thresholds into out_bias and the datatype', async () => {
  const m = buildModel({
    inputs: [['x', [1, 4], INT]], outputs: [['y', [1, 4]]],
    nodes: [mt('x', 'T', 'q'), node('Add', ['q', 'b'], ['y'])],
    inits: { T: { dims: [1, 3], data: [-1, 0, 1] }, b: { dims: [], data: [-2] } },
  });
  assert.deepEqual(await transformKeepsOutputs(m, ['AbsorbSignBiasIntoMultiThreshold'], { x: randomTensor([1, 4], 6, -2, 2) }), ['MultiThreshold']);
  const n = m.graph.nodeList()[0]!;
  assert.equal(getFloat(n, 'out_bias'), -2);
  assert.equal(getString(n, 'out_dtype'), 'INT2');
  assert.equal(m.graph.getDatatypeName('y'), 'INT2');
});

test('FactorOutMulSignMagnitude + Absorb1BitMulIntoMatMul: signs go into the weights, magnitudes stay', async () => {
  const m = buildModel({
    inputs: [['x', [1, 3], INT]], outputs: [['y', [1, 2]]],
    nodes: [node('MatMul', ['x', 'W'], ['t']), node('Mul', ['t', 'c'], ['y'])],
    inits: { W: { dims: [3, 2], data: [1, -1, -1, 1, 1, 1], datatype: 'BIPOLAR' }, c: { dims: [2], data: [-0.5, 2] } },
  });
  assert.deepEqual(await transformKeepsOutputs(m, ['FactorOutMulSignMagnitude', 'Absorb1BitMulIntoMatMul'], { x: randomTensor([1, 3], 8) }), ['MatMul', 'Mul']);
  const w = m.graph.nodeList()[0]!.inputs[1]!;
  assert.deepEqual(Array.from(tensorToNumbers(tensorFromProto(m.graph.getInitializer(w)!))), [-1, -1, 1, 1, -1, 1]);
  assert.equal(m.graph.getDatatypeName(w), 'BIPOLAR');
  assert.deepEqual(Array.from(tensorToNumbers(tensorFromProto(m.graph.getInitializer(m.graph.nodeList()[1]!.inputs[1]!)!))), [0.5, 2]);
});

test('Absorb1BitMulIntoConv folds a ±1 per-channel Mul into Conv weights and bias', async () => {
  const m = buildModel({
    inputs: [['x', [1, 1, 3, 3], INT]], outputs: [['y', [1, 2, 2, 2]]],
    nodes: [node('Conv', ['x', 'W', 'B'], ['t'], [attrI('group', 1)]), node('Mul', ['t', 'c'], ['y'])],
    inits: { W: { dims: [2, 1, 2, 2], data: [1, 2, 3, 4, -1, 0, 1, 2] }, B: { dims: [2], data: [0.5, 1] }, c: { dims: [1, 2, 1, 1], data: [-1, 1] } },
    valueInfo: [['t', [1, 2, 2, 2]]],
  });
  assert.deepEqual(await transformKeepsOutputs(m, ['Absorb1BitMulIntoConv'], { x: randomTensor([1, 1, 3, 3], 10) }), ['Conv']);
});

test('AbsorbScalarMulAddIntoTopK drops a positive scalar affine before a TopK whose values are unused', async () => {
  const m = buildModel({
    inputs: [['x', [1, 5], INT]], outputs: [['y', [1, 1], 7]],
    nodes: [node('Mul', ['x', 's'], ['t0']), node('Add', ['t0', 'a'], ['t1']), { ...node('TopK', ['t1', 'k'], ['v', 'y']), attribute: [attrI('axis', -1)] }],
    inits: { s: { dims: [1], data: [0.3] }, a: { dims: [1], data: [-4] }, k: { dims: [1], data: [1], elemType: 7 } },
  });
  assert.deepEqual(await transformKeepsOutputs(m, ['AbsorbScalarMulAddIntoTopK'], { x: randomTensor([1, 5], 12) }, 0), ['TopK']);
  const neg = buildModel({
    inputs: [['x', [1, 5], INT]], outputs: [['y', [1, 1], 7]],
    nodes: [node('Mul', ['x', 's'], ['t0']), node('TopK', ['t0', 'k'], ['v', 'y'])],
    inits: { s: { dims: [1], data: [-0.3] }, k: { dims: [1], data: [1], elemType: 7 } },
  });
  assert.equal(await applyToFixpoint(neg, 'AbsorbScalarMulAddIntoTopK'), false);
});

test('CollapseRepeatedMul and CollapseRepeatedAdd merge chains into one node each', async () => {
  const m = buildModel({
    inputs: [['x', [1, 4], INT]], outputs: [['y', [1, 4]]],
    nodes: [node('Mul', ['x', 'a'], ['t0']), node('Mul', ['t0', 'b'], ['t1']), node('Add', ['t1', 'c'], ['t2']), node('Add', ['t2', 'd'], ['y'])],
    inits: { a: { dims: [], data: [2] }, b: { dims: [4], data: [1, 2, 3, 4] }, c: { dims: [1, 4], data: [1, 1, 0, 0] }, d: { dims: [], data: [0.5] } },
  });
  assert.deepEqual(await transformKeepsOutputs(m, ['CollapseRepeatedMul', 'CollapseRepeatedAdd'], { x: randomTensor([1, 4], 14) }), ['Mul', 'Add']);
});

test('RoundAndClipThresholds rounds up and clips to the integer input range', async () => {
  const m = buildModel({
    inputs: [['x', [1, 4], 'UINT4']], outputs: [['y', [1, 4]]],
    nodes: [mt('x', 'T', 'y')],
    inits: { T: { dims: [1, 3], data: [-3.5, 2.2, 40] } },
  });
  const feeds = { x: randomTensor([1, 4], 16, 0, 16, true) };
  assert.deepEqual(await transformKeepsOutputs(m, ['RoundAndClipThresholds'], feeds, 0), ['MultiThreshold']);
  assert.deepEqual(thresholdsOf(m), [0, 3, 16]);
  assert.equal(await applyToFixpoint(m, 'RoundAndClipThresholds'), false);
});
