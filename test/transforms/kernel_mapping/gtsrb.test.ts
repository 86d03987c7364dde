import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { shared, skipNoShared } from '../../helpers/paths.js';
import { KERNEL_MAPPING, applyAll, assertSameOutputs, cloneModel, histogram, randomTensor, run, streamlined } from './support.js';

const MODEL = 'labs/gtsrb_12x12_w2a3_c12x24x36.onnx';

test('gtsrb: every conv/pool/dense layer maps into one dataflow partition; outputs unchanged', { skip: skipNoShared }, async () => {
  const model = await streamlined(shared(MODEL));
  const before = cloneModel(model);
  await applyAll(model, KERNEL_MAPPING);
  assert.deepEqual(histogram(model), {
    Transpose: 1, Thresholding_rtl: 1, FMPadding_rtl: 3, ConvolutionInputGenerator_rtl: 5, MVAU_hls: 5, Pool_hls: 2, Mul: 1,
  });
  const x = randomTensor([1, 3, 12, 12], 21, -1, 1);
  assertSameOutputs(await run(before, { global_in: x }), await run(model, { global_in: x }), 'gtsrb');
});

test('gtsrb with InsertTopK: LabelSelect too, and FINN node names that the course folding config uses', { skip: skipNoShared }, async () => {
  const model = await streamlined(shared(MODEL));
  const before = cloneModel(model);
  await applyAll(model, ['InsertTopK', 'AbsorbScalarMulAddIntoTopK', ...KERNEL_MAPPING], { InsertTopK: { enabled: true } });
  const h = histogram(model);
  assert.equal(h.LabelSelect_hls, 1);
  assert.equal(h.Mul, undefined, 'the output scale is absorbed into the TopK');
  const names = new Set(model.graph.nodeList().map((n) => n.name));
  const fold = JSON.parse(readFileSync(shared('labs/12x12_w2a3_c12x24x36_custom_fold.json'), 'utf8')) as Record<string, unknown>;
  const missing = Object.keys(fold).filter((k) => k !== 'Defaults' && !names.has(k));
  assert.deepEqual(missing, []);
  const host = JSON.parse(model.toProto().metadata_props!.find((e) => e.key === 'brainsmith.host_nodes')!.value!) as { name: string; opType: string }[];
  assert.deepEqual(host.map((n) => n.opType), ['Transpose']);
  for (let seed = 1; seed <= 3; seed++) {
    const x = randomTensor([1, 3, 12, 12], seed, -1, 1);
    const logits = (await run(before, { global_in: x }))[0]!;
    const best = logits.indexOf(Math.max(...logits));
    assert.deepEqual(Array.from((await run(model, { global_in: x }))[0]!), [best]);
  }
});

test('gtsrb with InferPool limited to kernel > stride: the 2×2/2 max pools become StreamingMaxPool', { skip: skipNoShared }, async () => {
  const model = await streamlined(shared(MODEL));
  const before = cloneModel(model);
  await applyAll(model, KERNEL_MAPPING, { InferPool: { kernelEqualsStride: false } });
  const h = histogram(model);
  assert.equal(h.StreamingMaxPool_hls, 2);
  assert.equal(h.Pool_hls, undefined);
  assert.equal(h.ConvolutionInputGenerator_rtl, 3);
  const x = randomTensor([1, 3, 12, 12], 4, -1, 1);
  assertSameOutputs(await run(before, { global_in: x }), await run(model, { global_in: x }), 'gtsrb/StreamingMaxPool');
});
