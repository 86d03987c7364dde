import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadModel } from '../../src/onnx/load.js';
import { createProgress } from '../../src/pipeline/progress.js';
import { runCli } from '../helpers/cli.js';
import { cliPath, shared, skipNoShared } from '../helpers/paths.js';
import { pipelineProject } from './support.js';

const TFC = (): string => shared('finn', 'tfc_w1a1', 'model.onnx');

function project(): ReturnType<typeof pipelineProject> & { cli: (args: string[]) => ReturnType<typeof runCli> } {
  const p = pipelineProject();
  return { ...p, cli: (args) => runCli(args, { cwd: p.dir, env: { HOME: p.home, BRAINSMITH_PLUGIN_PATH: '' } }) };
}

const leftovers = (dir: string): string[] => readdirSync(dir).filter((f) => f.includes('.partial-'));

test('compile --json: one JSON summary on stdout, log lines and no progress on a pipe, the complete build folder at build/<model>', { skip: skipNoShared }, async () => {
  const p = project();
  const r = p.cli(['compile', TFC(), '--stop-after', 'topology', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const summary = JSON.parse(r.stdout) as Record<string, unknown> & { stages: { stage: string; intermediate: string }[]; leftAlone: { opType: string }[]; output: string };
  const out = path.join(p.dir, 'build', 'model');
  assert.equal(summary.output, out);
  assert.deepEqual(summary.stages.map((s) => s.stage), ['cleanup', 'topology']);
  assert.equal(summary.stoppedAfter, 'topology');
  assert.equal(summary.kernelMapping, 'none');
  assert.ok(Array.isArray(summary.leftAlone));
  assert.match(r.stderr, /"msg":"stage cleanup: \d+ transforms"/);
  assert.doesNotMatch(r.stderr, /^ {2}1\/\d+ \w+$/m);
  for (const f of ['.brainsmith-build.json', 'model.onnx', 'compile.log', 'report/time_per_step.json', 'intermediate_models/01_cleanup.onnx', 'intermediate_models/02_topology.onnx']) {
    assert.ok(existsSync(path.join(out, f)), f);
  }
  const times = JSON.parse(readFileSync(path.join(out, 'report/time_per_step.json'), 'utf8')) as { cleanup: number; topology: number; total: number; transforms: { transform: string; seconds: number }[] };
  assert.ok(times.cleanup >= 0 && times.topology >= 0 && times.total >= times.cleanup);
  assert.ok(times.transforms.length > 0 && times.transforms.every((t) => t.transform.includes(':') && t.seconds >= 0));
  const log = readFileSync(path.join(out, 'compile.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { msg: string });
  assert.ok(log.some((l) => /stage topology/.test(l.msg)));
  assert.ok(log.some((l) => /left alone/.test(l.msg) && /the blueprint ran no kernel mapping/.test(l.msg)));
  assert.equal(summary.estimate, undefined, 'no hardware nodes before kernel mapping: no estimates');
  assert.ok(!existsSync(path.join(out, 'report', 'estimate_layer_cycles.json')));
  const final = await loadModel(path.join(out, 'model.onnx'));
  assert.ok(final.graph.nodeCount > 0);
  assert.deepEqual(leftovers(path.join(p.dir, 'build')), []);
  // A second compile replaces a previous build without --force.
  assert.equal(p.cli(['compile', TFC(), '--stop-after', 'cleanup']).code, 0);
});

test('a failing transform leaves no complete-looking folder and keeps a previous build intact', { skip: skipNoShared }, () => {
  const p = project();
  const bp = p.write('bp.yaml', 'extends: default\nsteps: []\nstages:\n  topology: [Tolerant, Explode]\n');
  const r = p.cli(['compile', TFC(), '-o', 'out', '--config', bp]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /apply\(\) of transform project:Explode threw: boom/);
  assert.equal(existsSync(path.join(p.dir, 'out')), false);
  assert.deepEqual(leftovers(p.dir), []);
  // Over a previous build: the old one survives the failure unchanged.
  const ok = p.cli(['compile', TFC(), '-o', 'out', '--stop-after', 'cleanup']);
  assert.equal(ok.code, 0, ok.stderr);
  const marker = readFileSync(path.join(p.dir, 'out', '.brainsmith-build.json'), 'utf8');
  assert.equal(p.cli(['compile', TFC(), '-o', 'out', '--config', bp]).code, 1);
  assert.equal(readFileSync(path.join(p.dir, 'out', '.brainsmith-build.json'), 'utf8'), marker);
  assert.deepEqual(leftovers(p.dir), []);
});

test('an existing folder that is not a build output is refused without --force', { skip: skipNoShared }, () => {
  const p = project();
  mkdirSync(path.join(p.dir, 'precious'));
  writeFileSync(path.join(p.dir, 'precious', 'notes.txt'), 'keep me');
  const r = p.cli(['compile', TFC(), '-o', 'precious', '--stop-after', 'cleanup']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /precious exists and is not a brainsmith build folder \(no \.brainsmith-build\.json\); choose another -o or pass --force/);
  assert.equal(readFileSync(path.join(p.dir, 'precious', 'notes.txt'), 'utf8'), 'keep me');
  const f = p.cli(['compile', TFC(), '-o', 'precious', '--stop-after', 'cleanup', '--force']);
  assert.equal(f.code, 0, f.stderr);
  assert.equal(existsSync(path.join(p.dir, 'precious', 'notes.txt')), false);
  assert.ok(existsSync(path.join(p.dir, 'precious', 'model.onnx')));
});

test('usage errors: unknown --stop-after, --expected without --verify, unknown blueprint name', { skip: skipNoShared }, () => {
  const p = project();
  const a = p.cli(['compile', TFC(), '--stop-after', 'Nope']);
  assert.equal(a.code, 2);
  assert.match(a.stderr, /--stop-after 'Nope' is neither a stage/);
  const b = p.cli(['compile', TFC(), '--expected', 'y.npy']);
  assert.equal(b.code, 2);
  assert.match(b.stderr, /--expected needs --verify/);
  const c = p.cli(['compile', TFC(), '--config', 'nonesuch', '--json']);
  assert.equal(c.code, 1);
  assert.match(JSON.parse(c.stdout).error.message, /no built-in blueprint named 'nonesuch'/);
  assert.equal(existsSync(path.join(p.dir, 'build')), false);
});

test('SIGINT during a compile removes the partial folder', { skip: skipNoShared }, async () => {
  const p = project();
  const bp = p.write('bp.yaml', 'stages:\n  cleanup: [RemoveIdentityOps]\n  topology: [Sleepy]\n');
  const child = spawn(process.execPath, [cliPath, 'compile', TFC(), '-o', 'out', '--config', bp], { cwd: p.dir, env: { ...process.env, HOME: p.home, BRAINSMITH_PLUGIN_PATH: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const t0 = Date.now();
  while (!/stage topology/.test(err) && Date.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 50));
  assert.ok(leftovers(p.dir).length === 1, 'the partial folder exists while compiling');
  child.kill('SIGINT');
  assert.equal(await exited, 130);
  assert.deepEqual(leftovers(p.dir), []);
  assert.equal(existsSync(path.join(p.dir, 'out')), false);
});

test('progress: one line rewritten in place on a terminal, none otherwise', () => {
  const chunks: string[] = [];
  const tty = { isTTY: true, columns: 80, write: (s: string) => chunks.push(s) } as unknown as NodeJS.WritableStream & { isTTY: boolean };
  const pr = createProgress(tty, true);
  pr.update({ stage: 'topology', stageIndex: 2, stageCount: 4, item: 'FoldQuantWeights', itemIndex: 3, itemCount: 12 });
  pr.clear();
  assert.deepEqual(chunks, ['\r\x1b[K[2/4 topology] 3/12 FoldQuantWeights', '\r\x1b[K']);
  const plain: string[] = [];
  const pipe = { isTTY: false, write: (s: string) => plain.push(s) } as unknown as NodeJS.WritableStream;
  const pp = createProgress(pipe, true);
  pp.update({ stage: 'cleanup', stageIndex: 1, stageCount: 2, item: 'A', itemIndex: 1, itemCount: 2 });
  pp.update({ stage: 'cleanup', stageIndex: 1, stageCount: 2, item: 'B', itemIndex: 2, itemCount: 2 });
  assert.deepEqual(plain, []);
  const off: string[] = [];
  createProgress({ isTTY: true, write: (s: string) => off.push(s) } as unknown as NodeJS.WritableStream, false).update({ stage: 'cleanup', stageIndex: 1, stageCount: 1, item: 'A', itemIndex: 1, itemCount: 1 });
  assert.deepEqual(off, []);
});
