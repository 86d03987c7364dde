import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { cliPath, projectFixtures } from '../helpers/paths.js';
import { tempDir } from '../helpers/tmp.js';

const fixture = path.join(projectFixtures, 'tfc-mlp-w2a2.onnx');
const ESC = '\u001b[';

test('off a terminal, logs are JSON lines on stderr and stdout holds only the result', () => {
  const out = path.join(tempDir('bs-log-'), 'copy.onnx');
  const r = runCli(['convert', fixture, out, '--log-level', 'debug']);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.errLines.length > 0, 'debug logs something');
  for (const line of r.errLines) {
    const rec = JSON.parse(line) as { level: number; msg: string; time: number };
    assert.equal(typeof rec.level, 'number');
    assert.equal(typeof rec.msg, 'string');
  }
  assert.match(r.stdout, /^wrote .*copy\.onnx/);
  assert.ok(!r.stdout.includes('"level"'), 'no log line on stdout');
});

test('--log-level error silences info and debug', () => {
  const out = path.join(tempDir('bs-log-'), 'copy.onnx');
  const r = runCli(['convert', fixture, out, '--log-level', 'error']);
  assert.equal(r.code, 0);
  assert.equal(r.stderr, '');
});

// `script` gives the CLI a real pseudo-terminal, as a user's shell would.
const hasScript = existsSync('/usr/bin/script') ? false : 'needs `script` (util-linux) to run the CLI on a pseudo-terminal';

function onTerminal(env: NodeJS.ProcessEnv): string {
  const out = path.join(tempDir('bs-log-'), 'copy.onnx');
  const cmd = `'${process.execPath}' '${cliPath}' convert '${fixture}' '${out}' --log-level debug`;
  const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8', env: { ...process.env, ...env } });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  return r.stdout;
}

test('on a terminal, logs are pretty and coloured', { skip: hasScript }, () => {
  const screen = onTerminal({ NO_COLOR: '' });
  assert.match(screen, /DEBUG/);
  assert.ok(screen.includes(ESC), 'ANSI colour codes');
  assert.doesNotMatch(screen, /"level":/, 'not JSON');
});

test('NO_COLOR turns colour off on a terminal', { skip: hasScript }, () => {
  const screen = onTerminal({ NO_COLOR: '1' });
  assert.match(screen, /DEBUG: loading/);
  assert.ok(!screen.includes(ESC), 'no ANSI codes');
});
