/** `plugins watch --json`: a new file registers, a broken edit fails with file and line, a fix re-registers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { cliPath } from '../helpers/paths.js';
import { WatchView } from '../../src/plugins/watch-view.js';
import type { WatchEvent } from '../../src/plugins/watch.js';
import { tempProject, transformSrc } from './helpers.js';

type Ev = WatchEvent & Record<string, unknown>;

/** The CLI as a child process, with its stdout parsed into events as they arrive. */
function startWatchCli(cwd: string, home: string, args: string[] = []) {
  const child = spawn(process.execPath, [cliPath, 'plugins', 'watch', '--json', ...args], { cwd, env: { ...process.env, HOME: home, BRAINSMITH_PLUGIN_PATH: '' }, stdio: ['pipe', 'pipe', 'pipe'] });
  const events: Ev[] = [];
  const waiters: { pred: (e: Ev) => boolean; resolve: (e: Ev) => void }[] = [];
  let buf = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => {
    buf += d.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (!line.trim()) continue;
      const e = JSON.parse(line) as Ev;
      events.push(e);
      for (const w of [...waiters]) if (w.pred(e)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(e);
      }
    }
  });
  const next = (pred: (e: Ev) => boolean, what: string, ms = 60_000): Promise<Ev> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms; events: ${JSON.stringify(events)}; stderr: ${stderr}`)), ms);
      waiters.push({ pred, resolve: (e) => (clearTimeout(timer), resolve(e)) });
    });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, events, next, exited };
}

test('acceptance: plugins watch --json reports a new file within 1 s of the save, a broken edit with file and line, and the fix', async () => {
  const p = tempProject();
  p.write('brainsmith_plugins/existing.ts', transformSrc('Existing'));
  const w = startWatchCli(p.dir, p.home);
  const ready = await w.next((e) => e.event === 'ready', 'ready');
  const before = (ready as Extract<WatchEvent, { event: 'ready' }>).counts.transform;

  const file = path.join(p.dir, 'brainsmith_plugins', 'fresh.ts');
  const registered = w.next((e) => e.event === 'registered' && e.name === 'Fresh', 'registered Fresh');
  writeFileSync(file, transformSrc('Fresh'));
  const saved = Date.now();
  const r = (await registered) as Extract<WatchEvent, { event: 'registered' }>;
  const wall = Date.now() - saved;
  assert.deepEqual([r.qualifiedName, r.kind, r.stage, r.file, r.line], ['project:Fresh', 'transform', 'cleanup', file, 2]);
  assert.ok(r.savedToRegisteredMs !== undefined && r.savedToRegisteredMs < 1000, `save to registered: ${r.savedToRegisteredMs} ms`);
  assert.ok(wall < 1000, `reported ${wall} ms after the save`);
  const rescan = (await w.next((e) => e.event === 'rescanned', 'rescanned')) as Extract<WatchEvent, { event: 'rescanned' }>;
  assert.deepEqual([rescan.previous.transform, rescan.counts.transform], [before, before + 1]);
  assert.equal(rescan.timings.reread, 1, 'only the new file was read');
  const checked = (await w.next((e) => e.event === 'checked', 'checked')) as Extract<WatchEvent, { event: 'checked' }>;
  assert.deepEqual([checked.file, checked.ok], [file, true]);

  // Half-typed: a missing comma on line 2.
  const failed = w.next((e) => e.event === 'failed' && e.plugin === 'project/fresh', 'failed');
  const removed = w.next((e) => e.event === 'removed' && e.qualifiedName === 'project:Fresh', 'removed');
  writeFileSync(file, `import { defineTransform } from 'brainsmith';\nexport default defineTransform({ name: 'Fresh', stage: 'cleanup' apply() { return false; } });\n`);
  const f = (await failed) as Extract<WatchEvent, { event: 'failed' }>;
  assert.deepEqual([f.file, f.line, f.code], [file, 2, 'E_PLUGIN_SYNTAX']);
  assert.match(f.frame ?? '', /> 2 \| export default defineTransform/);
  await removed;
  const badCheck = (await w.next((e) => e.event === 'checked' && e.ok === false, 'failed check')) as Extract<WatchEvent, { event: 'checked' }>;
  assert.equal(badCheck.errors, 1);

  // The fix registers it again.
  const again = w.next((e) => e.event === 'registered' && e.name === 'Fresh', 're-registered Fresh');
  writeFileSync(file, transformSrc('Fresh'));
  assert.equal((await again).file, file);

  w.child.stdin.write('q\n');
  assert.equal(await w.exited, 0);
});

test('the terminal view: counts with the change, registrations, errors with a frame, check and timings', () => {
  const v = new WatchView();
  const t = '2026-01-01T10:00:00.000Z';
  const counts = { transform: 75, kernel: 19, backend: 25, step: 0 };
  v.apply({ event: 'ready', time: t, counts, watching: ['/p/brainsmith_plugins'], timings: { warmOpenMs: 40, reread: 0, lookupUs: 0.1 } });
  v.apply({ event: 'registered', time: t, kind: 'transform', name: 'Mine', qualifiedName: 'project:Mine', stage: 'cleanup', plugin: 'project/mine', file: '/p/brainsmith_plugins/mine.ts', line: 3, savedToRegisteredMs: 120 });
  v.apply({ event: 'failed', time: t, plugin: 'project/bad', code: 'E_PLUGIN_SYNTAX', file: '/p/bad.ts', line: 2, message: '/p/bad.ts:2: syntax error: oops', frame: '> 2 | bad(' });
  v.apply({ event: 'rescanned', time: t, changed: ['/p/brainsmith_plugins/mine.ts', '/p/bad.ts'], counts: { ...counts, transform: 76 }, previous: counts, timings: { warmOpenMs: 30, reread: 2, lookupUs: 0.1 } });
  v.apply({ event: 'timing', time: t, timings: { coldOpenMs: 900, warmOpenMs: 30, reread: 2, lookupUs: 0.1 } });
  const text = v.render(200);
  assert.match(text, /Transforms: 75 → 76 \(\+1\)/);
  assert.match(text, /Kernels:\s+19\n/);
  assert.match(text, /10:00:00\s+transform\s+project:Mine\s+cleanup\s+\/p\/brainsmith_plugins\/mine\.ts:3/);
  assert.match(text, /project\/bad: E_PLUGIN_SYNTAX \/p\/bad\.ts:2\n\s+syntax error: oops\n\s+> 2 \| bad\(/);
  assert.match(text, /save → registered\s+120 ms/);
  assert.match(text, /registry open, cold\s+900 ms/);
  // The fix: the file changes again and is not reported as failed.
  v.apply({ event: 'rescanned', time: t, changed: ['/p/bad.ts'], counts: { ...counts, transform: 76 }, previous: { ...counts, transform: 76 }, timings: { warmOpenMs: 30, reread: 1, lookupUs: 0.1 } });
  assert.doesNotMatch(v.render(200), /Errors:/);
});

test('plugins new --watch writes the template and opens the playground on it', async () => {
  const p = tempProject();
  const child = spawn(process.execPath, [cliPath, 'plugins', 'new', 'FoldMine', '--kind', 'transform', '--watch', '--json'], { cwd: p.dir, env: { ...process.env, HOME: p.home, BRAINSMITH_PLUGIN_PATH: '' }, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  const seen = new Promise<Ev[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no check of the new file: ${out}`)), 90_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const events = out.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Ev);
      if (events.some((e) => e.event === 'checked')) {
        clearTimeout(timer);
        resolve(events);
      }
    });
  });
  const events = await seen;
  const file = path.join(p.dir, 'brainsmith_plugins', 'fold-mine.ts');
  assert.equal(events[0]!.event, 'ready');
  const reg = events.find((e) => e.event === 'registered') as Extract<WatchEvent, { event: 'registered' }>;
  assert.deepEqual([reg.qualifiedName, reg.file], ['project:FoldMine', file]);
  const checked = events.find((e) => e.event === 'checked') as Extract<WatchEvent, { event: 'checked' }>;
  assert.deepEqual([checked.file, checked.ok], [file, true]);
  child.stdin.write('q\n');
  assert.equal(await new Promise((resolve) => child.on('close', resolve)), 0);
});
