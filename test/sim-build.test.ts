import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { compile } from '../src/pipeline/compile.js';
import { saveModel } from '../src/onnx/save.js';
import { readTensorFile } from '../src/exec/bind-inputs.js';
import { writeNpy } from '../src/exec/npy.js';
import { makeTensor } from '../src/tensor/tensor-value.js';
import { isBrainsmithError } from '../src/errors.js';
import { simulateBuild } from '../src/sim/simulate-build.js';
import { codegenProject, fixtureModel, type FixtureNode } from './helpers/codegen-fixture.js';
import { runCli } from './helpers/cli.js';
import { simulatorsPresent, skipNoSimulator } from './helpers/sim.js';
import { tempDir } from './helpers/tmp.js';

const log = pino({ level: 'silent' });
// Icarus builds these small designs in well under a second.
const simulator = simulatorsPresent.at(-1);
const cacheDir = path.join(tempDir('bs-simcache-'), 'c');

function dagNodes(bug = false): FixtureNode[] {
  return [
    { op: 'Relu', name: 'Relu_0', inputs: ['x'], output: 'xr' },
    { op: 'TestPass', name: 'TestPass_0', inputs: ['xr'], output: 'a', PE: 2 },
    { op: 'StreamingFIFO', name: 'StreamingFIFO_1', inputs: ['a'], output: 'a2', PE: 2 },
    { op: 'StreamingFIFO', name: 'StreamingFIFO_0', inputs: ['y'], output: 'b', PE: 2, depth: 4 },
    { op: 'TestAdd', name: 'TestAdd_0', inputs: ['a2', 'b'], output: 's', PE: 2 },
    { op: 'TestPass', name: 'TestPass_1', inputs: ['s'], output: 'out', PE: 2, bug },
  ];
}

/** A build folder (compile --generate) of the fixture DAG: out = relu(x) + y. */
async function build(bug = false) {
  const { reg, dir } = await codegenProject();
  const file = path.join(dir, 'dag.onnx');
  await saveModel(fixtureModel(dagNodes(bug), ['x', 'y'], ['out']), file);
  writeFileSync(path.join(dir, 'bp.yaml'), 'stages:\n  cleanup: [RemoveIdentityOps]\n');
  const out = path.join(dir, 'out');
  await compile({ model: file, output: out, config: path.join(dir, 'bp.yaml'), registry: reg, log, board: 'Pynq-Z2', clockNs: 5, generate: true });
  return { reg, dir, out };
}

test('sim: random frames under stalls match the executor bit-exactly; FINN\'s performance report is written', { skip: skipNoSimulator }, async () => {
  const { reg, out } = await build();
  const r = await simulateBuild({ dir: out, registry: reg, readTensor: readTensorFile, frames: 40, stall: 0.3, seed: 3, simulator, cacheDir });
  assert.equal(r.ok, true, r.reference.message);
  assert.equal(r.frames, 40);
  assert.equal(r.scope, 'top');
  const perf = JSON.parse(readFileSync(path.join(out, 'report', 'rtlsim_performance.json'), 'utf8')) as Record<string, number>;
  assert.deepEqual(Object.keys(perf), ['cycles', 'runtime[ms]', 'throughput[images/s]', 'DRAM_in_bandwidth[MB/s]', 'DRAM_out_bandwidth[MB/s]', 'fclk[mhz]', 'N', 'latency_cycles', 'stable_throughput[images/s]']);
  assert.equal(perf.N, 40);
  assert.equal(perf['fclk[mhz]'], 200);
  assert.ok(perf.latency_cycles > 0 && perf.latency_cycles < perf.cycles);
  assert.ok(Math.abs(perf['throughput[images/s]'] - 40 / (perf.cycles * 5e-9)) < 1e-6 * perf['throughput[images/s]']);
  // 4 words of 1 byte per input stream and frame, two inputs.
  assert.ok(Math.abs(perf['DRAM_in_bandwidth[MB/s]'] - (8 * perf['throughput[images/s]']) / 1e6) < 1e-6);
  assert.ok(r.estimate && r.estimate.ratio > 0);
  // Without stalls: 4 words per frame and stream, one per cycle once the pipeline is full.
  const fast = await simulateBuild({ dir: out, registry: reg, readTensor: readTensorFile, frames: 40, simulator, cacheDir });
  assert.equal(fast.build.cached, true);
  assert.ok(fast.run.cycles < r.run.cycles);
  assert.ok(fast.run.cycles >= 160 && fast.run.cycles < 160 + 20, `${fast.run.cycles} cycles`);
});

