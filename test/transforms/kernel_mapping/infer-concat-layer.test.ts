// InferConcatLayer: Concat on the last axis of integer streams → StreamingConcat, outputs unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getInts } from '../../../src/index.js';
import { attrI, buildModel, node } from '../topology/support.js';
import { applyAll, assertSameOutputs, cloneModel, histogram, randomTensor, run } from './support.js';

function concat(axis: number, types: [string, string] = ['INT4', 'INT4']) {
  return buildModel({
    inputs: [['x0', [1, 3, 3, 4], types[0]], ['x1', [1, 3, 3, 6], types[1]]],
    outputs: [['y', [1, 3, 3, 10]]],
    nodes: [node('Concat', ['x0', 'x1'], ['y'], [attrI('axis', axis)])],
  });
}

test('Concat on the last axis → StreamingConcat with the channels of each stream', async () => {
  for (const axis of [3, -1]) {
    const model = concat(axis);
    const original = cloneModel(model);
    assert.deepEqual(await applyAll(model, ['InferConcatLayer']), ['InferConcatLayer']);
    assert.deepEqual(histogram(model), { StreamingConcat: 1 });
    const [sc] = model.graph.nodesByOpType('StreamingConcat');
    assert.deepEqual(getInts(sc!, 'ChannelsPerStream'), [4, 6]);
    assert.deepEqual(getInts(sc!, 'numInputVectors'), [1, 3, 3]);
    await applyAll(model, ['SpecializeLayers', 'GiveUniqueNodeNames']);
    assert.deepEqual(histogram(model), { StreamingConcat_hls: 1 });
    for (let seed = 1; seed <= 2; seed++) {
      const x0 = randomTensor([1, 3, 3, 4], seed, -8, 8, true);
      const x1 = randomTensor([1, 3, 3, 6], seed + 10, -8, 8, true);
      assertSameOutputs(await run(original, { x0, x1 }), await run(model, { x0, x1 }), `axis ${axis} seed ${seed}`);
    }
  }
});

test('Concat on another axis, of mixed datatypes or of floats stays', async () => {
  const other = buildModel({
    inputs: [['x0', [1, 2, 4], 'INT4'], ['x1', [1, 3, 4], 'INT4']],
    outputs: [['y', [1, 5, 4]]],
    nodes: [node('Concat', ['x0', 'x1'], ['y'], [attrI('axis', 1)])],
  });
  assert.deepEqual(await applyAll(other, ['InferConcatLayer']), []);
  assert.deepEqual(await applyAll(concat(3, ['INT4', 'UINT4']), ['InferConcatLayer']), []);
  assert.deepEqual(await applyAll(concat(3, ['FLOAT32', 'FLOAT32']), ['InferConcatLayer']), []);
});
