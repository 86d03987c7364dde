import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getInts, loadModel } from '../../../src/index.js';
import { applyTransform } from '../../../src/host.js';
import { shared, skipNoShared } from '../../helpers/paths.js';
import { makeValueInfo } from '../../../src/ir/shape.js';
import { tensorFromProto, tensorToNumbers } from '../../../src/tensor/tensor-value.js';
import { F, QONNX, applyAndCheck, builtins, floatInit, int64Init, makeModel, node, opTypes } from './support.js';

/** x [1,3] · Transpose(Quant(w [2,3], scale, 0, 4 bits)) → y [1,2]: a weight quantizer feeding a Transpose. */
function quantTransposeMatMul(scale: ReturnType<typeof floatInit>): ReturnType<typeof makeModel> {
  return makeModel({
    nodes: [
      node('Quant', ['w', 's', 'z', 'b'], ['wq'], { domain: QONNX }),
      node('Transpose', ['wq'], ['wt'], { attribute: [{ name: 'perm', type: 7, ints: [1, 0] }] }),
      node('MatMul', ['x', 'wt'], ['y']),
    ],
    inputs: [['x', [1, 3]]],
    outputs: [['y', [1, 2]]],
    initializers: [floatInit('w', [2, 3], [0.1, -0.2, 0.3, 0.4, -0.5, 0.6]), scale, floatInit('z', [], [0]), floatInit('b', [], [4])],
  });
}

test('FoldConstants evaluates constant subgraphs and keeps weight quantizers', async () => {
  const m = makeModel({
    nodes: [
      node('Mul', ['w', 'two'], ['w2']), // constant: folded
      node('Quant', ['w2', 's', 'z', 'b'], ['wq'], { domain: QONNX }), // weight quantizer: kept
      node('Transpose', ['wq'], ['wt'], { attribute: [{ name: 'perm', type: 7, ints: [1, 0] }] }),
      node('MatMul', ['x', 'wt'], ['y']),
    ],
    inputs: [['x', [1, 3]]],
    outputs: [['y', [1, 2]]],
    initializers: [floatInit('w', [2, 3], [0.1, -0.2, 0.3, 0.4, -0.5, 0.6]), floatInit('two', [], [2]), floatInit('s', [], [0.25]),
      floatInit('z', [], [0]), floatInit('b', [], [4])],
  });
  assert.equal((await applyAndCheck('FoldConstants', m)).changed, true);
  assert.deepEqual(opTypes(m), ['Quant', 'Transpose', 'MatMul']);
  const w2 = tensorToNumbers(tensorFromProto(m.graph.getInitializer('w2')!));
  assert.deepEqual(Array.from(w2, (v) => Math.round(v * 10) / 10), [0.2, -0.4, 0.6, 0.8, -1, 1.2]);
});

test('FoldConstants with an empty exclusion list folds the quantizer too, and the Transpose after it', async () => {
  const m = quantTransposeMatMul(floatInit('s', [], [0.25]));
  assert.equal((await applyAndCheck('FoldConstants', m, { excludeOpTypes: [] })).changed, true);
  assert.deepEqual(opTypes(m), ['MatMul']);
  // The intermediate 'wq' was a step of the chain: only 'wt' became an initializer.
  assert.equal(m.graph.isInitializer('wq'), false);
  assert.deepEqual(m.graph.getShape('wt'), [3, 2]);
});

test('FoldConstants folds Shape of a known shape and the Gather/Unsqueeze/Concat chain behind it', async () => {
  const m = makeModel({
    nodes: [
      node('Relu', ['x'], ['r']),
      node('Shape', ['r'], ['s']),
      node('Gather', ['s', 'i0'], ['n'], { attribute: [{ name: 'axis', type: 2, i: 0 }] }),
      node('Unsqueeze', ['n', 'ax0'], ['n1']),
      node('Concat', ['n1', 'minus1'], ['target'], { attribute: [{ name: 'axis', type: 2, i: 0 }] }),
      node('Reshape', ['r', 'target'], ['y']),
    ],
    inputs: [['x', [2, 3, 4]]],
    outputs: [['y', [2, 12]]],
    initializers: [int64Init('i0', [0], []), int64Init('ax0', [0]), int64Init('minus1', [-1])],
    extra: { value_info: [makeValueInfo('r', F, [2, 3, 4])] },
  });
  assert.equal((await applyAndCheck('FoldConstants', m)).changed, true);
  assert.deepEqual(opTypes(m), ['Relu', 'Reshape']);
  assert.deepEqual(Array.from(tensorToNumbers(tensorFromProto(m.graph.getInitializer('target')!))), [2, -1]);
});

