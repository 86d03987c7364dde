import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mayRunPluginCode } from '../../src/cli/plugin-sources.js';
import { cliPath, shared, skipNoShared } from '../helpers/paths.js';

function dirs(): { cwd: string; home: string } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'bs-sources-'));
  const cwd = path.join(root, 'work', 'sub');
  const home = path.join(root, 'home');
  mkdirSync(cwd, { recursive: true });
  mkdirSync(home, { recursive: true });
  return { cwd, home };
}
const compile = ['compile', 'm.onnx'];

test('a command runs in the main thread only when no plugin source exists', () => {
  const d = dirs();
  assert.equal(mayRunPluginCode(compile, { ...d, env: {} }), false);
  assert.equal(mayRunPluginCode(['transforms', 'list'], { ...d, env: {} }), false);
  // Commands that load plugin files themselves, and no command at all.
  assert.equal(mayRunPluginCode(['plugins', 'check', 'x.ts'], { ...d, env: {} }), true);
  assert.equal(mayRunPluginCode(['--help'], { ...d, env: {} }), true);
  assert.equal(mayRunPluginCode(compile, { ...d, env: { BRAINSMITH_PLUGIN_PATH: '/somewhere' } }), true);
  assert.equal(mayRunPluginCode(compile, { ...d, env: { BRAINSMITH_PLUGIN_PATH: '' } }), false);
});

test('each plugin source sends the command to the worker: user folder, project above, npm dependency', () => {
  const user = dirs();
  mkdirSync(path.join(user.home, '.brainsmith', 'plugins'), { recursive: true });
  assert.equal(mayRunPluginCode(compile, { ...user, env: {} }), true);

  const project = dirs();
  writeFileSync(path.join(path.dirname(project.cwd), 'brainsmith.config.json'), '{}');
  assert.equal(mayRunPluginCode(compile, { ...project, env: {} }), true);

  const folder = dirs();
  mkdirSync(path.join(folder.cwd, 'brainsmith_plugins'));
  assert.equal(mayRunPluginCode(compile, { ...folder, env: {} }), true);

  const npm = dirs();
  writeFileSync(path.join(npm.cwd, 'package.json'), JSON.stringify({ dependencies: { plain: '1', 'bs-ext': '1' } }));
  mkdirSync(path.join(npm.cwd, 'node_modules', 'plain'), { recursive: true });
  writeFileSync(path.join(npm.cwd, 'node_modules', 'plain', 'package.json'), JSON.stringify({ name: 'plain' }));
  assert.equal(mayRunPluginCode(compile, { ...npm, env: {} }), false, 'a dependency without a brainsmith field is no plugin');
  // Installed one folder up, as Node would find it.
  mkdirSync(path.join(path.dirname(npm.cwd), 'node_modules', 'bs-ext'), { recursive: true });
  writeFileSync(path.join(path.dirname(npm.cwd), 'node_modules', 'bs-ext', 'package.json'), JSON.stringify({ name: 'bs-ext', brainsmith: {} }));
  assert.equal(mayRunPluginCode(compile, { ...npm, env: {} }), true);

  const broken = dirs();
  writeFileSync(path.join(broken.cwd, 'package.json'), '{ not json');
  assert.equal(mayRunPluginCode(compile, { ...broken, env: {} }), true, 'in doubt, the worker');
});

test('Ctrl-C stops a compile that runs in the main thread and removes the partial folder', { skip: skipNoShared }, async () => {
  const d = dirs();
  const model = shared('labs', 'gtsrb_12x12_w2a3_c12x24x36.onnx');
  const child = spawn(process.execPath, [cliPath, 'compile', model, '-o', 'out', '--board', 'Pynq-Z2'], {
    cwd: d.cwd,
    env: { ...process.env, HOME: d.home, BRAINSMITH_PLUGIN_PATH: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const t0 = Date.now();
  while (!/stage topology/.test(err) && Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 10));
  const partial = readdirSync(d.cwd).filter((f) => f.includes('.partial-'));
  child.kill('SIGINT');
  const code = await exited;
  assert.equal(partial.length, 1, 'the partial folder exists while compiling');
  assert.equal(code, 130, err);
  assert.deepEqual(readdirSync(d.cwd).filter((f) => f.includes('.partial-')), []);
  assert.equal(existsSync(path.join(d.cwd, 'out')), false);
});
