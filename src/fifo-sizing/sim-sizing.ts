/**
 * FIFO sizing by simulation, FINN's largefifo_rtlsim (reference §4.3): every FIFO as deep as the words of its
 * tensor per frame, the stitched design generated into a scratch folder and simulated with Verilator on N
 * frames with a probe on each FIFO's count (GeneratedNode.occupancy), the maximum occupancy (counting a write
 * in progress) rounded with FINN's optimize_depth. The caller generates the sized design and confirms it with
 * `confirmSizing`.
 */
import path from 'node:path';
import { generateHardware } from '../codegen/generate.js';
import { BrainsmithError } from '../errors.js';
import type { Model } from '../ir/model.js';
import { loadModel } from '../onnx/load.js';
import { saveModel } from '../onnx/save.js';
import type { Registry } from '../plugins/registry.js';
import type { FpgaTarget } from '../plugins/types.js';
import { simulateBuild, type SimulateBuildReport } from '../sim/simulate-build.js';
import type { OccupancyProbe } from '../sim/testbench.js';
import { finnFifoDepth } from './dataflow-model.js';
import { applyDepths, dataflowDesign, scratchFolder, type FifoInfo, type FifoSizingReport, type SizingPerformance } from './size.js';

export interface SimSizingOptions {
  target: FpgaTarget;
  clockNs: number;
  prefer?: 'rtl' | 'hls';
  topName?: string;
  /** Frames simulated (default 16). */
  frames?: number;
  cacheDir?: string;
  progress?: (text: string) => void;
}

function noInputFiles(): never {
  throw new BrainsmithError('E_FIFO_SIZING', 'FIFO sizing simulates random frames and reads no input file', { kind: 'work' });
}

export function simPerformance(r: SimulateBuildReport): SizingPerformance {
  const p = r.performance!;
  return { cycles: p.cycles, 'throughput[images/s]': p['throughput[images/s]'], latency_cycles: p.latency_cycles, N: p.N };
}

async function simulateFolder(dir: string, reg: Registry, opts: SimSizingOptions, probes?: OccupancyProbe[]): Promise<SimulateBuildReport> {
  const r = await simulateBuild({ dir, frames: opts.frames ?? 16, simulator: 'verilator', registry: reg, readTensor: noInputFiles, cacheDir: opts.cacheDir, progress: opts.progress, probes });
  if (!r.ok) throw new BrainsmithError('E_FIFO_SIZING', `the design simulated for FIFO sizing (${dir}) does not match the reference executor: ${r.reference.message}`, { kind: 'work' });
  return r;
}

/** FINN's deep FIFO for the sizing run: as deep as the words of its tensor per frame (prod(folded_shape[:-1])). */
export function deepFifoDepth(f: Pick<FifoInfo, 'depth' | 'words'>): number {
  return Math.max(f.depth, f.words, 2);
}

/** Generates `model` with the given FIFO depths into a scratch folder and simulates it. */
async function simulateWithDepths(model: Model, reg: Registry, depths: ReadonlyMap<string, number> | undefined, opts: SimSizingOptions, withProbes: boolean): Promise<{ report: SimulateBuildReport; names: string[] }> {
  const scratch = scratchFolder();
  try {
    const file = path.join(scratch.dir, 'model.onnx');
    await saveModel(model, file);
    const copy = await loadModel(file);
    const d = await dataflowDesign(copy, reg.hw, opts);
    if (depths) applyDepths(d.fifos, depths);
    await saveModel(copy, file);
    const hwDir = path.join(scratch.dir, 'hw');
    await generateHardware(copy, reg, hwDir, { top: opts.topName, target: opts.target, clockNs: opts.clockNs, prefer: opts.prefer });
    const probes: OccupancyProbe[] = [];
    const names: string[] = [];
    if (withProbes) {
      for (const f of d.fifos) {
        const bn = await reg.hw.bind(copy, f.node, { target: opts.target, preferences: opts.prefer ? { all: opts.prefer } : undefined });
        const occ = (await bn.generate())?.occupancy;
        if (!occ) throw new BrainsmithError('E_FIFO_SIZING', `FIFO '${f.name}': its backend ${bn.backendComponent} exposes no occupancy probe (GeneratedNode.occupancy), so simulation cannot size it; use --fifo-sizing model`, { kind: 'input' });
        probes.push({ count: `${f.name}.${occ.count}`, push: `${f.name}.${occ.push}` });
        names.push(f.name);
      }
    }
    return { report: await simulateFolder(scratch.dir, reg, opts, withProbes ? probes : undefined), names };
  } finally {
    scratch.remove();
  }
}

/**
 * Sizes the FIFOs of `model` by simulation and writes the depths into it. The report lacks `after`, which
 * `confirmSizing` adds from the simulation of the final build.
 */
export async function sizeFifosBySim(model: Model, reg: Registry, opts: SimSizingOptions): Promise<FifoSizingReport> {
  const t0 = performance.now();
  const d = await dataflowDesign(model, reg.hw, opts);
  if (d.fifos.length === 0) throw new BrainsmithError('E_FIFO_SIZING', 'the design has no FIFOs to size (InsertFIFO did not run?)', { kind: 'input' });
  opts.progress?.('FIFO sizing: the design as it came');
  let before: SizingPerformance | undefined;
  let deadlockBefore: string | undefined;
  try {
    before = simPerformance((await simulateWithDepths(model, reg, undefined, opts, false)).report);
  } catch (e) {
    if (!(e instanceof BrainsmithError && e.code === 'E_SIM_DEADLOCK')) throw e;
    deadlockBefore = e.message;
  }
  const deepDepths = new Map(d.fifos.map((f) => [f.name, deepFifoDepth(f)]));
  opts.progress?.('FIFO sizing: every FIFO deep, with occupancy probes');
  const deep = await simulateWithDepths(model, reg, deepDepths, opts, true);
  const probes = deep.report.probes ?? [];
  const measured = new Map(deep.names.map((n, i) => [n, probes[i] ?? 0]));
  const depths = new Map(d.fifos.map((f) => [f.name, finnFifoDepth(measured.get(f.name) ?? 0)]));
  applyDepths(d.fifos, depths);
  return {
    method: 'sim',
    frames: opts.frames ?? 16,
    fifos: d.fifos.map((f) => ({ name: f.name, width: f.width, depth_before: f.depth, depth_after: depths.get(f.name)!, max_occupancy: measured.get(f.name) ?? 0 })),
    total_fifo_bits: { before: d.fifos.reduce((a, f) => a + f.width * f.depth, 0), after: d.fifos.reduce((a, f) => a + f.width * depths.get(f.name)!, 0) },
    throughput: { ...(before ? { before } : {}), deep: simPerformance(deep.report) },
    ...(deadlockBefore ? { deadlock_before: deadlockBefore } : {}),
    ms: performance.now() - t0,
  };
}

/**
 * The second simulation: the final build folder (model.onnx and hw/ with the sized FIFOs) on the same frames;
 * fills `after` and `ratio`. Returns false when throughput fell below 99% of the deep run.
 */
export async function confirmSizing(report: FifoSizingReport, dir: string, reg: Registry, opts: SimSizingOptions): Promise<boolean> {
  const t0 = performance.now();
  opts.progress?.('FIFO sizing: confirming the sized design');
  const r = await simulateFolder(dir, reg, opts);
  report.throughput.after = simPerformance(r);
  report.ratio = report.throughput.after['throughput[images/s]'] / report.throughput.deep['throughput[images/s]'];
  report.ms += performance.now() - t0;
  return report.ratio >= 0.99;
}
