/**
 * `brainsmith sim` without the CLI: simulates a build folder's generated hardware (hw/) on frames of the
 * model's inputs and checks it bit-exactly against the reference executor on the build's model.onnx (kernel
 * nodes through their plugins' `execute`). The top covers the dataflow partition: host nodes before it run in
 * the executor and feed it; its output streams are compared with the executor's tensors. On a mismatch each
 * node is simulated alone on the first differing frame to name the first node whose output differs.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readDesign } from '../codegen/generate.js';
import type { HwDesign, NodeInfo, StreamInfo } from '../codegen/design.js';
import { isHdlSource } from '../codegen/design.js';
import { BrainsmithError } from '../errors.js';
import { sampleOf } from '../exec/bind-inputs.js';
import { executeModel } from '../exec/execute.js';
import { writeFileAtomic } from '../exec/npy.js';

import type { OpResolver, TensorMap } from '../exec/types.js';
import type { Model } from '../ir/model.js';
import { loadModel } from '../onnx/load.js';
import { compareOutputs, DEFAULT_TOLERANCE, describeMismatch } from '../pipeline/compare.js';
import { bindInputs, modelInputs, randomInputs } from '../pipeline/verify-inputs.js';
import type { Registry } from '../plugins/registry.js';
import { makeTensor, type TensorValue } from '../tensor/tensor-value.js';
import { buildSimulation } from './build.js';
import { describeFrameMismatch, firstMismatch, packFrames, unpackFrames, type FrameMismatch } from './frames.js';
import { rtlsimPerformance, type RtlsimPerformance } from './performance.js';
import { runSimulation, type SimResult } from './run.js';
import { availableSimulators, type SimulatorKind } from './simulators.js';
import { finnNodeInterface, topInterface, type OccupancyProbe } from './testbench.js';

export const DEFAULT_FRAMES = 16;
export const PERFORMANCE_REPORT = path.join('report', 'rtlsim_performance.json');

export interface SimulateBuildOptions {
  /** The build folder (holds model.onnx and hw/). */
  dir: string;
  /** .npy files, one per model input (a batch of frames each). */
  inputs?: string[];
  /** Golden output .npy for the model's (first) output. */
  expected?: string;
  /** Random frames without inputs (default 16); with inputs, the first N frames. */
  frames?: number;
  simulator?: SimulatorKind;
  stall?: number;
  seed?: number;
  /** Simulate only this node, against its kernel's execute. */
  node?: string;
  cacheDir?: string;
  /** Occupancy probes into the top (FIFO sizing); their maxima come back in the report's `probes`. */
  probes?: OccupancyProbe[];
  registry: Registry;
  readTensor: (file: string) => TensorValue;
  progress?: (text: string) => void;
}

export interface SimulateBuildReport {
  ok: boolean;
  dir: string;
  scope: 'top' | 'node';
  /** The top module, or the node simulated alone. */
  module: string;
  simulator: SimulatorKind;
  frames: number;
  inputs: string[];
  stall: number;
  seed: number;
  build: { cached: boolean; ms: number };
  run: { ms: number; cycles: number; cyclesPerSecond: number; framesPerSecond: number };
  reference: { ok: boolean; message: string; mismatch?: FrameMismatch; ms: number };
  expected?: { file: string; ok: boolean; message: string };
  /** After a mismatch: the first node whose output differs when simulated alone (name null: none does). */
  firstDifferingNode?: { name: string | null; message: string };
  performance?: RtlsimPerformance;
  /** Maximum per occupancy probe (with `probes`). */
  probes?: number[];
  estimate?: { 'throughput[images/s]': number; ratio: number };
  report?: string;
  ms: number;
}

function usage(message: string): BrainsmithError {
  return new BrainsmithError('E_USAGE', message, { kind: 'usage' });
}

