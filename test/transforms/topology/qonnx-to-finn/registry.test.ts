import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtins } from './support.js';

test('the QONNX → FINN transforms are built-ins of the topology stage, with descriptions', async () => {
  const reg = await builtins();
  for (const name of ['GemmToMatMul', 'ExtractConvBias', 'FoldQuantWeights', 'QuantActToMultiThreshold', 'AvgPoolTruncToQuantAvgPool']) {
    const e = reg.transforms.get(name);
    assert.equal(e.qualifiedName, `brainsmith:${name}`);
    assert.equal(e.meta.stage, 'topology');
    assert.ok(e.description && e.description.length > 20, name);
    assert.match(e.file, /transforms[/\\]topology[/\\]qonnx-to-finn[/\\]/);
  }
  assert.ok(reg.transforms.get('QuantActToMultiThreshold').meta.optionsSchema, 'QuantActToMultiThreshold declares its options');
});
