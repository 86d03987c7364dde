// FIFO sizing on TFC-w1a1 at 100k fps, all RTL: by simulation (FINN's largefifo_rtlsim: throughput after
// sizing within 1% of the deep-FIFO run) and by the dataflow model (its depths simulate in Verilator without
// loss, and its predicted cycles are within 5% of Verilator's).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { cliPath, shared, skipNoShared } from './helpers/paths.js';
import { skipNoVerilator } from './helpers/sim.js';
import { tempDir } from './helpers/tmp.js';

interface Perf { cycles: number; 'throughput[images/s]': number; N: number }
interface Report {
  method: string;
  fifos: { name: string; width: number; depth_before: number; depth_after: number; max_occupancy: number }[];
  total_fifo_bits: { before: number; after: number };
  throughput: { before?: Perf; deep: Perf; after?: Perf };
  ratio?: number;
}

const dir = tempDir('bs-fifo-sizing-');
const env = { ...process.env, HOME: path.join(dir, 'home'), BRAINSMITH_SIM_CACHE: process.env.BRAINSMITH_SIM_CACHE ?? path.join(dir, 'sim-cache') };
const compileArgs = [shared('labs', 'tfc-w1a1.onnx'), '--board', 'Pynq-Z2', '--clock-ns', '10', '--target-fps', '100000', '--prefer', 'rtl', '--generate', '--json'];

function cli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cliPath, ...args], { cwd: dir, env, encoding: 'utf8', timeout: 600_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function report(out: string): Report {
  return JSON.parse(readFileSync(path.join(dir, out, 'report', 'fifo_sizing.json'), 'utf8')) as Report;
}

function depthInHw(out: string, fifo: string): number {
  const v = readFileSync(path.join(dir, out, 'hw', `${fifo}.v`), 'utf8');
  return Number(/\.DEPTH\((\d+)\)/.exec(v)?.[1]);
}

let simDeep: Perf | undefined;

test('TFC-w1a1 --fifo-sizing sim: depths from the deep-FIFO simulation, throughput after within 1% of it', { skip: skipNoShared || skipNoVerilator }, () => {
  const c = cli(['compile', ...compileArgs, '-o', 'sim', '--fifo-sizing', 'sim']);
  assert.equal(c.code, 0, c.stderr);
  const summary = JSON.parse(c.stdout) as { fifoSizing?: { method: string; fifos: number } };
  assert.equal(summary.fifoSizing?.method, 'sim');
  const r = report('sim');
  assert.equal(r.fifos.length, 8);
  for (const f of r.fifos) {
    assert.ok(f.depth_after >= 2 && f.depth_after >= f.max_occupancy, JSON.stringify(f));
    assert.equal(depthInHw('sim', f.name), f.depth_after, f.name);
  }
  assert.equal(r.total_fifo_bits.after, r.fifos.reduce((a, f) => a + f.width * f.depth_after, 0));
  assert.ok(r.throughput.deep.cycles > 0 && r.throughput.after, JSON.stringify(r.throughput));
  const after = r.throughput.after!['throughput[images/s]'];
  const deep = r.throughput.deep['throughput[images/s]'];
  assert.ok(Math.abs(after - deep) <= 0.01 * deep, `after ${after}, deep ${deep}`);
  assert.ok(r.ratio! >= 0.99);
  simDeep = r.throughput.deep;
});

test('TFC-w1a1 --fifo-sizing model: the depths simulate bit-exactly without loss, cycles within 5% of the model', { skip: skipNoShared || skipNoVerilator }, () => {
  const c = cli(['compile', ...compileArgs, '-o', 'model', '--fifo-sizing', 'model']);
  assert.equal(c.code, 0, c.stderr);
  const r = report('model');
  assert.equal(r.method, 'model');
  for (const f of r.fifos) assert.equal(depthInHw('model', f.name), f.depth_after, f.name);
  const s = cli(['sim', 'model', '--frames', String(r.throughput.after!.N), '--simulator', 'verilator', '--json']);
  assert.equal(s.code, 0, s.stderr);
  const sim = JSON.parse(s.stdout) as { ok: boolean; performance: Perf };
  assert.equal(sim.ok, true);
  const predicted = r.throughput.after!.cycles;
  assert.ok(Math.abs(predicted - sim.performance.cycles) <= 0.05 * sim.performance.cycles, `model ${predicted} cycles, Verilator ${sim.performance.cycles}`);
  const reference = simDeep ?? r.throughput.deep;
  assert.ok(sim.performance['throughput[images/s]'] >= 0.99 * reference['throughput[images/s]'], `${sim.performance['throughput[images/s]']} vs deep ${reference['throughput[images/s]']}`);
});

test('--fifo-sizing sim without --generate is a usage error; model works without it', { skip: skipNoShared }, () => {
  const bad = cli(['compile', shared('labs', 'tfc-w1a1.onnx'), '-o', 'nogen', '--target-fps', '100000', '--fifo-sizing', 'sim']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--fifo-sizing sim simulates the generated hardware: it needs --generate/);
  const ok = cli(['compile', shared('labs', 'tfc-w1a1.onnx'), '-o', 'nogen', '--target-fps', '100000', '--prefer', 'rtl', '--fifo-sizing', 'model', '--json']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(report('nogen').method, 'model');
});
