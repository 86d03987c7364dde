// InferGlobalAccPoolLayer: GlobalAveragePool of an integer NCHW tensor → Transpose, GlobalAccPool, Mul 1/(H·W),
// Transpose; the mean matches up to float rounding (sum·(1/n) against sum/n).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getInts } from '../../../src/index.js';
import { assertClose, buildModel, node } from '../topology/support.js';
import { applyAll, cloneModel, histogram, randomTensor, run } from './support.js';

const gap = (dt: string) => buildModel({
  inputs: [['x', [1, 5, 3, 3], dt]],
  outputs: [['y', [1, 5, 1, 1]]],
  nodes: [node('GlobalAveragePool', ['x'], ['y'])],
});

test('GlobalAveragePool → GlobalAccPool + Mul between transposes, same means', async () => {
  const model = gap('UINT4');
  const original = cloneModel(model);
  assert.deepEqual(await applyAll(model, ['InferGlobalAccPoolLayer']), ['InferGlobalAccPoolLayer']);
  assert.deepEqual(model.graph.nodeList().map((n) => n.opType), ['Transpose', 'GlobalAccPool', 'Mul', 'Transpose']);
  const [acc] = model.graph.nodesByOpType('GlobalAccPool');
  assert.deepEqual(getInts(acc!, 'numInputVectors'), [1, 3, 3]);
  assert.equal(model.graph.getDatatypeName(acc!.outputs[0]!), 'UINT8', '9 pixels of UINT4 sum to at most 135');
  await applyAll(model, ['SpecializeLayers', 'GiveUniqueNodeNames']);
  assert.equal(histogram(model).GlobalAccPool_hls, 1);
  for (let seed = 1; seed <= 3; seed++) {
    const x = randomTensor([1, 5, 3, 3], seed, 0, 16, true);
    const [ref] = await run(original, { x });
    const [got] = await run(model, { x });
    assertClose(got!, ref!, 1e-5, 1e-6);
  }
});

test('GlobalAveragePool of floats stays', async () => {
  assert.deepEqual(await applyAll(gap('FLOAT32'), ['InferGlobalAccPoolLayer']), []);
});