test('sim --input/--expected: frames from a file, compared with a golden output', { skip: skipNoSimulator }, async () => {
  const { reg, dir, out } = await build();
  const x = Array.from({ length: 24 }, (_, i) => (i * 5) % 16);
  const y = Array.from({ length: 24 }, (_, i) => (i * 3 + 1) % 16);
  const xf = path.join(dir, 'x.npy');
  const yf = path.join(dir, 'y.npy');
  writeNpy(xf, makeTensor(1, [3, 8], Float32Array.from(x)));
  writeNpy(yf, makeTensor(1, [3, 8], Float32Array.from(y)));
  const good = path.join(dir, 'good.npy');
  const bad = path.join(dir, 'bad.npy');
  writeNpy(good, makeTensor(1, [3, 8], Float32Array.from(x.map((v, i) => v + y[i]!))));
  writeNpy(bad, makeTensor(1, [3, 8], Float32Array.from(x.map((v, i) => v + y[i]! + (i === 13 ? 1 : 0)))));
  const r = await simulateBuild({ dir: out, registry: reg, readTensor: readTensorFile, inputs: [xf, yf], expected: good, simulator, cacheDir });
  assert.equal(r.frames, 3);
  assert.equal(r.ok, true);
  assert.equal(r.expected?.ok, true);
  const r2 = await simulateBuild({ dir: out, registry: reg, readTensor: readTensorFile, inputs: [xf, yf], expected: bad, simulator, cacheDir });
  assert.equal(r2.reference.ok, true);
  assert.equal(r2.ok, false);
  assert.match(r2.expected!.message, /first at index 13/);
  await assert.rejects(simulateBuild({ dir: out, registry: reg, readTensor: readTensorFile, inputs: [xf, yf], frames: 9, simulator, cacheDir }), /--frames 9: .* holds 3 frames/);
});

test('sim: a hardware bug is a mismatch naming the first node that differs alone; --node checks one node', { skip: skipNoSimulator }, async () => {
  const { reg, out } = await build(true);
  const r = await simulateBuild({ dir: out, registry: reg, readTensor: readTensorFile, frames: 5, simulator, cacheDir });
  assert.equal(r.ok, false);
  assert.match(r.reference.message, /'out' frame 0 element 0/);
  assert.equal(r.firstDifferingNode?.name, 'TestPass_1');
  const alone = await simulateBuild({ dir: out, registry: reg, readTensor: readTensorFile, frames: 5, node: 'TestAdd_0', stall: 0.2, simulator, cacheDir });
  assert.equal(alone.ok, true);
  assert.equal(alone.scope, 'node');
  assert.equal(alone.performance, undefined);
  await assert.rejects(simulateBuild({ dir: out, registry: reg, readTensor: readTensorFile, node: 'Nope', simulator, cacheDir }), (e: unknown) => isBrainsmithError(e) && e.kind === 'usage' && /no such node/.test(e.message));
});

test('sim CLI: a folder without hardware, and a bad stall, are one-line errors', () => {
  const dir = tempDir('bs-sim-cli-');
  const r = runCli(['sim', dir], { env: { HOME: dir } });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /holds no generated hardware .*compile with --generate/);
  assert.equal(r.errLines.length, 1);
  const help = runCli(['sim', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--stall/);
  assert.match(help.stdout, /Examples:/);
  assert.ok(!existsSync(path.join(dir, 'report')));
});

test('sim CLI: JSON result; exit 1 on a mismatch, with the node named', { skip: skipNoSimulator }, async () => {
  const { out, dir } = await build(true);
  const env = { HOME: path.join(dir, 'home'), BRAINSMITH_SIM_CACHE: cacheDir };
  const r = runCli(['sim', out, '--frames', '3', '--json', ...(simulator ? ['--simulator', simulator] : [])], { cwd: path.join(dir, 'proj'), env });
  assert.equal(r.code, 1, r.stderr);
  const j = JSON.parse(r.stdout) as { ok: boolean; firstDifferingNode: { name: string } };
  assert.equal(j.ok, false);
  assert.equal(j.firstDifferingNode.name, 'TestPass_1');
  assert.match(r.stderr, /E_SIM_MISMATCH|does not match/);
  const bad = runCli(['sim', out, '--stall', '1'], { cwd: path.join(dir, 'proj'), env });
  assert.equal(bad.code, 2, bad.stderr);
});
