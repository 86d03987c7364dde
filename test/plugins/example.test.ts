/** examples/registry-access.mjs runs and shows every access pattern PLUGINS.md documents. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { repoRoot } from '../helpers/paths.js';
import { tempProject } from './helpers.js';

test('examples/registry-access.mjs runs against the built package', () => {
  const p = tempProject();
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'examples', 'registry-access.mjs')], { cwd: p.dir, env: { ...process.env, HOME: p.home, BRAINSMITH_PLUGIN_PATH: '' }, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  const line = (label: string): string => r.stdout.split('\n').find((l) => l.startsWith(label))?.slice(44).trim() ?? assert.fail(`no line ${label} in:\n${r.stdout}`);
  assert.equal(line('reg.transforms.RemoveIdentityOps'), 'brainsmith:RemoveIdentityOps');
  assert.equal(line("reg.transforms['GemmToMatMul'].meta.stage"), 'topology');
  assert.equal(line('reg.transforms.qonnx.FoldQuantScale'), 'qonnx:FoldQuantScale');
  assert.equal(line('reg.transforms.code.CountNodes'), 'Logs the node count; changes nothing');
  assert.match(line("reg.transforms.find({ stage: 'cleanup' })"), /^\d+ transforms$/);
  assert.match(line('reg.transforms.all()'), /^\d+ transforms$/);
  assert.match(line("reg.backends.forKernel('MVAU')"), /MVAU_hls/);
  assert.equal(line('reg.transforms.NoSuchThing'), 'undefined');
  assert.match(line("reg.transforms.get('RemoveIdentityOp')"), /no transform named 'RemoveIdentityOp' \(did you mean RemoveIdentityOps/);
  assert.match(line("applyTransform(reg, 'CountNodes', model)"), /^changed: false, \d+ nodes$/);
});
