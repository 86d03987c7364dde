import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getString } from '../../../../src/index.js';
import { applyToFixpoint, attrF, attrI, attrInts, attrS, buildModel, node, randomTensor, transformKeepsOutputs } from '../support.js';
// Quantized (integer-annotated) inputs put the nodes in the quantized datapath the topology transforms act on.
const INT = 'INT8';

const Q = 'qonnx.custom_op.general';
const seq = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));

test('LowerConvsToMatMul: padded 3×3 Conv with bias → Transpose, Im2Col, MatMul, Add, Transpose', async () => {
  const m = buildModel({
    inputs: [['x', [1, 2, 5, 5], INT]], outputs: [['y', [1, 3, 3, 3]]],
    nodes: [node('Conv', ['x', 'W', 'B'], ['y'], [attrInts('kernel_shape', [3, 3]), attrInts('pads', [1, 0, 1, 0]), attrInts('strides', [2, 1])])],
    inits: { W: { dims: [3, 2, 3, 3], data: seq(54, (i) => (i % 5) - 2) }, B: { dims: [3], data: [0.5, -1, 2] } },
  });
  const ops = await transformKeepsOutputs(m, ['LowerConvsToMatMul'], { x: randomTensor([1, 2, 5, 5], 21) });
  assert.deepEqual(ops, ['Transpose', 'Im2Col', 'MatMul', 'Add', 'Transpose']);
  const im2col = m.graph.nodeList()[1]!;
  assert.equal(getString(im2col, 'input_shape'), '(1, 5, 5, 2)');
  assert.deepEqual(m.graph.getShape(m.graph.nodeList()[2]!.inputs[1]!), [18, 3]);
  assert.equal(await applyToFixpoint(m, 'LowerConvsToMatMul'), false);
});

test('LowerConvsToMatMul: depthwise Conv gets a block-diagonal weight matrix; 1×1 Conv needs no Im2Col', async () => {
  const dw = buildModel({
    inputs: [['x', [1, 3, 4, 4], INT]], outputs: [['y', [1, 3, 4, 4]]],
    nodes: [node('Conv', ['x', 'W'], ['y'], [attrInts('kernel_shape', [3, 3]), attrInts('pads', [1, 1, 1, 1]), attrI('group', 3)])],
    inits: { W: { dims: [3, 1, 3, 3], data: seq(27, (i) => (i % 3) - 1) } },
  });
  assert.deepEqual(await transformKeepsOutputs(dw, ['LowerConvsToMatMul'], { x: randomTensor([1, 3, 4, 4], 22) }), ['Transpose', 'Im2Col', 'MatMul', 'Transpose']);
  const pw = buildModel({
    inputs: [['x', [1, 3, 2, 2], INT]], outputs: [['y', [1, 4, 2, 2]]],
    nodes: [node('Conv', ['x', 'W'], ['y'], [attrInts('kernel_shape', [1, 1])])],
    inits: { W: { dims: [4, 3, 1, 1], data: seq(12, (i) => i - 6) } },
  });
  assert.deepEqual(await transformKeepsOutputs(pw, ['LowerConvsToMatMul'], { x: randomTensor([1, 3, 2, 2], 23) }), ['Transpose', 'MatMul', 'Transpose']);
});

test('MakeMaxPoolNHWC + AbsorbConsecutiveTransposes: Conv → MaxPool keeps one Transpose in and one out', async () => {
  const m = buildModel({
    inputs: [['x', [1, 2, 6, 6], INT]], outputs: [['y', [1, 2, 3, 3]]],
    nodes: [
      node('Conv', ['x', 'W'], ['c'], [attrInts('kernel_shape', [3, 3]), attrInts('pads', [1, 1, 1, 1])]),
      node('MaxPool', ['c'], ['y'], [attrInts('kernel_shape', [2, 2]), attrInts('strides', [2, 2])]),
    ],
    inits: { W: { dims: [2, 2, 3, 3], data: seq(36, (i) => (i % 4) - 1.5) } }, valueInfo: [['c', [1, 2, 6, 6]]],
  });
  const ops = await transformKeepsOutputs(m, ['LowerConvsToMatMul', 'MakeMaxPoolNHWC', 'AbsorbConsecutiveTransposes'], { x: randomTensor([1, 2, 6, 6], 24) });
  assert.deepEqual(ops, ['Transpose', 'Im2Col', 'MatMul', 'MaxPoolNHWC', 'Transpose']);
});

