import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModel, tensorToNumbers, type Model, type TensorValue } from '../../../../src/index.js';
import { readNpy } from '../../../../src/exec/npy.js';
import { executeModel } from '../../../../src/exec/execute.js';
import { shared, skipNoShared } from '../../../helpers/paths.js';
import { CLEANUP, LOWERING, QONNX_TO_FINN, STREAMLINE } from '../pipelines.js';
import { streamlinedFormViolations } from '../streamlined-form.js';
import { applyList, assertClose, cloneModel, randomTensor } from '../support.js';

async function outputs(model: Model, x: TensorValue): Promise<Float64Array> {
  const r = await executeModel(cloneModel(model), new Map([[model.graph.inputNames()[0]!, x]]), { fallback: 'none' });
  return tensorToNumbers(r.outputs.get(model.graph.outputNames()[0]!)!);
}

const argmax = (v: Float64Array): number => v.indexOf(Math.max(...v));

/** cleanup → QONNX→FINN → streamline → lower → streamline, as the default blueprint would run them. */
async function streamline(model: Model): Promise<void> {
  await applyList(model, CLEANUP, 1);
  await applyList(model, QONNX_TO_FINN);
  await applyList(model, STREAMLINE);
  await applyList(model, LOWERING);
  await applyList(model, STREAMLINE);
}

const MODELS: [string, string[]][] = [
  ['qonnx-zoo/TFC_1W1A.onnx', ['Reshape', 'MultiThreshold', 'MatMul', 'Mul', 'Add']],
  ['qonnx-zoo/TFC_1W2A.onnx', ['Reshape', 'MultiThreshold', 'MatMul', 'Mul', 'Add']],
  ['qonnx-zoo/TFC_2W2A.onnx', ['Reshape', 'MultiThreshold', 'MatMul', 'Mul', 'Add']],
  ['qonnx-zoo/kwsmlp_w3a3.onnx', ['MultiThreshold', 'Flatten', 'MatMul', 'Mul']],
  ['qonnx-zoo/unsw_nb15-mlp-w2a2.onnx', ['MatMul', 'MultiThreshold']],
  ['labs/gtsrb_12x12_w2a3_c12x24x36.onnx', ['MultiThreshold', 'Transpose', 'Im2Col', 'MatMul', 'MaxPoolNHWC', 'Flatten', 'Mul']],
];

for (const [file, ops] of MODELS) {
  test(`${file}: streamlined form after cleanup, QONNX→FINN, streamlining and lowering; outputs unchanged`, { skip: skipNoShared }, async () => {
    const model = await loadModel(shared(file));
    const before = cloneModel(model);
    await streamline(model);
    assert.deepEqual(streamlinedFormViolations(model), []);
    assert.deepEqual([...new Set(model.graph.nodeList().map((n) => n.opType))].sort(), [...ops].sort());
    const shape = model.graph.getShape(model.graph.inputNames()[0]!)!.map((d) => (typeof d === 'number' ? d : 1));
    for (let s = 0; s < 3; s++) {
      const x = randomTensor(shape, 100 + s);
      const [a, b] = [await outputs(before, x), await outputs(model, x)];
      assertClose(b, a, 1e-3, 1e-4);
      assert.equal(argmax(b), argmax(a));
    }
  });
}

test('kwsmlp_w3a3 still classifies kws/input.npy as kws/expected_output.npy after streamlining', { skip: skipNoShared }, async () => {
  const model = await loadModel(shared('qonnx-zoo/kwsmlp_w3a3.onnx'));
  const x = readNpy(shared('kws/input.npy'));
  const expected = Number(tensorToNumbers(readNpy(shared('kws/expected_output.npy')))[0]);
  assert.equal(argmax(await outputs(model, x)), expected);
  await streamline(model);
  assert.equal(argmax(await outputs(model, x)), expected);
});