test('FoldConstants leaves large results and graph outputs alone', async () => {
  const m = makeModel({
    nodes: [node('ConstantOfShape', ['shape'], ['big']), node('Add', ['x', 'big'], ['y']), node('Neg', ['c'], ['z'])],
    inputs: [['x', [64, 64]]],
    outputs: [['y', [64, 64]], ['z', [1]]],
    initializers: [int64Init('shape', [64, 64]), floatInit('c', [1], [3])],
  });
  const reg = await builtins();
  assert.equal((await applyTransform(reg, 'FoldConstants', m, { maxElements: 1000 })).changed, false);
  assert.equal((await applyTransform(reg, 'FoldConstants', m)).changed, true);
  assert.deepEqual(opTypes(m), ['Add', 'Neg']);
});

test('FoldTransposeIntoQuantInit stores the weight (and per-channel scale) transposed', async () => {
  const m = quantTransposeMatMul(floatInit('s', [2, 1], [0.25, 0.125]));
  assert.equal((await applyAndCheck('FoldTransposeIntoQuantInit', m)).changed, true);
  assert.deepEqual(opTypes(m), ['Quant', 'MatMul']);
  const q = m.graph.nodeList()[0]!;
  assert.deepEqual(q.outputs, ['wt']);
  assert.deepEqual(m.graph.getShape('w'), [3, 2]);
  assert.deepEqual(m.graph.getShape('s'), [1, 2]);
  assert.deepEqual(Array.from(tensorToNumbers(tensorFromProto(m.graph.getInitializer('w')!)), (v) => Math.round(v * 10) / 10), [0.1, 0.4, -0.2, -0.5, 0.3, 0.6]);
});

test('FoldTransposeIntoQuantInit leaves activation quantizers (non-constant input) alone', async () => {
  const m = makeModel({
    nodes: [
      node('Quant', ['x', 's', 'z', 'b'], ['xq'], { domain: QONNX }),
      node('Transpose', ['xq'], ['y'], { attribute: [{ name: 'perm', type: 7, ints: [1, 0] }] }),
    ],
    inputs: [['x', [2, 3]]],
    outputs: [['y', [3, 2]]],
    initializers: [floatInit('s', [], [0.5]), floatInit('z', [], [0]), floatInit('b', [], [4])],
  });
  assert.equal((await applyAndCheck('FoldTransposeIntoQuantInit', m)).changed, false);
  assert.deepEqual(getInts(m.graph.nodeList()[1]!, 'perm'), [1, 0]);
});

test('FoldTransposeIntoQuantInit on TFC_2W2A (opset 9, initializers listed as graph inputs) drops the stale input declarations', { skip: skipNoShared }, async () => {
  const m = await loadModel(shared('qonnx-zoo/TFC_2W2A.onnx'));
  const reg = await builtins();
  for (const name of ['NormalizeDomains', 'InferShapes']) await applyTransform(reg, name, m);
  const weights = m.graph.nodesByOpType('Quant').filter((q) => {
    const t = m.graph.consumerNodes(q.outputs[0]!)[0];
    return t?.opType === 'Transpose' && m.graph.isGraphInput(q.inputs[0]!) && m.graph.isInitializer(q.inputs[0]!);
  }).map((q) => q.inputs[0]!);
  assert.ok(weights.length > 0, 'the model has weight quantizers on initializers that are also graph inputs');
  const before = weights.map((w) => tensorFromProto(m.graph.getInitializer(w)!).dims);
  // applyAndCheck runs the graph verifier, which rejects a graph input whose declared shape differs from its initializer.
  const r = await applyAndCheck('FoldTransposeIntoQuantInit', m);
  assert.equal(r.changed, true);
  assert.ok(!opTypes(m).includes('Transpose'));
  weights.forEach((w, i) => {
    assert.equal(m.graph.isGraphInput(w), false, `${w} is no longer declared as a graph input`);
    assert.deepEqual(tensorFromProto(m.graph.getInitializer(w)!).dims, [...before[i]!].reverse());
  });
});
