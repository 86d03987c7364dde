/**
 * FIFO sizing (`compile --fifo-sizing model|sim`). Both find, for every StreamingFIFO (any node whose stream
 * behaviour says `fifo`), the most words it holds while the design runs with every FIFO deep, set its depth to
 * that with FINN's rounding (optimize_depth, reference §4.3) and check that throughput stays and nothing
 * deadlocks:
 * - `model`: the dataflow model (dataflow-model.ts) on the kernels' stream behaviours, no HDL simulator;
 * - `sim`: FINN's largefifo_rtlsim: every FIFO as deep as its tensor, the stitched design simulated with
 *   Verilator on N frames with an occupancy probe per FIFO, then the sized design simulated again.
 * Depths are written into the model's `depth` attributes; the report is FINN-like `report/fifo_sizing.json`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dataflowPartition } from '../codegen/partition.js';
import { BrainsmithError } from '../errors.js';
import { setInt } from '../ir/attributes.js';
import type { Model } from '../ir/model.js';
import type { Node } from '../ir/node.js';
import type { HwApi } from '../hw/types.js';
import type { BackendLanguage } from '../plugins/schemas.js';
import type { FpgaTarget } from '../plugins/types.js';
import { finnFifoDepth, runDataflow, type DataflowNode, type DataflowResult } from './dataflow-model.js';

export type FifoSizingMethod = 'sim' | 'model';

export interface FifoInfo {
  name: string;
  node: Node;
  /** Stream width in bits (unpadded). */
  width: number;
  depth: number;
  /** Words per frame through it. */
  words: number;
}

export interface DataflowDesign {
  nodes: DataflowNode[];
  fifos: FifoInfo[];
}

export interface BindTarget {
  target?: FpgaTarget;
  prefer?: BackendLanguage;
}

/** The model's dataflow partition as the dataflow model sees it: each node's behaviour and streams. */
export async function dataflowDesign(model: Model, hw: HwApi, opts: BindTarget = {}): Promise<DataflowDesign> {
  const part = dataflowPartition(model);
  const nodes: DataflowNode[] = [];
  const fifos: FifoInfo[] = [];
  for (const node of part.nodes) {
    const bn = await hw.bind(model, node, { target: opts.target, preferences: opts.prefer ? { all: opts.prefer } : undefined });
    const behaviour = bn.streamBehaviour();
    const inputs = part.streamInputs.get(node) ?? [];
    const outputs = node.outputs.filter(Boolean);
    for (const [what, n] of [['in', inputs.length], ['out', outputs.length]] as const) {
      for (let i = 0; i < n; i++) {
        if (!(`${what}${i}` in behaviour.words)) throw new BrainsmithError('E_FIFO_MODEL', `node '${node.name}' (${node.opType}): its stream behaviour does not describe stream ${what}${i}`, { kind: 'input' });
      }
    }
    nodes.push({ name: node.name, behaviour, inputs, outputs });
    if (behaviour.fifo) {
      fifos.push({ name: node.name, node, width: bn.streamWidths()?.inputs[0] ?? 0, depth: behaviour.fifo.depth, words: behaviour.words.in0 ?? 0 });
    }
  }
  return { nodes, fifos };
}

export interface SizingPerformance {
  cycles: number;
  'throughput[images/s]': number;
  latency_cycles: number;
  N: number;
}

export interface FifoSizingReport {
  method: FifoSizingMethod;
  /** Frames of each run. */
  frames: number;
  fifos: Array<{ name: string; width: number; depth_before: number; depth_after: number; max_occupancy: number }>;
  total_fifo_bits: { before: number; after: number };
  /**
   * before: the FIFOs as they came (depth 2 from InsertFIFO); deep: every FIFO deep (the reference); after:
   * the sized FIFOs. Predicted by the model, or measured by simulation.
   */
  throughput: { before?: SizingPerformance; deep: SizingPerformance; after?: SizingPerformance };
  /** after / deep throughput. */
  ratio?: number;
  /** Why the design as it came deadlocks (naming the FIFO), when it does. */
  deadlock_before?: string;
  ms: number;
}

