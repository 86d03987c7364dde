/**
 * Runs a plan over a model: stages in order, transforms in order within a stage, fixpoint repetition where
 * asked, the graph verifier after every application (naming the transform that broke the graph), timing,
 * host events, and --stop-after / --start-from.
 */
import type { Logger } from 'pino';
import { BrainsmithError } from '../errors.js';
import { classifyDomain } from '../ir/domains.js';
import type { Model } from '../ir/model.js';
import { assertGraphValid } from '../ir/verify.js';
import type { Registry } from '../plugins/registry.js';
import { applyTransform, runStep } from '../plugins/runtime.js';
import { STAGES, normalizeStage, type Stage } from '../plugins/schemas.js';
import { hardwareNodes, publishMappedKernels } from './kernel-events.js';
import type { Plan, PlanItem, StagePlan } from './plan.js';

export interface ItemResult {
  stage: Stage;
  /** Qualified name of the transform or step. */
  name: string;
  kind: 'transform' | 'step';
  /** Applications (more than one for fixpoint transforms). */
  runs: number;
  changed: boolean;
  ms: number;
  /** Op types whose node count this item changed. */
  opTypesChanged: string[];
}

export interface StageResult {
  stage: Stage;
  /** 1-based position among the stages that ran. */
  index: number;
  ms: number;
  changed: boolean;
  items: ItemResult[];
  /** True when --stop-after named a transform inside this stage. */
  partial: boolean;
}

export interface ProgressInfo {
  stage: Stage;
  stageIndex: number;
  stageCount: number;
  item: string;
  itemIndex: number;
  itemCount: number;
}

export interface RunHooks {
  /** Before each stage runs, with the stage's input model. */
  stageStart?(stage: Stage, model: Model): void | Promise<void>;
  /** After each stage, with its output model (save, verify). */
  stageEnd?(result: StageResult, model: Model): void | Promise<void>;
  progress?(p: ProgressInfo): void;
}

export interface RunOptions {
  stopAfter?: string;
  startFrom?: string;
  log?: Logger;
  hooks?: RunHooks;
}

export interface RunResult {
  model: Model;
  stages: StageResult[];
  ms: number;
  /** Op types (as in the input model) whose node count some transform changed. */
  touchedOpTypes: Set<string>;
  stoppedAfter?: string;
}

/** Standard ONNX and QONNX/FINN general ops by bare op type; other domains qualified. */
export function opTypeKey(opType: string, domain: string): string {
  const kind = classifyDomain(domain);
  return kind === 'onnx' || kind === 'qonnx' ? opType : `${domain}:${opType}`;
}

export function opTypeHistogram(model: Model): Map<string, number> {
  const h = new Map<string, number>();
  for (const n of model.graph.nodeList()) {
    const k = opTypeKey(n.opType, n.domain);
    h.set(k, (h.get(k) ?? 0) + 1);
  }
  return h;
}

function histogramDiff(a: Map<string, number>, b: Map<string, number>): string[] {
  const out: string[] = [];
  for (const [k, v] of a) if (b.get(k) !== v) out.push(k);
  for (const k of b.keys()) if (!a.has(k)) out.push(k);
  return out;
}

export interface AppliedItem {
  model: Model;
  changed: boolean;
  runs: number;
  ms: number;
}

/**
 * Applies one plan item (repeating to a fixpoint if asked) and verifies the graph after each application that
 * ran. The graph is verified after every application, so a transform that edits the graph behind the mutation
 * counter and reports false is still caught and named.
 */