test('AbsorbConsecutiveTransposes merges non-inverse pairs into one Transpose', async () => {
  const m = buildModel({
    inputs: [['x', [2, 3, 4], INT]], outputs: [['y', [3, 4, 2]]],
    nodes: [node('Transpose', ['x'], ['t'], [attrInts('perm', [1, 0, 2])]), node('Transpose', ['t'], ['y'], [attrInts('perm', [0, 2, 1])])],
  });
  assert.deepEqual(await transformKeepsOutputs(m, ['AbsorbConsecutiveTransposes'], { x: randomTensor([2, 3, 4], 25) }), ['Transpose']);
});

test('AbsorbTransposeIntoMultiThreshold runs the thresholds in NHWC and cancels the Transposes', async () => {
  const m = buildModel({
    inputs: [['x', [1, 2, 2, 3], INT]], outputs: [['y', [1, 2, 2, 3]]],
    nodes: [
      node('Transpose', ['x'], ['a'], [attrInts('perm', [0, 3, 1, 2])]),
      node('MultiThreshold', ['a', 'T'], ['b'], [attrS('out_dtype', 'UINT2')], Q),
      node('Transpose', ['b'], ['y'], [attrInts('perm', [0, 2, 3, 1])]),
    ],
    inits: { T: { dims: [3, 3], data: [-1, 0, 1, -0.5, 0, 0.5, 0, 0.1, 0.2] } }, valueInfo: [['a', [1, 3, 2, 2]], ['b', [1, 3, 2, 2]]],
  });
  const ops = await transformKeepsOutputs(m, ['AbsorbTransposeIntoMultiThreshold', 'AbsorbConsecutiveTransposes'], { x: randomTensor([1, 2, 2, 3], 26) });
  assert.deepEqual(ops, ['MultiThreshold']);
  assert.equal(getString(m.graph.nodeList()[0]!, 'data_layout'), 'NHWC');
});

test('ConvertBipolarMatMulToXnorPopcount: BINARY thresholds, XnorPopcountMatMul and a 2p − K correction', async () => {
  const m = buildModel({
    inputs: [['x', [1, 5], INT]], outputs: [['y', [1, 3]]],
    nodes: [
      node('MultiThreshold', ['x', 'T'], ['b'], [attrS('out_dtype', 'BIPOLAR'), attrF('out_scale', 2), attrF('out_bias', -1)], Q),
      node('MatMul', ['b', 'W'], ['y']),
    ],
    inits: { T: { dims: [1, 1], data: [0] }, W: { dims: [5, 3], data: seq(15, (i) => ((i * 7) % 3 === 0 ? 1 : -1)), datatype: 'BIPOLAR' } },
  });
  m.graph.setDatatypeName('b', 'BIPOLAR');
  const ops = await transformKeepsOutputs(m, ['ConvertBipolarMatMulToXnorPopcount'], { x: randomTensor([1, 5], 27) }, 0);
  assert.deepEqual(ops, ['MultiThreshold', 'XnorPopcountMatMul', 'Mul', 'Add']);
  assert.equal(getString(m.graph.nodeList()[0]!, 'out_dtype'), 'BINARY');
  assert.equal(m.graph.getDatatypeName(m.graph.nodeList()[1]!.inputs[1]!), 'BINARY');
});

test('InferDataLayouts annotates NCHW inputs, NHWC inside a lowered conv and NC after flattening', async () => {
  const m = buildModel({
    inputs: [['x', [1, 2, 4, 4], INT]], outputs: [['y', [1, 32]]],
    nodes: [
      node('Conv', ['x', 'W'], ['c'], [attrInts('kernel_shape', [3, 3]), attrInts('pads', [1, 1, 1, 1])]),
      node('Flatten', ['c'], ['y'], [attrI('axis', 1)]),
    ],
    inits: { W: { dims: [2, 2, 3, 3], data: seq(36, (i) => i % 2) } }, valueInfo: [['c', [1, 2, 4, 4]]],
  });
  await transformKeepsOutputs(m, ['LowerConvsToMatMul', 'InferDataLayouts'], { x: randomTensor([1, 2, 4, 4], 28) });
  const g = m.graph;
  assert.deepEqual(g.getTensorLayout('x'), ['N', 'C', 'H', 'W']);
  const im2col = g.nodesByOpType('Im2Col')[0]!;
  assert.deepEqual(g.getTensorLayout(im2col.inputs[0]!), ['N', 'H', 'W', 'C']);
  assert.deepEqual(g.getTensorLayout(g.nodesByOpType('MatMul')[0]!.outputs[0]!), ['N', 'H', 'W', 'C']);
  assert.deepEqual(g.getTensorLayout('c'), ['N', 'C', 'H', 'W']);
  assert.deepEqual(g.getTensorLayout('y'), ['N', 'C']);
  assert.equal(await applyToFixpoint(m, 'InferDataLayouts'), false);
});
