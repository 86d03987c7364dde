/**
 * SetFolding (finn-qonnx reference §2): for each node in graph order, reset its walked parameters to 1 and
 * walk each one's divisors in ascending order, stopping at the first value whose cycles are at most the
 * target (`cyc <= target_cycles_per_frame`, as finn-plus has it; some FINN versions stop strictly below).
 * A parameter with a width cost checks cycles first (a step that meets the target is kept even if
 * too wide, as in FINN), and only then, if the step is wider than the cap, reverts to the previous value
 * and stops. A node still over target at a parameter's maximum turns on that parameter's switch (FINN: an
 * SWG_rtl's parallel_window); a followed producer's switch is set from its consumer's parameter (VVAU
 * SIMD > 1). Unlike an attribute on FINN's model, the switch is off again while the parameter is re-walked
 * in the second pass, so it never ends up on below the maximum it needs.
 * When the slowest node still misses the target, a second pass re-folds every node against the cycles
 * actually reached, starting from the first pass's values (FINN reruns on the folded model), so that the
 * rest of the pipeline is balanced to the bottleneck instead of over-provisioned.
 */
import { BrainsmithError } from '../errors.js';
import { divisors } from '../util/divisors.js';
import type { FoldableNode } from './foldable.js';

export interface SetFoldingOptions {
  /** Target cycles per frame: FINN's int((1e9/clock_ns)/target_fps). */
  targetCycles: number;
  /** Cap on width-costed parameters × their bits (FINN: mvau_wwidth_max, default 36). */
  wwidthMax?: number;
  /** Second pass at the achieved bottleneck cycles when the target is missed (default true). */
  twoPassRelaxation?: boolean;
  /**
   * A node whose parameter drives its producer's (a Pool's or VVAU's PE sets the depthwise SWG's SIMD) walks
   * until both meet the target. FINN looks at the consumer alone (false, the default), which can leave the
   * SWG, slower at the same value, as the bottleneck above the target being folded to.
   */
  followerCycles?: boolean;
}

export interface FoldingResult {
  /** Chosen values per node, in input order. */
  values: Record<string, number>[];
  cycles: number[];
  maxCycles: number;
  /** Name of the slowest node ('' when there are no nodes). */
  bottleneck: string;
  /** The target of the last pass (the achieved first-pass maximum after relaxation). */
  targetCycles: number;
  passes: 1 | 2;
  /** Slowest node of the first pass, when a second pass ran. */
  relaxedFrom?: { node: string; cycles: number };
}

export const DEFAULT_WWIDTH_MAX = 36;

/** FINN's target cycles per frame for a throughput at a clock. */
export function targetCyclesFor(targetFps: number, clockNs: number): number {
  if (!(targetFps > 0) || !Number.isFinite(targetFps)) throw new BrainsmithError('E_USAGE', `target fps must be a positive number, got ${targetFps}`, { kind: 'usage' });
  if (!(clockNs > 0) || !Number.isFinite(clockNs)) throw new BrainsmithError('E_USAGE', `clock period must be a positive number of ns, got ${clockNs}`, { kind: 'usage' });
  return Math.floor(1e9 / clockNs / targetFps);
}

const divisorCache = new Map<number, number[]>();
function divisorsOf(n: number): number[] {
  let d = divisorCache.get(n);
  if (!d) {
    d = divisors(n);
    divisorCache.set(n, d);
  }
  return d;
}

/** Cycles a node's folding is judged by: its own, or (followerCycles) also those of the producer it drives. */
type CostFn = (values: Readonly<Record<string, number>>) => number;

