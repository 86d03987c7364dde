/**
 * Attacks by plugin code (issue 14, items 1–5 and 25c): whatever a plugin does at import or in a hook, the
 * command ends with one line naming the plugin and the hook, exit 1 (130/143 for signals), and no partial
 * build folder. A failed compile keeps what it wrote as out.failed (compile.log), by design.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attackProject, assertAttack, assertOneError, cliWithSignal } from './support.js';

const EVIL_APPLY = /plugin project\/evil, apply\(\) of transform project:Evil/;
const compileArgs = (p: { blueprint: string }) => ['compile', 'm.onnx', '-o', 'out', '--config', p.blueprint, '--log-level', 'warn'];

test('1a process.exit(0) at import: compile fails naming the plugin file; the process is not ended', () => {
  const p = attackProject();
  p.evil('process.exit(0);', 'return false;');
  const r = p.cli(compileArgs(p));
  assertAttack(p, r, 1, /no transform named 'Evil'.*evil\.ts: called process\.exit\(0\) while loading/);
});

test('1b process.exit(0) at import: transforms list still lists the others and reports the plugin', () => {
  const p = attackProject();
  p.evil('process.exit(0);', 'return false;');
  const r = p.cli(['transforms', 'list', '--log-level', 'warn']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /SortGraph/);
  assert.match(r.stdout + r.stderr, /evil\.ts: called process\.exit\(0\) while loading/);
});

test('1c process.exit(0) at import: plugins check fails and names the plugin', () => {
  const p = attackProject();
  p.evil('process.exit(0);', 'return false;');
  const r = p.cli(['plugins', 'check', '--log-level', 'warn']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout + r.stderr, /evil\.ts: called process\.exit\(0\) while loading/);
});

test('1d process.exit(0) in apply()', () => {
  const p = attackProject();
  p.evil('', 'process.exit(0);');
  assertAttack(p, p.cli(compileArgs(p)), 1, new RegExp(`${EVIL_APPLY.source} called process\\.exit\\(0\\)`), ['out.failed']);
});

test('1e process.exit(3) in apply()', () => {
  const p = attackProject();
  p.evil('', 'process.exit(3);');
  assertAttack(p, p.cli(compileArgs(p)), 1, new RegExp(`${EVIL_APPLY.source} called process\\.exit\\(3\\)`), ['out.failed']);
});

test('1f process.abort() in apply()', () => {
  const p = attackProject();
  p.evil('', 'process.abort();');
  assertAttack(p, p.cli(compileArgs(p)), 1, new RegExp(`${EVIL_APPLY.source} called process\\.abort\\(\\)`), ['out.failed']);
});

test('1g process.exit() from a timer a plugin set', () => {
  const p = attackProject();
  p.evil('', 'setTimeout(() => process.exit(0), 1); await new Promise((r) => setTimeout(r, 200)); return false;');
  assertAttack(p, p.cli(compileArgs(p)), 1, new RegExp(`${EVIL_APPLY.source} .*called process\\.exit\\(0\\)`));
});

for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  test(`2 an endless loop in apply() is stopped by ${sig} within 2 s, partial folder removed`, async () => {
    const p = attackProject();
    p.evil("import { writeSync } from 'node:fs';", "writeSync(2, 'EVIL-LOOPING\\n'); for (;;) {}");
    const r = await cliWithSignal(p, compileArgs(p), sig, (s) => s.includes('EVIL-LOOPING'));
    assert.equal(r.code, code, r.stderr);
    assert.ok(r.stopMs >= 0 && r.stopMs < 2000, `stopped in ${Math.round(r.stopMs)} ms`);
    assertOneError(r, new RegExp(`interrupted by ${sig} while ${EVIL_APPLY.source} was running`));
    assert.deepEqual(p.extra(), []);
  });
}

test('2c --time-limit stops an endless loop in apply()', () => {
  const p = attackProject();
  p.evil('', 'for (;;) {}');
  const r = p.cli([...compileArgs(p), '--time-limit', '1']);
  assertAttack(p, r, 1, new RegExp(`${EVIL_APPLY.source} did not finish within 1 s`));
});

test('2d --time-limit fails an apply() that awaits too long, keeping the log', () => {
  const p = attackProject();
  p.evil('', 'await new Promise((r) => setTimeout(r, 60_000)); return false;');
  const r = p.cli([...compileArgs(p), '--time-limit', '0.5']);
  assertAttack(p, r, 1, new RegExp(`${EVIL_APPLY.source} did not finish within 0.5 s`), ['out.failed']);
});

test('3a an endless loop at import: transforms list reports the plugin after the time limit and lists the rest', () => {
  const p = attackProject();
  p.evil('for (;;) {}', 'return false;');
  const r = p.cli(['transforms', 'list', '--log-level', 'warn'], { BRAINSMITH_IMPORT_TIME_LIMIT: '3' });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /SortGraph/);
  assert.match(r.stdout + r.stderr, /evil\.ts: import did not finish within 3 s/);
});

test('3b an endless loop at import: compile fails naming the plugin file', () => {
  const p = attackProject();
  p.evil('for (;;) {}', 'return false;');
  const r = p.cli(compileArgs(p), { BRAINSMITH_IMPORT_TIME_LIMIT: '3' });
  assertAttack(p, r, 1, /no transform named 'Evil'.*evil\.ts: import did not finish within 3 s/);
});

test('3c an endless loop at import: plugins check --all reports it and checks the rest', () => {
  const p = attackProject();
  p.evil('for (;;) {}', 'return false;');
  const r = p.cli(['plugins', 'check', '--all', '--log-level', 'warn'], { BRAINSMITH_IMPORT_TIME_LIMIT: '3' });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout + r.stderr, /evil\.ts: import did not finish within 3 s/);
});

test('4a a rejected promise left behind by apply()', () => {
  const p = attackProject();
  p.evil('', "Promise.reject(new Error('left behind')); return false;");
  assertAttack(p, p.cli(compileArgs(p)), 1, new RegExp(`${EVIL_APPLY.source} left a promise rejected: left behind`));
});

test('4b a throw from a timer apply() set', () => {
  const p = attackProject();
  p.evil('', "setTimeout(() => { throw new Error('timer boom'); }, 1); await new Promise((r) => setTimeout(r, 200)); return false;");
  assertAttack(p, p.cli(compileArgs(p)), 1, new RegExp(`${EVIL_APPLY.source} threw outside its call .*: timer boom`));
});

test('5 an apply() whose promise never settles', () => {
  const p = attackProject();
  p.evil('', 'await new Promise(() => {}); return false;');
  assertAttack(p, p.cli(compileArgs(p)), 1, new RegExp(`${EVIL_APPLY.source} never finished`), ['out.failed']);
});

test('25c a thrown value whose toString throws still names the plugin', () => {
  const p = attackProject();
  p.evil('', "throw { toString() { throw new Error('toString boom'); } };");
  assertAttack(p, p.cli(compileArgs(p)), 1, new RegExp(`${EVIL_APPLY.source} threw: \\[object Object\\]`), ['out.failed']);
});
