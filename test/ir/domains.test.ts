import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  classifyDomain, classifyNodeDomain, isStandardDomain, normalizeDomain, normalizeNodeDomain, QONNX_GENERAL_DOMAIN,
} from '../../src/ir/domains.js';
import { makeNode } from '../../src/ir/node.js';
import { setString } from '../../src/ir/attributes.js';

test('legacy domains of the QONNX general ops normalize to qonnx.custom_op.general', () => {
  for (const d of ['onnx.brevitas', 'finn.custom_op.general', 'finn', 'qonnx.custom_op.general']) {
    assert.equal(normalizeDomain(d), QONNX_GENERAL_DOMAIN, d);
  }
  assert.equal(normalizeDomain('finn', { fpgadataflowBackend: true }), 'finn.custom_op.fpgadataflow');
});

test('the standard domain has two spellings; others pass through unchanged', () => {
  assert.equal(normalizeDomain('ai.onnx'), '');
  assert.equal(normalizeDomain(''), '');
  assert.equal(normalizeDomain(undefined), '');
  assert.equal(normalizeDomain('ai.onnx.ml'), 'ai.onnx.ml');
  assert.equal(normalizeDomain('finn.custom_op.fpgadataflow.hls'), 'finn.custom_op.fpgadataflow.hls');
  assert.equal(normalizeDomain('com.example'), 'com.example');
  assert.ok(isStandardDomain('') && isStandardDomain('ai.onnx') && isStandardDomain(undefined));
  assert.ok(!isStandardDomain('ai.onnx.ml') && !isStandardDomain('onnx.brevitas'));
});

test('classifyDomain sorts domains into onnx, qonnx, finn-hw and custom', () => {
  const cases: [string, string][] = [
    ['', 'onnx'], ['ai.onnx', 'onnx'], ['ai.onnx.ml', 'onnx'],
    ['qonnx.custom_op.general', 'qonnx'], ['onnx.brevitas', 'qonnx'], ['finn.custom_op.general', 'qonnx'], ['finn', 'qonnx'],
    ['qonnx.custom_op.channels_last', 'qonnx'],
    ['finn.custom_op.fpgadataflow', 'finn-hw'], ['finn.custom_op.fpgadataflow.hls', 'finn-hw'],
    ['finn.custom_op.fpgadataflow.rtl', 'finn-hw'],
    ['finn.custom_op.fpgadataflowx', 'custom'], ['com.microsoft', 'custom'], ['brainsmith.kernels', 'custom'],
  ];
  for (const [d, kind] of cases) assert.equal(classifyDomain(d), kind, d);
});

test('a node in the bare finn domain with backend="fpgadataflow" is a hardware op', () => {
  const hw = makeNode({ opType: 'MatrixVectorActivation', domain: 'finn' });
  setString(hw, 'backend', 'fpgadataflow');
  assert.equal(normalizeNodeDomain(hw), 'finn.custom_op.fpgadataflow');
  assert.equal(classifyNodeDomain(hw), 'finn-hw');
  const general = makeNode({ opType: 'MultiThreshold', domain: 'finn' });
  assert.equal(normalizeNodeDomain(general), QONNX_GENERAL_DOMAIN);
  assert.equal(classifyNodeDomain(general), 'qonnx');
  assert.equal(classifyNodeDomain(makeNode({ opType: 'Conv' })), 'onnx');
});