function foldNode(n: FoldableNode, values: Record<string, number>, target: number, cap: number, cost: CostFn = n.cycles): void {
  for (const p of n.params) {
    if (p.mode !== 'walk') continue;
    values[p.name] = 1;
    // A switch is legal only at its parameter's maximum (parallel_window needs SIMD = C): off while walking.
    if (p.overTargetSwitch !== undefined) values[p.overTargetSwitch] = 0;
  }
  for (const p of n.params) {
    if (p.mode !== 'walk') continue;
    for (const d of divisorsOf(p.size)) {
      const previous = values[p.name]!;
      values[p.name] = d;
      if (cost(values) <= target) break;
      if (p.widthBits !== undefined && d * p.widthBits > cap) {
        values[p.name] = previous;
        break;
      }
    }
    if (p.overTargetSwitch !== undefined && values[p.name] === p.size && n.cycles(values) > target) values[p.overTargetSwitch] = 1;
    if (cost(values) <= target) break;
  }
}

/** Sets the producer's followed parameters and switches from the consumer's values. */
function driveProducer(consumer: FoldableNode, values: Record<string, number>, producer: FoldableNode, prodValues: Record<string, number>): void {
  for (const p of consumer.params) {
    if (p.drivesProducer === undefined) continue;
    const follower = producer.params.find((q) => q.name === p.drivesProducer && q.mode === 'follow');
    if (follower) prodValues[follower.name] = values[p.name]!;
  }
  for (const q of producer.params) {
    if (q.mode !== 'follow' || q.followSwitch === undefined) continue;
    prodValues[q.followSwitch.attribute] = (values[q.followSwitch.whenConsumer] ?? 0) > 1 ? 1 : 0;
  }
}

function onePass(nodes: readonly FoldableNode[], start: readonly Record<string, number>[], target: number, cap: number, followers: boolean): Record<string, number>[] {
  const out = start.map((v) => ({ ...v }));
  for (const [i, n] of nodes.entries()) {
    const values = out[i]!;
    const prod = n.producer !== undefined && n.params.some((p) => p.drivesProducer !== undefined) ? n.producer : undefined;
    let cost: CostFn | undefined;
    if (followers && prod !== undefined) {
      const producer = nodes[prod]!;
      cost = (v) => {
        const driven = { ...out[prod]! };
        driveProducer(n, v, producer, driven);
        return Math.max(n.cycles(v), producer.cycles(driven));
      };
    }
    foldNode(n, values, target, cap, cost);
    if (n.producer !== undefined) driveProducer(n, values, nodes[n.producer]!, out[n.producer]!);
  }
  return out;
}

function summarize(nodes: readonly FoldableNode[], values: Record<string, number>[]): { cycles: number[]; max: number; at: string } {
  const cycles = nodes.map((n, i) => n.cycles(values[i]!));
  let max = 0;
  let at = '';
  for (const [i, c] of cycles.entries()) {
    if (c > max || at === '') {
      max = Math.max(max, c);
      at = nodes[i]!.name;
    }
  }
  return { cycles, max, at };
}

export function setFolding(nodes: readonly FoldableNode[], opts: SetFoldingOptions): FoldingResult {
  const target = opts.targetCycles;
  if (!(target > 0) || !Number.isFinite(target)) {
    throw new BrainsmithError('E_USAGE', `target cycles per frame must be a positive number, got ${target} (is the target fps above the clock frequency?)`, { kind: 'usage' });
  }
  const cap = opts.wwidthMax ?? DEFAULT_WWIDTH_MAX;
  const followers = opts.followerCycles ?? false;
  let values = onePass(nodes, nodes.map((n) => n.values), target, cap, followers);
  let s = summarize(nodes, values);
  if ((opts.twoPassRelaxation ?? true) && s.max > target) {
    const first = { node: s.at, cycles: s.max };
    values = onePass(nodes, values, first.cycles, cap, followers);
    s = summarize(nodes, values);
    return { values, cycles: s.cycles, maxCycles: s.max, bottleneck: s.at, targetCycles: first.cycles, passes: 2, relaxedFrom: first };
  }
  return { values, cycles: s.cycles, maxCycles: s.max, bottleneck: s.at, targetCycles: target, passes: 1 };
}