/** Per-frame model inputs: from files (a batch each) or seeded random frames within each input's datatype. */
function frameInputs(model: Model, opts: SimulateBuildOptions): { frames: TensorMap[]; sources: string[] } {
  const specs = modelInputs(model);
  const seed = opts.seed ?? 1;
  if (opts.frames !== undefined && !(Number.isInteger(opts.frames) && opts.frames >= 1)) throw usage(`--frames must be a positive integer, got ${opts.frames}`);
  if (opts.inputs?.length) {
    const files = opts.inputs.map((f) => path.resolve(f));
    const bound = bindInputs(specs, files.map((f) => opts.readTensor(f)), files);
    const available = bound.batch;
    const n = opts.frames ?? available;
    if (n > available) throw usage(`--frames ${n}: ${files[0]} holds ${available} frame${available === 1 ? '' : 's'}`);
    const frames = Array.from({ length: n }, (_, i) => new Map([...bound.inputs].map(([name, v]) => [name, available > 1 ? sampleOf(v, i) : v])));
    return { frames, sources: files };
  }
  const n = opts.frames ?? DEFAULT_FRAMES;
  const frames = Array.from({ length: n }, (_, i) => randomInputs(specs, seed + i, [-1, 1]) as TensorMap);
  return { frames, sources: specs.map(() => `random (seed ${seed})`) };
}

/** Runs the reference executor on every frame, keeping the tensors in `keep` (per frame). */
async function reference(model: Model, resolver: OpResolver, frames: readonly TensorMap[], keep: ReadonlySet<string>): Promise<Map<string, TensorValue[]>> {
  const out = new Map<string, TensorValue[]>([...keep].map((t) => [t, []]));
  for (const inputs of frames) {
    const r = await executeModel(model, inputs, { resolvers: [resolver], keepIntermediates: true });
    for (const t of keep) {
      const v = r.intermediates!.get(t) ?? r.outputs.get(t);
      if (!v) throw new BrainsmithError('E_SIM_REFERENCE', `the reference executor computed no tensor '${t}' (is model.onnx the model hw/ was generated from?)`, { kind: 'input' });
      out.get(t)!.push(v);
    }
  }
  return out;
}

function idleTimeout(nodes: readonly NodeInfo[]): number {
  return Math.max(100_000, 4 * nodes.reduce((a, n) => a + (n.cycles || 0), 0) + 10_000);
}

interface StreamsRun {
  result: SimResult;
  got: Float64Array[][];
  mismatch?: FrameMismatch;
  build: { cached: boolean; ms: number };
  simulator: SimulatorKind;
}

/** Simulates a module with the given streams on reference frames and compares its outputs. */
async function simulateStreams(
  hwDir: string, module: string, sources: string[], dut: ReturnType<typeof topInterface>, ins: readonly StreamInfo[], outs: readonly StreamInfo[],
  ref: ReadonlyMap<string, TensorValue[]>, frames: number, timeout: number, opts: SimulateBuildOptions & { simulator?: SimulatorKind },
): Promise<StreamsRun> {
  const words = ins.map((s) => packFrames(s, ref.get(s.tensor)!));
  const counts = outs.map((s) => s.wordsPerFrame! * frames);
  const build = await buildSimulation({ sources, dut }, { simulator: opts.simulator, cacheDir: opts.cacheDir, progress: opts.progress });
  opts.progress?.(`simulating ${module}: ${frames} frame${frames === 1 ? '' : 's'}, ${words.reduce((a, w) => a + w.length, 0)} input words${opts.stall ? `, stall ${opts.stall}` : ''} (${build.simulator.kind})`);
  const result = await runSimulation(build, { inputs: words, expected: counts, stall: opts.stall, seed: opts.seed, idleTimeout: timeout, cwd: hwDir });
  const got = outs.map((s, k) => unpackFrames(s, result.outputs[k]!));
  let mismatch: FrameMismatch | undefined;
  for (const [k, s] of outs.entries()) {
    mismatch = firstMismatch(s, got[k]!, ref.get(s.tensor)!);
    if (mismatch) break;
  }
  return { result, got, mismatch, build: { cached: build.cached, ms: build.ms }, simulator: build.simulator.kind };
}

function nodeSources(hwDir: string, n: NodeInfo): string[] {
  return [...n.libraries.filter(isHdlSource), ...n.files].map((f) => path.join(hwDir, f));
}

function simulateNode(hwDir: string, n: NodeInfo, ref: ReadonlyMap<string, TensorValue[]>, frames: number, opts: SimulateBuildOptions & { simulator?: SimulatorKind }): Promise<StreamsRun> {
  const dut = finnNodeInterface(n.module, n.inputs.map((s) => s.width), n.outputs.map((s) => s.width));
  return simulateStreams(hwDir, n.name, nodeSources(hwDir, n), dut, n.inputs, n.outputs, ref, frames, idleTimeout([n]), opts);
}

