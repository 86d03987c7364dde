/**
 * The acceptance models through the default blueprint: `--stop-after topology --verify` must
 * compile and verify every stage against the input model; the golden pairs must hold on the final model.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { shared, skipNoShared } from '../helpers/paths.js';

const MODELS = [
  'finn/tfc_w1a1/model.onnx',
  'labs/tfc-w1a1.onnx',
  'labs/tfc-w1a2.onnx',
  'labs/tfc-w2a2.onnx',
  'qonnx-zoo/TFC_1W1A.onnx',
  'qonnx-zoo/TFC_1W2A.onnx',
  'qonnx-zoo/TFC_2W2A.onnx',
  'qonnx-zoo/kwsmlp_w3a3.onnx',
  'qonnx-zoo/unsw_nb15-mlp-w2a2.onnx',
  'labs/gtsrb_12x12_w2a3_c12x24x36.onnx',
];

const tmp = (): string => mkdtempSync(path.join(os.tmpdir(), 'bs-accept-'));

interface Summary {
  verification: { ok: boolean; stages: number; expected?: boolean };
  opTypes: Record<string, number>;
}

function compile(model: string, extra: string[] = []): Summary {
  const dir = tmp();
  const r = runCli(['compile', shared(...model.split('/')), '-o', path.join(dir, 'out'), '--stop-after', 'topology', '--verify', '--json', '--log-level', 'warn', ...extra], { cwd: dir, env: { HOME: dir, BRAINSMITH_PLUGIN_PATH: '' } });
  assert.equal(r.code, 0, `${model}: ${r.stderr.split('\n').filter((l) => l.includes('error')).join(' ')}`);
  return JSON.parse(r.stdout) as Summary;
}

for (const model of MODELS) {
  test(`${model}: compiles to topology with every stage verified`, { skip: skipNoShared }, () => {
    const s = compile(model);
    assert.deepEqual([s.verification.ok, s.verification.stages], [true, 2]);
    assert.equal(s.opTypes.BatchNormalization, undefined, 'no BatchNormalization left');
    assert.ok((s.opTypes.MultiThreshold ?? 0) > 0, 'activations became MultiThresholds');
  });
}

test('finn/tfc_w1a1 with its golden pair: the final model gives expected_output.npy', { skip: skipNoShared }, () => {
  const s = compile('finn/tfc_w1a1/model.onnx', ['--input', shared('finn', 'tfc_w1a1', 'input.npy'), '--expected', shared('finn', 'tfc_w1a1', 'expected_output.npy')]);
  assert.equal(s.verification.expected, true);
});

test('kwsmlp_w3a3 on kws/input.npy: the argmax of the final model is kws/expected_output.npy', { skip: skipNoShared }, () => {
  const dir = tmp();
  const r = runCli(['compile', shared('qonnx-zoo', 'kwsmlp_w3a3.onnx'), '-o', path.join(dir, 'out'), '--stop-after', 'topology', '--verify', '--input', shared('kws', 'input.npy'), '--expected', shared('kws', 'expected_output.npy'), '--json'], { cwd: dir, env: { HOME: dir, BRAINSMITH_PLUGIN_PATH: '' } });
  assert.equal(r.code, 0, r.stderr);
  const v = JSON.parse(readFileSync(path.join(dir, 'out', 'report', 'verification.json'), 'utf8')) as { expected: { ok: boolean; mode: string } };
  assert.deepEqual([v.expected.ok, v.expected.mode], [true, 'argmax']);
});
