import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ElemType, loadModel, makeTensor, tensorToNumbers, type Model, type TensorValue } from '../../../../src/index.js';
import { readNpy } from '../../../../src/exec/npy.js';
import { executeModel } from '../../../../src/exec/execute.js';
import { shared, skipNoShared } from '../../../helpers/paths.js';
import { STREAMLINE } from '../pipelines.js';
import { streamlinedFormViolations } from '../streamlined-form.js';
import { applyList, cloneModel, randomTensor } from '../support.js';

/** TopK indices of each image of a (N,1,28,28) batch, run one image at a time (the graph has batch 1). */
async function labels(model: Model, batch: TensorValue): Promise<number[]> {
  const x = tensorToNumbers(batch);
  const per = 28 * 28;
  const out: number[] = [];
  const input = model.graph.inputNames()[0]!;
  for (let i = 0; i < batch.dims[0]!; i++) {
    const img = makeTensor(ElemType.FLOAT, [1, 1, 28, 28], Float32Array.from(x.subarray(i * per, (i + 1) * per)));
    const r = await executeModel(cloneModel(model), new Map([[input, img]]), { fallback: 'none' });
    out.push(...tensorToNumbers(r.outputs.get(model.graph.outputNames()[0]!)!));
  }
  return out;
}

/** Random MNIST-like images: integers 0..255 (the input datatype is UINT8). */
const images = (n: number, seed: number): TensorValue => randomTensor([n, 1, 28, 28], seed, 0, 256, true);

test('finn/tfc_w1a1: streamlined form, and still exactly expected_output.npy on input.npy', { skip: skipNoShared }, async () => {
  const model = await loadModel(shared('finn/tfc_w1a1/model.onnx'));
  const input = readNpy(shared('finn/tfc_w1a1/input.npy'));
  const expected = Array.from(tensorToNumbers(readNpy(shared('finn/tfc_w1a1/expected_output.npy'))));
  assert.deepEqual(await labels(model, input), expected);
  assert.ok(streamlinedFormViolations(model).length === 6, 'the exported model has float Mul/BatchNorm in its datapath');
  await applyList(model, STREAMLINE);
  assert.deepEqual(streamlinedFormViolations(model), []);
  assert.deepEqual([...new Set(model.graph.nodeList().map((n) => n.opType))].sort(), ['MatMul', 'MultiThreshold', 'Reshape', 'TopK']);
  assert.deepEqual(await labels(model, input), expected);
});

for (const name of ['tfc-w1a1', 'tfc-w1a2', 'tfc-w2a2']) {
  test(`labs/${name}: streamlined form with unchanged outputs`, { skip: skipNoShared }, async () => {
    const model = await loadModel(shared(`labs/${name}.onnx`));
    const before = cloneModel(model);
    await applyList(model, STREAMLINE);
    assert.deepEqual(streamlinedFormViolations(model), []);
    assert.equal(model.graph.nodesByOpType('MultiThreshold').length, 4);
    const x = images(6, name.length * 31);
    assert.deepEqual(await labels(model, x), await labels(before, x));
  });
}

test('finn/tfc_w1a1 with XnorPopcountMatMul (binary form) still gives expected_output.npy', { skip: skipNoShared }, async () => {
  const model = await loadModel(shared('finn/tfc_w1a1/model.onnx'));
  const input = readNpy(shared('finn/tfc_w1a1/input.npy'));
  const expected = Array.from(tensorToNumbers(readNpy(shared('finn/tfc_w1a1/expected_output.npy'))));
  await applyList(model, STREAMLINE);
  await applyList(model, ['ConvertBipolarMatMulToXnorPopcount', ...STREAMLINE]);
  assert.deepEqual(streamlinedFormViolations(model), []);
  assert.equal(model.graph.nodesByOpType('XnorPopcountMatMul').length, 4);
  assert.deepEqual([...new Set(model.graph.nodeList().map((n) => n.opType))].sort(), ['MultiThreshold', 'Reshape', 'TopK', 'XnorPopcountMatMul']);
  assert.deepEqual(await labels(model, input), expected);
});