/** Simulates each node alone on one frame's reference streams; the first node whose output differs. */
async function localize(hwDir: string, design: HwDesign, model: Model, resolver: OpResolver, frame: TensorMap, opts: SimulateBuildOptions): Promise<{ name: string | null; message: string }> {
  const tensors = new Set(design.nodes.flatMap((n) => [...n.inputs, ...n.outputs].map((s) => s.tensor)));
  const ref = await reference(model, resolver, [frame], tensors);
  // Icarus builds in a fraction of a second: the better choice for many small designs.
  const sims = await availableSimulators();
  const simulator = sims.some((s) => s.kind === 'icarus') ? 'icarus' : opts.simulator;
  for (const [i, n] of design.nodes.entries()) {
    opts.progress?.(`locating the mismatch: node ${i + 1}/${design.nodes.length} ${n.name} alone`);
    try {
      const r = await simulateNode(hwDir, n, ref, 1, { ...opts, simulator });
      if (r.mismatch) return { name: n.name, message: `node '${n.name}' (${n.opType}, ${n.backend}) simulated alone differs from its kernel's execute: ${describeFrameMismatch(r.mismatch)}` };
    } catch (e) {
      if (e instanceof BrainsmithError && (e.code === 'E_SIM_DEADLOCK' || e.code === 'E_SIM_X' || e.code === 'E_SIM_RUN')) return { name: n.name, message: `node '${n.name}' (${n.opType}) simulated alone: ${e.message}` };
      throw e;
    }
  }
  return { name: null, message: 'every node alone matches its kernel\'s execute on that frame: the difference comes from how they are stitched together' };
}

function stackFrames(frames: readonly Float64Array[], shape: readonly number[]): TensorValue {
  const per = frames[0]?.length ?? 0;
  const data = new Float32Array(per * frames.length);
  frames.forEach((f, i) => data.set(f, i * per));
  return makeTensor(1, [frames.length, ...shape.slice(1)], data);
}

function stackTensors(frames: readonly TensorValue[]): TensorValue {
  const per = frames[0] ? frames[0].dims.reduce((a, b) => a * b, 1) : 0;
  const data = new Float32Array(per * frames.length);
  frames.forEach((t, i) => data.set(Float32Array.from(Array.from(t.data as ArrayLike<number | bigint>, Number)), i * per));
  return makeTensor(1, [frames.length, ...(frames[0]?.dims.slice(1) ?? [])], data);
}

/** Compares with a golden file as `exec --expected` does (axes of size 1 may differ). */
function compareExpected(file: string, expected: TensorValue, got: TensorValue, name: string): { file: string; ok: boolean; message: string } {
  const c = compareOutputs([[name, expected]], [got], DEFAULT_TOLERANCE);
  const squeeze = (d: readonly number[]) => d.filter((x) => x !== 1).join(',');
  const sameShape = squeeze(got.dims) === squeeze(expected.dims);
  const ok = c.ok && sameShape;
  const message = !sameShape ? `output '${name}' has shape [${got.dims.join(', ')}], the expected tensor [${expected.dims.join(', ')}]` : ok ? `matches ${file}${c.outputs[0]!.exact ? ' exactly' : ''} (${c.outputs[0]!.elements} elements)` : describeMismatch(c);
  return { file, ok, message };
}

function estimatedThroughput(dir: string): number | undefined {
  const f = path.join(dir, 'report', 'estimate_network_performance.json');
  if (!existsSync(f)) return undefined;
  try {
    const v = (JSON.parse(readFileSync(f, 'utf8')) as { estimated_throughput_fps?: unknown }).estimated_throughput_fps;
    return typeof v === 'number' ? v : undefined;
  } catch {
    return undefined;
  }
}

