import assert from 'node:assert/strict';
import { test } from 'node:test';
import { executeModel } from '../../src/exec/execute.js';
import { readTensorPb } from '../../src/exec/pb.js';
import type { OpImpl } from '../../src/exec/types.js';
import { unsupported } from '../../src/exec/values.js';
import { isBrainsmithError } from '../../src/errors.js';
import { loadModel } from '../../src/onnx/load.js';
import { shared, skipNoShared } from '../helpers/paths.js';
import { backendCases, runCase, type CaseResult } from './conformance-lib.js';

const root = shared('onnx-backend', 'node');

test('ONNX backend node tests: every test whose ops are all native passes (rtol 1e-3, atol 1e-5)', { skip: skipNoShared }, async () => {
  const results: CaseResult[] = [];
  for (const c of backendCases(root)) results.push(await runCase(root, c, { fallback: 'none', nativeOnly: true }));
  const passed = results.filter((r) => r.status === 'pass');
  const failed = results.filter((r) => r.status === 'fail');
  const excluded = results.filter((r) => r.status === 'excluded');
  const ops = [...new Set(passed.flatMap((r) => r.ops))].sort();
  console.log(`conformance: ${passed.length} tests passed natively, ${failed.length} failed, ${excluded.length} excluded by declared capability checks, ${results.length - passed.length - failed.length - excluded.length} need non-native ops`);
  console.log(`ops covered (${ops.length}): ${ops.join(' ')}`);
  for (const r of excluded) console.log(`  excluded ${r.name}: ${r.reason}`);
  assert.deepEqual(failed.map((r) => `${r.name}: ${r.reason}`), []);
  // The native set covers the fixture models' ops; a collapse of the selection would hide regressions.
  assert.ok(passed.length > 800, `only ${passed.length} native tests ran`);
  for (const op of ['Conv', 'MatMul', 'Gemm', 'BatchNormalization', 'MaxPool', 'TopK', 'Softmax', 'Slice', 'Pad', 'ReduceMean', 'Erf']) {
    assert.ok(ops.includes(op), `${op} is not covered`);
  }
});

test('a sample of onnxruntime-delegated backend tests runs without taking the process down', { skip: skipNoShared }, async () => {
  const all = backendCases(root);
  const sample = all.filter((_, i) => i % 40 === 7);
  let delegatedPass = 0;
  for (const c of sample) {
    const r = await runCase(root, c, { fallback: 'onnxruntime', nativeOnly: false });
    // Failures must be clear errors naming a node, never a crash of this process.
    if (r.status === 'fail') assert.match(r.reason!, /node |output '|opset/, `${c}: ${r.reason}`);
    if (r.status === 'pass') delegatedPass++;
  }
  console.log(`fallback sample: ${sample.length} tests, ${delegatedPass} passed`);
  assert.ok(delegatedPass > sample.length / 2, `only ${delegatedPass} of ${sample.length} passed`);
});

test('an onnxruntime abort (int4 output) becomes an error naming the node; the next call works', { skip: skipNoShared }, async () => {
  const dir = `${root}/test_cast_FLOAT_to_INT4`;
  const model = await loadModel(`${dir}/model.onnx`);
  const x = readTensorPb(`${dir}/test_data_set_0/input_0.pb`).value;
  const inputs = new Map([[model.graph.inputNames()[0]!, x]]);
  // A resolver that declines the node forces it onto the fallback.
  const decline: OpImpl = (_inputs, ctx) => { throw unsupported(ctx.node, 'declined for the test'); };
  await assert.rejects(executeModel(model, inputs, { resolvers: [() => decline] }), (e: unknown) => {
    assert.ok(isBrainsmithError(e));
    assert.equal(e.code, 'E_EXEC_FALLBACK_CRASH');
    assert.match(e.message, /Cast/);
    return true;
  });
  const again = await executeModel(model, inputs);
  assert.deepEqual(again.delegated, []);
  assert.equal(again.outputs.size, 1);
});

test('with the fallback off, an op without a native implementation is an error naming it', { skip: skipNoShared }, async () => {
  const model = await loadModel(`${root}/test_gru_defaults/model.onnx`);
  const inputs = new Map([[model.graph.inputNames()[0]!, readTensorPb(`${root}/test_gru_defaults/test_data_set_0/input_0.pb`).value]]);
  for (const [i, name] of model.graph.inputNames().entries()) {
    if (i > 0) inputs.set(name, readTensorPb(`${root}/test_gru_defaults/test_data_set_0/input_${i}.pb`).value);
  }
  await assert.rejects(executeModel(model, inputs, { fallback: 'none' }), /GRU has no native implementation/);
  const r = await executeModel(model, inputs);
  assert.deepEqual(r.delegated, ['GRU']);
});