export function performanceOf(cycles: number, latency: number, frames: number, clockNs: number): SizingPerformance {
  return { cycles, 'throughput[images/s]': cycles > 0 ? frames / (cycles * clockNs * 1e-9) : 0, latency_cycles: latency, N: frames };
}

const fromModel = (r: DataflowResult, clockNs: number): SizingPerformance => performanceOf(r.cycles, r.latency, r.frames, clockNs);

/** Writes depths into the FIFO nodes' `depth` attributes. */
export function applyDepths(fifos: readonly FifoInfo[], depths: ReadonlyMap<string, number>): void {
  for (const f of fifos) {
    const d = depths.get(f.name);
    if (d !== undefined && d !== f.depth) setInt(f.node, 'depth', d);
  }
}

function totalBits(fifos: readonly FifoInfo[], depth: (f: FifoInfo) => number): number {
  return fifos.reduce((a, f) => a + f.width * depth(f), 0);
}

function deadlockError(r: DataflowResult, what: string): BrainsmithError {
  return new BrainsmithError('E_FIFO_DEADLOCK', `${what}: ${r.deadlock?.message ?? 'deadlock'}`, { kind: 'input' });
}

export interface ModelSizingOptions extends BindTarget {
  clockNs: number;
  /** Frames the model runs (default 16, as the simulation). */
  frames?: number;
}

/** Sizes the FIFOs of `model` with the dataflow model and writes the depths into it. */
export async function sizeFifosByModel(model: Model, hw: HwApi, opts: ModelSizingOptions): Promise<FifoSizingReport> {
  const t0 = performance.now();
  const frames = opts.frames ?? 16;
  const d = await dataflowDesign(model, hw, opts);
  const before = runDataflow(d.nodes, { frames });
  // Every FIFO deep with the input as fast as the design takes it: the design's own rate...
  const free = runDataflow(d.nodes, { frames, deep: true });
  if (!free.ok) throw deadlockError(free, 'the design deadlocks even with unbounded FIFOs');
  // ...then the input spread evenly at that rate, so that FIFOs in front of the slowest node do not fill up
  // with frames the design cannot take any faster (FINN's Python sizing drives its input this way too).
  const deep = runDataflow(d.nodes, { frames, deep: true, sourceInterval: free.interval });
  const depths = new Map(deep.fifos.map((f) => [f.name, finnFifoDepth(f.needed)]));
  let after = runDataflow(d.nodes, { frames, depths: Object.fromEntries(depths) });
  // A FIFO that still holds the design back (the input arrives in bursts, not evenly): take its deep need.
  for (let round = 0; round < 4 && (!after.ok || after.cycles > free.cycles * 1.005); round++) {
    const unthrottled = new Map(free.fifos.map((f) => [f.name, f.needed]));
    const full = new Set(after.deadlock?.fullFifos ?? after.fifos.filter((f) => f.needed >= f.depth).map((f) => f.name));
    for (const name of full) depths.set(name, finnFifoDepth(Math.max(depths.get(name)!, unthrottled.get(name) ?? 0)));
    after = runDataflow(d.nodes, { frames, depths: Object.fromEntries(depths) });
  }
  if (!after.ok) throw deadlockError(after, 'the sized FIFOs deadlock');
  const report: FifoSizingReport = {
    method: 'model',
    frames,
    fifos: d.fifos.map((f) => ({ name: f.name, width: f.width, depth_before: f.depth, depth_after: depths.get(f.name)!, max_occupancy: deep.fifos.find((x) => x.name === f.name)!.maxCount })),
    total_fifo_bits: { before: totalBits(d.fifos, (f) => f.depth), after: totalBits(d.fifos, (f) => depths.get(f.name)!) },
    throughput: { ...(before.ok ? { before: fromModel(before, opts.clockNs) } : {}), deep: fromModel(free, opts.clockNs), after: fromModel(after, opts.clockNs) },
    ratio: free.cycles / after.cycles,
    ...(before.ok ? {} : { deadlock_before: before.deadlock!.message }),
    ms: 0,
  };
  applyDepths(d.fifos, depths);
  report.ms = performance.now() - t0;
  return report;
}

/** A temporary folder for the deep-FIFO design, removed afterwards. */
export function scratchFolder(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'brainsmith-fifo-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
