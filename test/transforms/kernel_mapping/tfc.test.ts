import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ElemType, getInt, makeTensor, tensorToNumbers, type Model, type TensorValue } from '../../../src/index.js';
import { readNpy } from '../../../src/exec/npy.js';
import { shared, skipNoShared } from '../../helpers/paths.js';
import { KERNEL_MAPPING, applyAll, assertSameOutputs, cloneModel, histogram, randomTensor, run, streamlined } from './support.js';

/** Labels of each image of a (N,1,28,28) batch, one image at a time (the graph has batch 1). */
async function labels(model: Model, batch: TensorValue): Promise<number[]> {
  const x = tensorToNumbers(batch);
  const per = 28 * 28;
  const input = model.graph.inputNames()[0]!;
  const out: number[] = [];
  for (let i = 0; i < batch.dims[0]!; i++) {
    const img = makeTensor(ElemType.FLOAT, [1, 1, 28, 28], Float32Array.from(x.subarray(i * per, (i + 1) * per)));
    out.push(...(await run(model, { [input]: img }))[0]!);
  }
  return out;
}

test('labs/tfc-w1a1 maps entirely: Thresholding_rtl, 4 MVAU_hls (XNOR, thresholds embedded), LabelSelect_hls; outputs unchanged', { skip: skipNoShared }, async () => {
  const model = await streamlined(shared('labs/tfc-w1a1.onnx'));
  const before = cloneModel(model);
  await applyAll(model, KERNEL_MAPPING);
  assert.deepEqual(histogram(model), { Reshape: 1, Thresholding_rtl: 1, MVAU_hls: 4, LabelSelect_hls: 1 });
  assert.deepEqual(model.graph.nodeList().map((n) => n.name), ['Reshape_0', 'Thresholding_rtl_0', 'MVAU_hls_0', 'MVAU_hls_1', 'MVAU_hls_2', 'MVAU_hls_3', 'LabelSelect_hls_0']);
  const mvaus = model.graph.nodesByOpType('MVAU_hls');
  assert.deepEqual(mvaus.map((n) => getInt(n, 'binaryXnorMode')), [1, 1, 1, 1]);
  assert.deepEqual(mvaus.map((n) => getInt(n, 'noActivation')), [0, 0, 0, 1]);
  assert.deepEqual(mvaus.map((n) => [getInt(n, 'MW'), getInt(n, 'MH')]), [[784, 64], [64, 64], [64, 64], [64, 10]]);
  assert.equal(mvaus[0]!.domain, 'finn.custom_op.fpgadataflow.hls');
  const x = randomTensor([8, 1, 28, 28], 11, 0, 256, true);
  assert.deepEqual(await labels(model, x), await labels(before, x));
  const meta = model.toProto().metadata_props?.find((e) => e.key === 'brainsmith.host_nodes');
  assert.deepEqual(JSON.parse(meta!.value!).map((h: { name: string }) => h.name), ['Reshape_0']);
});

test('finn/tfc_w1a1 after kernel mapping still gives expected_output.npy on input.npy', { skip: skipNoShared }, async () => {
  const model = await streamlined(shared('finn/tfc_w1a1/model.onnx'));
  await applyAll(model, KERNEL_MAPPING);
  assert.equal(model.graph.nodesByOpType('MVAU_hls').length, 4);
  const expected = Array.from(tensorToNumbers(readNpy(shared('finn/tfc_w1a1/expected_output.npy'))));
  assert.deepEqual(await labels(model, readNpy(shared('finn/tfc_w1a1/input.npy'))), expected);
});

test('standalone thresholds (InferThresholdingLayer first): Thresholding 4, MVAU 4 without activation', { skip: skipNoShared }, async () => {
  const model = await streamlined(shared('labs/tfc-w1a1.onnx'));
  const before = cloneModel(model);
  await applyAll(model, ['InferThresholdingLayer', ...KERNEL_MAPPING]);
  assert.deepEqual(histogram(model), { Reshape: 1, Thresholding_rtl: 4, MVAU_hls: 4, LabelSelect_hls: 1 });
  assert.deepEqual(model.graph.nodesByOpType('MVAU_hls').map((n) => getInt(n, 'noActivation')), [1, 1, 1, 1]);
  const x = randomTensor([4, 1, 28, 28], 5, 0, 256, true);
  assert.deepEqual(await labels(model, x), await labels(before, x));
});

test('labs/tfc-w2a2 (integer MatMuls) maps to MVAUs with thresholds and unchanged outputs', { skip: skipNoShared }, async () => {
  const model = await streamlined(shared('labs/tfc-w2a2.onnx'));
  const before = cloneModel(model);
  await applyAll(model, KERNEL_MAPPING);
  const h = histogram(model);
  assert.equal(h.MVAU_hls, 4);
  assert.equal(h.LabelSelect_hls, 1);
  const x = randomTensor([1, 1, 28, 28], 3, 0, 256, true);
  const input = model.graph.inputNames()[0]!;
  assertSameOutputs(await run(before, { [input]: x }), await run(model, { [input]: x }), 'tfc-w2a2');
});

