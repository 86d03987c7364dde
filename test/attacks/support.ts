/**
 * The attack suite's tools: a throw-away project with the project's own small model, a plugin that does
 * something hostile, the CLI run as a user runs it, and the checks every attack makes: the exit code, one
 * `brainsmith: error:` line (no Node stack), and the folder holding exactly what it should afterwards.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCli, type CliResult } from '../helpers/cli.js';
import { cliPath, projectFixtures } from '../helpers/paths.js';
import { tempDir } from '../helpers/tmp.js';

export interface AttackProject {
  dir: string;
  home: string;
  model: string;
  write(rel: string, text: string | Uint8Array): string;
  /** A plugin transform `Evil` (stage cleanup) with `top` at the top level and `body` in its async apply(). */
  evil(top: string, body: string): void;
  /** A blueprint bp.yaml running InferShapes, Evil, SortGraph. */
  blueprint: string;
  cli(args: string[], env?: NodeJS.ProcessEnv): CliResult;
  /** Names in the project folder (hidden ones included) other than the files the project started with. */
  extra(): string[];
}

export function attackProject(): AttackProject {
  const root = tempDir('bs-attack-');
  const dir = path.join(root, 'proj');
  const home = path.join(root, 'home');
  mkdirSync(path.join(dir, 'brainsmith_plugins'), { recursive: true });
  mkdirSync(home, { recursive: true });
  const write = (rel: string, text: string | Uint8Array): string => {
    const p = path.isAbsolute(rel) ? rel : path.join(dir, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, text);
    return p;
  };
  const model = path.join(dir, 'm.onnx');
  copyFileSync(path.join(projectFixtures, 'tfc-mlp-w2a2.onnx'), model);
  write('brainsmith.config.json', '{}\n');
  const blueprint = write('bp.yaml', 'name: atk\nstages:\n  cleanup:\n    - InferShapes\n    - Evil\n    - SortGraph\n');
  const start = new Set(readdirSync(dir));
  start.add('.brainsmith'); // the project's plugin cache
  return {
    dir,
    home,
    model,
    write,
    blueprint,
    evil(top, body) {
      write('brainsmith_plugins/evil.ts', `import { defineTransform } from 'brainsmith';\n${top}\nexport default defineTransform({ name: 'Evil', stage: 'cleanup', async apply(model) { ${body} } });\n`);
    },
    cli: (args, env = {}) => runCli(args, { cwd: dir, env: { HOME: home, ...env } }),
    extra: () => readdirSync(dir).filter((n) => !start.has(n)).sort(),
  };
}

/** Exactly one `brainsmith: error:` line, matching `re`, and no Node stack trace on stderr. */
export function assertOneError(r: CliResult, re: RegExp): void {
  const errors = r.errLines.filter((l) => l.startsWith('brainsmith: error:'));
  assert.equal(errors.length, 1, `one error line expected, stderr:\n${r.stderr}`);
  assert.match(errors[0]!, re);
  assert.ok(!/^\s+at .+:\d+:\d+\)?$/m.test(r.stderr), `no stack trace expected, stderr:\n${r.stderr}`);
}

/** Exit code, the one error line, and what the folder holds beyond what it started with. */
export function assertAttack(p: AttackProject, r: CliResult, code: number, re: RegExp, extra: string[] = []): void {
  assert.equal(r.code, code, `exit code ${r.code}, stderr:\n${r.stderr}`);
  assertOneError(r, re);
  assert.deepEqual(p.extra(), extra.sort(), 'leftovers');
}

/** Starts the CLI, sends `signal` once `ready(stderr)` holds (or after `afterMs`), and resolves with the result and the ms from signal to exit. */
export function cliWithSignal(p: AttackProject, args: string[], signal: NodeJS.Signals, ready: (stderr: string) => boolean): Promise<CliResult & { stopMs: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd: p.dir, env: { ...process.env, HOME: p.home} });
    let stdout = '';
    let stderr = '';
    let sentAt = 0;
    const kill = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      if (!sentAt && ready(stderr)) {
        sentAt = performance.now();
        child.kill(signal);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(kill);
      resolve({ code, stdout, stderr, errLines: stderr.split('\n').filter((l) => l.trim() !== ''), stopMs: sentAt ? performance.now() - sentAt : -1 });
    });
  });
}