export async function applyItem(reg: Registry, item: PlanItem, model: Model, stage: Stage): Promise<AppliedItem> {
  const t0 = performance.now();
  let changed = false;
  let runs = 0;
  for (;;) {
    let changedNow: boolean;
    const version = model.graph.version;
    if (item.kind === 'step') {
      const out = await runStep(reg, item.entry, model, item.options);
      // Steps do not report changes; assume they made one (so fixpoints and bisection stay conservative).
      changedNow = true;
      model = out;
    } else {
      changedNow = (await applyTransform(reg, item.entry, model, item.options)).changed;
    }
    runs++;
    // After every application of plugin code, not only those that changed the graph by its counter: a
    // transform that edits node.inputs in place is invisible to the counter, and the next transform would be
    // blamed for its damage. A built-in that reported no change and left the counter alone is taken at its
    // word (most applications of a compile; verifying after each was a tenth of a short compile).
    const unchanged = !changedNow && model.graph.version === version;
    const trusted = item.kind === 'transform' && unchanged && item.entry.plugin.source === 'builtin';
    const said = item.kind === 'step' || !unchanged ? '' : ', which reported no change';
    if (!trusted) assertGraphValid(model.graph, `after ${item.kind} ${item.entry.qualifiedName} (stage ${stage}${runs > 1 ? `, application ${runs}` : ''}${said})`);
    changed ||= changedNow;
    if (!item.fixpoint || !changedNow || item.kind === 'step') break;
    if (runs >= item.maxRuns) {
      throw new BrainsmithError(
        'E_FIXPOINT',
        `transform ${item.entry.qualifiedName} (stage ${stage}, ${item.origin}) still changed the model after ${runs} applications; it does not reach a fixpoint (raise repeat: N, or fix the transform)`,
        { kind: 'work', file: item.entry.file },
      );
    }
  }
  return { model, changed, runs, ms: performance.now() - t0 };
}

let lastYield = 0;
/**
 * Lets the event loop turn between transforms now and then (every 50 ms): a command running in the main
 * thread (the CLI without plugins from outside) handles Ctrl-C there, removing the partial build folder.
 * After plugin code from outside, always: a promise it left rejected, or a throw from a timer it set, is
 * then caught while its transform is still the one to name (the model saves no longer wait on the thread
 * pool, which used to give those a turn).
 */
async function yieldNowAndThen(always: boolean): Promise<void> {
  const now = performance.now();
  if (!always && now - lastYield < 50) return;
  lastYield = now;
  await new Promise((resolve) => setImmediate(resolve));
}

/** Resolves --start-from (a stage) to the first stage index to run. */
function startIndex(startFrom: string | undefined): number {
  if (!startFrom) return 0;
  const s = normalizeStage(startFrom);
  if (!s) throw new BrainsmithError('E_USAGE', `--start-from '${startFrom}': expected a stage (${STAGES.join(', ')})`, { kind: 'usage' });
  return STAGES.indexOf(s);
}

type Stop = { stage: number; item?: number };

/** Resolves --stop-after: a stage name, or a transform/step in the plan (its first occurrence from the start stage). */
function stopPoint(plan: Plan, stopAfter: string | undefined, first: number): Stop | undefined {
  if (!stopAfter) return undefined;
  const s = normalizeStage(stopAfter);
  if (s) {
    const i = STAGES.indexOf(s);
    if (i < first) throw new BrainsmithError('E_USAGE', `--stop-after ${stopAfter} comes before --start-from ${STAGES[first]}`, { kind: 'usage' });
    return { stage: i };
  }
  for (let si = first; si < plan.stages.length; si++) {
    const items = plan.stages[si]!.items;
    const i = items.findIndex((it) => it.entry.name === stopAfter || it.entry.qualifiedName === stopAfter);
    if (i >= 0) return { stage: si, item: i };
  }
  const names = plan.stages.slice(first).flatMap((st) => st.items.map((it) => it.entry.name));
  throw new BrainsmithError('E_USAGE', `--stop-after '${stopAfter}' is neither a stage (${STAGES.join(', ')}) nor a transform of the blueprint${names.length ? ` (it runs: ${[...new Set(names)].join(', ')})` : ''}`, { kind: 'usage' });
}

