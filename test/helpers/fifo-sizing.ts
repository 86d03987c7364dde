/**
 * FIFO sizing in end-to-end tests: compile a model with `--fifo-sizing sim|model`, read
 * report/fifo_sizing.json, simulate the build, and replay the sim's deep-FIFO run in the dataflow model
 * (same depths, same frames) to compare the model's throughput and per-FIFO occupancy with Verilator's.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveTarget } from '../../src/estimate/boards.js';
import { finnFifoDepth, runDataflow } from '../../src/fifo-sizing/dataflow-model.js';
import { deepFifoDepth } from '../../src/fifo-sizing/sim-sizing.js';
import { dataflowDesign } from '../../src/fifo-sizing/size.js';
import { loadModel } from '../../src/onnx/load.js';
import { openRegistry } from '../../src/plugins/registry.js';
import { enableLifecycle } from '../../src/plugins/runtime.js';
import { cliPath } from './paths.js';

export interface Perf { cycles: number; 'throughput[images/s]': number; latency_cycles: number; N: number }
export interface FifoSizingJson {
  method: 'sim' | 'model';
  frames: number;
  fifos: { name: string; width: number; depth_before: number; depth_after: number; max_occupancy: number }[];
  total_fifo_bits: { before: number; after: number };
  throughput: { before?: Perf; deep: Perf; after?: Perf };
  ratio?: number;
  deadlock_before?: string;
  ms: number;
}

/** Verilator builds shared between the test files and runs (the designs are content-hashed). */
export const simCache = process.env.BRAINSMITH_SIM_CACHE ?? path.join(os.tmpdir(), 'brainsmith-sim-cache-acceptance');

export interface Run { code: number | null; stdout: string; stderr: string; ms: number }

export function cli(args: string[], cwd: string): Run {
  const home = path.join(cwd, 'home');
  mkdirSync(home, { recursive: true });
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cliPath, ...args], {
    cwd, encoding: 'utf8', timeout: 1_800_000, maxBuffer: 64 << 20,
    env: { ...process.env, HOME: home, BRAINSMITH_SIM_CACHE: simCache },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - t0 };
}

export function lastLines(text: string, n = 4): string {
  return text.split('\n').filter((l) => l.trim()).slice(-n).join('\n');
}

export function readSizing(outDir: string): FifoSizingJson {
  return JSON.parse(readFileSync(path.join(outDir, 'report', 'fifo_sizing.json'), 'utf8')) as FifoSizingJson;
}

export const fps = (p: Perf): number => p['throughput[images/s]'];

/** `brainsmith sim OUT --frames N` in Verilator: bit-exact against the reference executor, its performance. */
export function simulate(cwd: string, out: string, frames: number): Perf {
  const s = cli(['sim', out, '--frames', String(frames), '--simulator', 'verilator', '--json'], cwd);
  assert.equal(s.code, 0, lastLines(s.stderr));
  const r = JSON.parse(s.stdout) as { ok: boolean; reference: { ok: boolean; message: string }; performance: Perf };
  assert.equal(r.reference.ok, true, r.reference.message);
  return r.performance;
}

export interface ModelVsSim {
  /** Cycles of the sim's deep-FIFO run: Verilator's and the model's with the same depths and frames. */
  cycles: { sim: number; model: number };
  /**
   * Per FIFO: the deep depth, Verilator's peak occupancy, the model's need (most words + a write in progress)
   * and the depth the model's sizing makes of that need (FINN's rounding).
   */
  fifos: { name: string; depth: number; sim: number; model: number; modelDepth: number }[];
}

async function designOf(cwd: string, outDir: string, board: string): ReturnType<typeof dataflowDesign> {
  const reg = await openRegistry({ home: path.join(cwd, 'home'), projectDir: cwd });
  await enableLifecycle(reg);
  const model = await loadModel(path.join(outDir, 'model.onnx'));
  return dataflowDesign(model, reg.hw, { target: resolveTarget({ board }), prefer: 'rtl' });
}

/** Cycles the dataflow model gives each named node alone (input always valid, output always ready). */
export async function modelAlone(cwd: string, outDir: string, board: string, names: readonly string[], frames: number): Promise<Map<string, number>> {
  const d = await designOf(cwd, outDir, board);
  return new Map(names.map((name) => {
    const n = d.nodes.find((x) => x.name === name);
    assert.ok(n, `no node ${name}`);
    const r = runDataflow([n], { frames });
    assert.equal(r.ok, true, name);
    return [name, r.cycles];
  }));
}

/**
 * Replays the deep-FIFO run of a `--fifo-sizing sim` build (report/fifo_sizing.json) in the dataflow model:
 * the same design, every FIFO at the deep depth the sim used (FINN's rule, deepFifoDepth), input unthrottled,
 * the same frames.
 */
export async function replayDeepRun(cwd: string, outDir: string, board: string): Promise<ModelVsSim> {
  const rep = readSizing(outDir);
  assert.equal(rep.method, 'sim');
  const d = await designOf(cwd, outDir, board);
  const before = new Map(rep.fifos.map((f) => [f.name, f]));
  const depths = Object.fromEntries(d.fifos.map((f) => [f.name, deepFifoDepth({ depth: before.get(f.name)!.depth_before, words: f.words })]));
  const r = runDataflow(d.nodes, { frames: rep.frames, depths });
  assert.equal(r.ok, true, r.deadlock?.message);
  return {
    cycles: { sim: rep.throughput.deep.cycles, model: r.cycles },
    fifos: r.fifos.map((f) => ({ name: f.name, depth: depths[f.name]!, sim: before.get(f.name)!.max_occupancy, model: f.needed, modelDepth: finnFifoDepth(f.needed) })),
  };
}
