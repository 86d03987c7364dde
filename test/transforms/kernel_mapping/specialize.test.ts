import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shared, skipNoShared } from '../../helpers/paths.js';
import { KERNEL_MAPPING, applyAll, histogram, streamlined } from './support.js';

const UP_TO_SPECIALIZE = KERNEL_MAPPING.slice(0, KERNEL_MAPPING.indexOf('SpecializeLayers'));

test('preferences: per kernel type and per node name (an unmet one falls back: test/hw/binding.test.ts)', { skip: skipNoShared }, async () => {
  const model = await streamlined(shared('labs/gtsrb_12x12_w2a3_c12x24x36.onnx'));
  await applyAll(model, UP_TO_SPECIALIZE);
  const firstSwg = model.graph.nodesByOpType('ConvolutionInputGenerator')[0]!.name;
  // Our rtl MVAU implements every MVAU, embedded thresholds included: all five follow the preference.
  // Thresholding hls exists; one SWG is asked for hls by node name.
  await applyAll(model, ['SpecializeLayers', 'GiveUniqueNodeNames'], { SpecializeLayers: { preferences: { MVAU: 'rtl', Thresholding: 'hls', [firstSwg]: 'hls' } } });
  const h = histogram(model);
  assert.equal(h.MVAU_hls, undefined);
  assert.equal(h.MVAU_rtl, 5);
  assert.equal(h.Thresholding_hls, 1);
  assert.equal(h.ConvolutionInputGenerator_hls, 1);
  assert.equal(h.ConvolutionInputGenerator_rtl, 4);
  assert.ok(model.graph.nodeList().every((n) => !n.attributes.some((a) => a.name === 'preferred_impl_style')));
});

test('FINN default: an MVAU without thresholds and wide signed weights goes rtl; narrow ones stay hls', { skip: skipNoShared }, async () => {
  const model = await streamlined(shared('labs/gtsrb_12x12_w2a3_c12x24x36.onnx'));
  await applyAll(model, ['InferThresholdingLayer', ...UP_TO_SPECIALIZE]);
  // Standalone thresholds: every MVAU has noActivation, but INT2 weights are narrower than 4 bits.
  await applyAll(model, ['SpecializeLayers']);
  assert.equal(histogram(model).MVAU_hls, 5);
  const again = await streamlined(shared('labs/gtsrb_12x12_w2a3_c12x24x36.onnx'));
  await applyAll(again, ['InferThresholdingLayer', ...UP_TO_SPECIALIZE]);
  await applyAll(again, ['SpecializeLayers'], { SpecializeLayers: { prefer: 'rtl' } });
  assert.equal(histogram(again).MVAU_rtl, 5);
});

test('CreateDataflowPartition: a model where nothing maps says why', { skip: skipNoShared }, async () => {
  const model = await streamlined(shared('labs/gtsrb_12x12_w2a3_c12x24x36.onnx'));
  await assert.rejects(applyAll(model, ['CreateDataflowPartition']), /no node of the model could be mapped to a hardware kernel \(MultiThreshold_0: MultiThreshold on a float input/);
});