/** Checks --start-from/--stop-after against a plan without running anything (usage errors come first). */
export function checkRunOptions(plan: Plan, opts: Pick<RunOptions, 'startFrom' | 'stopAfter'>): void {
  stopPoint(plan, opts.stopAfter, startIndex(opts.startFrom));
}

export async function runPlan(reg: Registry, plan: Plan, model: Model, opts: RunOptions = {}): Promise<RunResult> {
  const t0 = performance.now();
  const first = startIndex(opts.startFrom);
  const stop = stopPoint(plan, opts.stopAfter, first);
  const last = stop ? stop.stage : plan.stages.length - 1;
  const toRun: StagePlan[] = plan.stages.slice(first, last + 1);
  const touched = new Set<string>();
  const results: StageResult[] = [];
  reg.events.publish('pipeline:start', { blueprint: plan.blueprint.name, stages: toRun.map((s) => s.stage), model: model.source.path });
  let ok = false;
  try {
    for (const [k, sp] of toRun.entries()) {
      const stageNo = first + k;
      const items = stop && stop.stage === stageNo && stop.item !== undefined ? sp.items.slice(0, stop.item + 1) : sp.items;
      await opts.hooks?.stageStart?.(sp.stage, model);
      reg.events.publish('stage:start', { stage: sp.stage, transforms: items.map((i) => i.entry.qualifiedName) });
      opts.log?.info(`stage ${sp.stage}: ${items.length} transform${items.length === 1 ? '' : 's'}`);
      const ts = performance.now();
      const itemResults: ItemResult[] = [];
      // Kept current across items and recounted only after an item that changed the model: O(N) per change,
      // not per item.
      let histogram = opTypeHistogram(model);
      let hwNodes = hardwareNodes(model);
      for (const [i, item] of items.entries()) {
        opts.hooks?.progress?.({ stage: sp.stage, stageIndex: k + 1, stageCount: toRun.length, item: item.entry.name, itemIndex: i + 1, itemCount: items.length });
        const version = model.graph.version;
        const r = await applyItem(reg, item, model, sp.stage);
        model = r.model;
        await yieldNowAndThen(item.entry.plugin.source !== 'builtin');
        let diff: string[] = [];
        if (r.changed || model.graph.version !== version) {
          const after = opTypeHistogram(model);
          diff = histogramDiff(histogram, after);
          histogram = after;
          hwNodes = publishMappedKernels(reg.events, model, hwNodes, { transform: item.entry.qualifiedName, stage: sp.stage });
        }
        for (const t of diff) touched.add(t);
        itemResults.push({ stage: sp.stage, name: item.entry.qualifiedName, kind: item.kind, runs: r.runs, changed: r.changed, ms: r.ms, opTypesChanged: diff });
        opts.log?.debug({ stage: sp.stage, transform: item.entry.qualifiedName, changed: r.changed, runs: r.runs, ms: Math.round(r.ms * 1000) / 1000 }, `${item.entry.name}${r.changed ? ' changed the model' : ''}`);
      }
      const result: StageResult = {
        stage: sp.stage,
        index: k + 1,
        ms: performance.now() - ts,
        changed: itemResults.some((r) => r.changed),
        items: itemResults,
        partial: items.length !== sp.items.length,
      };
      results.push(result);
      reg.events.publish('stage:end', { stage: sp.stage, ms: result.ms, changed: result.changed, nodes: model.graph.nodeCount });
      await opts.hooks?.stageEnd?.(result, model);
    }
    ok = true;
  } finally {
    reg.events.publish('pipeline:end', { ok, ms: performance.now() - t0, stages: results.map((r) => r.stage) });
  }
  const stoppedAfter = stop ? (stop.item !== undefined ? plan.stages[stop.stage]!.items[stop.item]!.entry.name : STAGES[stop.stage]) : undefined;
  return { model, stages: results, ms: performance.now() - t0, touchedOpTypes: touched, stoppedAfter };
}
