// InferChannelwiseLinearLayer, InferAddStreamsLayer and InferDuplicateStreamsLayer on a small integer model:
// y = a + (a + 3) with a = x · p (p per channel), so `a` fans out to two readers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getString, type Model } from '../../../src/index.js';
import { buildModel, node } from '../topology/support.js';
import { applyAll, assertSameOutputs, cloneModel, histogram, randomTensor, run } from './support.js';

const INFER = ['InferAddStreamsLayer', 'InferChannelwiseLinearLayer', 'InferDuplicateStreamsLayer'];
const MAP = [...INFER, 'SortGraph', 'SpecializeLayers', 'GiveUniqueNodeNames', 'CreateDataflowPartition'];
const SHAPE = [1, 2, 2, 8];

function residual(inputType = 'INT4', selfAdd = false): Model {
  const m = buildModel({
    inputs: [['x', SHAPE, inputType]],
    outputs: [['y', SHAPE]],
    nodes: [
      node('Mul', ['x', 'p'], ['a']),
      node('Add', ['a', 'three'], ['b']),
      node('Add', selfAdd ? ['a', 'a'] : ['a', 'b'], ['y']),
    ],
    inits: { p: { dims: [8], data: [1, -2, 2, 0, -1, 1, 2, -2] }, three: { dims: [], data: [3] } },
    valueInfo: [['a', SHAPE], ['b', SHAPE]],
  });
  // Wide enough for the integer case (x INT4, |p| ≤ 2); the transforms narrow what they produce.
  if (inputType !== 'FLOAT32') for (const [t, dt] of [['a', 'INT8'], ['b', 'INT8'], ['y', 'INT9']]) m.graph.setDatatypeName(t!, dt!);
  return m;
}

async function sameOutputs(a: Model, b: Model, what: string): Promise<void> {
  for (let seed = 1; seed <= 3; seed++) {
    const x = randomTensor(SHAPE, seed, -8, 8, true);
    assertSameOutputs(await run(a, { x }), await run(b, { x }), `${what} seed ${seed}`);
  }
}

test('Add/Mul with constants → ChannelwiseOp, Add of streams → AddStreams, fan-out → DuplicateStreams', async () => {
  const model = residual();
  const original = cloneModel(model);
  assert.deepEqual(await applyAll(model, INFER), INFER);
  assert.deepEqual(histogram(model), { ChannelwiseOp: 2, AddStreams: 1, DuplicateStreams: 1 });
  const g = model.graph;
  const [dup] = g.nodesByOpType('DuplicateStreams');
  const [add] = g.nodesByOpType('AddStreams');
  const mul = g.nodeList().find((n) => n.opType === 'ChannelwiseOp' && getString(n, 'Func') === 'mul')!;
  // One copy per reader: the Add ChannelwiseOp and the AddStreams each read their own stream.
  assert.deepEqual(dup!.inputs, [mul.outputs[0]]);
  assert.equal(dup!.outputs.length, 2);
  assert.deepEqual(g.consumers(mul.outputs[0]!).map((c) => c.node.opType), ['DuplicateStreams']);
  assert.ok(dup!.outputs.every((t) => g.consumers(t).length === 1 && g.getDatatypeName(t) === g.getDatatypeName(mul.outputs[0]!)));
  assert.ok(add!.inputs.includes(dup!.outputs[0]!) || add!.inputs.includes(dup!.outputs[1]!));
  assert.equal(g.getDatatypeName('a'), 'INT6', 'x·p with x INT4, p in [-2, 2] spans [-16, 16]');
  await sameOutputs(original, model, 'inferred');
  await applyAll(model, MAP.slice(INFER.length));
  assert.deepEqual(histogram(model), { ChannelwiseOp_hls: 2, AddStreams_hls: 1, DuplicateStreams_hls: 1 });
  const host = model.toProto().metadata_props!.find((e) => e.key === 'brainsmith.host_nodes')!.value;
  assert.equal(host, '[]', 'everything maps into the dataflow partition');
  await sameOutputs(original, model, 'specialized and partitioned');
});

test('Add(a, a): both reads of the same tensor get their own stream', async () => {
  const model = residual('INT4', true);
  const original = cloneModel(model);
  await applyAll(model, INFER);
  const [dup] = model.graph.nodesByOpType('DuplicateStreams');
  const [add] = model.graph.nodesByOpType('AddStreams');
  assert.equal(dup!.outputs.length, 3, 'Add(a, 3) and both inputs of Add(a, a)');
  assert.equal(new Set(add!.inputs).size, 2);
  assert.ok(add!.inputs.every((t) => dup!.outputs.includes(t)));
  await sameOutputs(original, model, 'self-add');
});

test('float inputs stay as they are', async () => {
  const model = residual('FLOAT32');
  assert.deepEqual(await applyAll(model, INFER), []);
  assert.deepEqual(histogram(model), { Mul: 1, Add: 2 });
});

test('a constant broadcast over a non-last axis is not a ChannelwiseOp', async () => {
  const m = buildModel({
    inputs: [['x', [1, 8, 2, 2], 'INT4']],
    outputs: [['y', [1, 8, 2, 2]]],
    nodes: [node('Mul', ['x', 'p'], ['y'])],
    inits: { p: { dims: [1, 8, 1, 1], data: [1, -2, 2, 0, -1, 1, 2, -2] } },
  });
  assert.deepEqual(await applyAll(m, INFER), []);
});
