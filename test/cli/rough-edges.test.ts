import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { projectFixtures } from '../helpers/paths.js';
import { tempProject } from '../plugins/helpers.js';

const TFC = path.join(projectFixtures, 'tfc-mlp-w2a2.onnx');

test('brainsmith with no command lists the commands and exits 2', () => {
  const r = runCli([]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /Commands:[\s\S]*brainsmith compile <model>[\s\S]*Examples:/);
  assert.match(r.stderr, /--json/);
  assert.match(r.errLines.at(-1)!, /^brainsmith: error: name a command: the commands are listed above$/);
});

test('convert creates the output folder', () => {
  const p = tempProject();
  const out = path.join(p.dir, 'new', 'sub', 'copy.onnx');
  const r = runCli(['convert', TFC, out], { env: { HOME: p.home } });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(existsSync(out));
});

test('exec with a missing input file says how to run without one', () => {
  const r = runCli(['exec', TFC, '-i', 'nope.npy']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^brainsmith: error: nope\.npy: no such input file .*--verify .*random inputs/);
});

test('transforms list: by name within a stage, or --order pipeline as the default blueprint runs them', () => {
  const p = tempProject();
  const env = { HOME: p.home, BRAINSMITH_PLUGIN_PATH: '' };
  const names = (args: string[]): string[] => {
    const r = runCli(['transforms', 'list', '--stage', 'cleanup', ...args], { cwd: p.dir, env });
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.split('\n').filter((l) => /^ {2}\w/.test(l)).map((l) => l.trim().split(/\s+/)[0]!);
  };
  const pipeline = names(['--order', 'pipeline']);
  assert.equal(pipeline[0], 'NormalizeDomains', 'the default blueprint starts cleanup with NormalizeDomains');
  assert.ok(pipeline.indexOf('InferShapes') < pipeline.indexOf('FoldConstants'));
  const byName = names([]);
  assert.deepEqual(byName, [...byName].sort(), 'built-ins only here: the table order is by name');
  assert.deepEqual([...pipeline].sort(), [...byName].sort());
});

test('plugins info lists options one per line; steps list says what a step is', () => {
  const p = tempProject();
  const env = { HOME: p.home, BRAINSMITH_PLUGIN_PATH: '' };
  const info = runCli(['plugins', 'info', 'SetFolding'], { cwd: p.dir, env });
  assert.equal(info.code, 0, info.stderr);
  assert.match(info.stdout, /^ {2}options:\n(?: {4}\S.*\n)*? {4}mvau_wwidth_max \(integer, default 36\)/m);
  const steps = runCli(['steps', 'list'], { cwd: p.dir, env });
  assert.equal(steps.code, 0, steps.stderr);
  assert.match(steps.stdout, /A step is a plugin/);
});

test('a transform run before its declared stage is warned about, naming the blueprint entry', () => {
  const p = tempProject();
  p.write('brainsmith_plugins/late.ts', "import { defineTransform } from 'brainsmith';\nexport default defineTransform({ name: 'LateOne', stage: 'topology', apply() { return false; } });\n");
  const bp = p.write('bp.yaml', 'stages:\n  cleanup: [LateOne]\n');
  const r = runCli(['compile', TFC, '-o', 'out', '--config', bp], { cwd: p.dir, env: { HOME: p.home, BRAINSMITH_PLUGIN_PATH: '' } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /stages\.cleanup\[0\]: project:LateOne is declared for stage 'topology' but this blueprint runs it in 'cleanup'/);
  assert.doesNotMatch(r.stderr, /^ {2}1\/1 LateOne$/m, 'no progress lines on a pipe');
});