export async function simulateBuild(opts: SimulateBuildOptions): Promise<SimulateBuildReport> {
  const t0 = performance.now();
  const dir = path.resolve(opts.dir);
  const stall = opts.stall ?? 0;
  if (!(stall >= 0 && stall < 1)) throw usage(`--stall must be a probability in [0, 1), got ${opts.stall}`);
  const seed = opts.seed ?? 1;
  const hwDir = path.join(dir, 'hw');
  const design = readDesign(hwDir);
  const modelFile = path.join(dir, 'model.onnx');
  if (!existsSync(modelFile)) throw new BrainsmithError('E_NO_HARDWARE', `${dir} has no model.onnx: not a build folder`, { kind: 'input', file: modelFile });
  const model = await loadModel(modelFile);
  const resolver = await opts.registry.hw.opResolver(model);
  const { frames, sources } = frameInputs(model, opts);
  const N = frames.length;
  const node = opts.node === undefined ? undefined : design.nodes.find((n) => n.name === opts.node);
  if (opts.node !== undefined && !node) throw usage(`--node ${opts.node}: no such node in ${path.join(hwDir, 'design.json')} (nodes: ${design.nodes.slice(0, 8).map((n) => n.name).join(', ')}${design.nodes.length > 8 ? ', …' : ''})`);

  const graphOutputs = model.graph.outputNames();
  const keep = new Set(node ? [...node.inputs, ...node.outputs].map((s) => s.tensor) : [...design.inputs, ...design.outputs].map((s) => s.tensor));
  if (!node && opts.expected) for (const o of graphOutputs.slice(0, 1)) keep.add(o);
  opts.progress?.(`reference: executing ${N} frame${N === 1 ? '' : 's'} of ${modelFile}`);
  const tRef = performance.now();
  const ref = await reference(model, resolver, frames, keep);
  const refMs = performance.now() - tRef;

  const run = node
    ? await simulateNode(hwDir, node, ref, N, opts)
    : await simulateStreams(hwDir, design.top, design.sources.map((f) => path.join(hwDir, f)), { ...topInterface(design.top, design.inputs.map((s) => s.width), design.outputs.map((s) => s.width)), probes: opts.probes }, design.inputs, design.outputs, ref, N, idleTimeout(design.nodes), opts);
  const cycles = run.result.totalCycles;
  const report: SimulateBuildReport = {
    ok: !run.mismatch,
    dir,
    scope: node ? 'node' : 'top',
    module: node ? node.name : design.top,
    simulator: run.simulator,
    frames: N,
    inputs: sources,
    stall,
    seed,
    build: run.build,
    run: { ms: run.result.ms, cycles, cyclesPerSecond: cycles / (run.result.ms / 1000), framesPerSecond: N / (run.result.ms / 1000) },
    reference: run.mismatch
      ? { ok: false, mismatch: run.mismatch, message: `simulated ${describeFrameMismatch(run.mismatch)} (reference executor on model.onnx)`, ms: refMs }
      : { ok: true, message: `bit-exact: ${N} frame${N === 1 ? '' : 's'} on ${(node ? node.outputs : design.outputs).length} output stream(s) match the reference executor`, ms: refMs },
    ms: 0,
  };

  if (!node && opts.probes?.length) report.probes = run.result.probes;
  if (!node) {
    const wpf = design.outputs[0]!.wordsPerFrame!;
    const latency = (run.result.cycles[0]![wpf - 1] ?? cycles - 1) + 1;
    report.performance = rtlsimPerformance({ frames: N, clockNs: design.clockNs, cycles, latencyCycles: latency, inputs: design.inputs, outputs: design.outputs });
    const est = estimatedThroughput(dir);
    if (est) report.estimate = { 'throughput[images/s]': est, ratio: report.performance['throughput[images/s]'] / est };
    mkdirSync(path.join(dir, 'report'), { recursive: true });
    writeFileAtomic(path.join(dir, PERFORMANCE_REPORT), new TextEncoder().encode(`${JSON.stringify(report.performance, null, 2)}\n`));
    report.report = PERFORMANCE_REPORT;

    if (opts.expected) {
      const file = path.resolve(opts.expected);
      const name = graphOutputs[0]!;
      // The top's output is the model's output, or host nodes follow it: then the executor's final output
      // stands for the simulated one, which it equals whenever the partition's outputs matched bit-exactly.
      const direct = design.outputs.findIndex((s) => s.tensor === name);
      const got = direct >= 0 ? stackFrames(run.got[direct]!, design.outputs[direct]!.shape) : stackTensors(ref.get(name)!);
      report.expected = compareExpected(file, opts.readTensor(file), got, name);
      if (!report.expected.ok) report.ok = false;
    }
    if (run.mismatch) report.firstDifferingNode = await localize(hwDir, design, model, resolver, frames[run.mismatch.frame]!, opts);
  }
  report.ms = performance.now() - t0;
  return report;
}
