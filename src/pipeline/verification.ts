/**
 * --verify: runs the input model and the model after every stage on the same inputs and compares the
 * outputs. On a mismatch it re-runs the failing stage transform by transform from the stage's input model
 * to name the first transform that changed the outputs.
 */
import type { Logger } from 'pino';
import { BrainsmithError, errorMessage } from '../errors.js';
import type { Model } from '../ir/model.js';
import { encodeModelProto } from '../onnx/codec.js';
import { parseModel } from '../onnx/load.js';
import type { ExecuteOptions, ExecuteResult, TensorMap } from '../exec/types.js';
import type { Registry } from '../plugins/registry.js';
import type { Stage } from '../plugins/schemas.js';
import { ElemType, elemTypeInfo } from '../tensor/element-type.js';
import { tensorToNumbers, type TensorValue } from '../tensor/tensor-value.js';
import { compareOutputs, describeMismatch, type Comparison, type Tolerance } from './compare.js';
import { applyItem } from './pass-manager.js';
import type { PlanItem } from './plan.js';
import { sampleOf, stackSamples } from '../exec/bind-inputs.js';
import { modelInputs, type BoundInputs } from './verify-inputs.js';

export type ExecuteFn = (model: Model, inputs: TensorMap, opts?: ExecuteOptions) => Promise<ExecuteResult> | ExecuteResult;

/** The executor (src/exec/execute.ts), imported when verification is asked for. */
export async function loadExecutor(): Promise<ExecuteFn> {
  try {
    return (await import('../exec/execute.js')).executeModel;
  } catch (e) {
    throw new BrainsmithError('E_VERIFY_EXECUTOR', `--verify needs the reference executor, which could not be loaded: ${errorMessage(e)}`, { kind: 'work', cause: e });
  }
}

export interface StageCheck {
  stage: Stage;
  ok: boolean;
  ms: number;
  comparison: Comparison;
  /** Op types executed through onnxruntime rather than natively. */
  delegated: string[];
  /** When the stage failed: the first transform after which outputs differed. */
  culprit?: { transform: string; origin: string; position: number; detail: string };
}

export interface VerificationReport {
  ok: boolean;
  /** Samples each model ran on (the batch of the inputs, or 1). */
  samples: number;
  inputs: { name: string; dims: number[]; source: string }[];
  tolerance: Tolerance;
  reference: { ms: number; delegated: string[]; outputs: { name: string; dims: number[] }[] };
  stages: StageCheck[];
  expected?: { file: string; mode: 'values' | 'argmax'; comparison: Comparison; ok: boolean };
  firstFailure?: { stage: Stage; transform?: string; message: string };
}

export class Verifier {
  readonly #reg: Registry;
  readonly #exec: ExecuteFn;
  readonly #inputs: TensorValue[];
  readonly #batch: number;
  readonly #tol: Tolerance;
  readonly #log?: Logger;
  #reference: [string, TensorValue][] = [];
  #stageInput: { bytes: Uint8Array; path?: string } | undefined;
  readonly report: VerificationReport;

  constructor(init: { reg: Registry; exec: ExecuteFn; inputs: BoundInputs; sources: string[]; tol: Tolerance; log?: Logger }) {
    this.#reg = init.reg;
    this.#exec = init.exec;
    this.#inputs = [...init.inputs.inputs.values()];
    this.#batch = init.inputs.batch;
    this.#tol = init.tol;
    this.#log = init.log;
    this.report = {
      ok: true,
      samples: init.inputs.batch,
      inputs: [...init.inputs.inputs].map(([name, t], i) => ({ name, dims: t.dims, source: init.sources[i] ?? 'random' })),
      tolerance: init.tol,
      reference: { ms: 0, delegated: [], outputs: [] },
      stages: [],
    };
  }

  /**
   * Runs `model` on the inputs, bound by position to its own input names; a batch runs sample by sample.
   * Hardware nodes run through their kernel plugins' execute.
   */
  async run(model: Model): Promise<{ outputs: (TensorValue | undefined)[]; names: string[]; delegated: string[]; ms: number }> {
    const specs = modelInputs(model);
    const names = model.graph.outputNames();
    const t0 = performance.now();
    const opts: ExecuteOptions = { resolvers: [await this.#reg.hw.opResolver(model)] };
    const perSample: (TensorValue | undefined)[][] = [];
    const delegated = new Set<string>();
    for (let k = 0; k < this.#batch; k++) {
      const feed: TensorMap = new Map();
      specs.forEach((s, i) => {
        const t = this.#inputs[i];
        if (!t) return;
        const one = this.#batch > 1 ? sampleOf(t, k) : t;
        // Later stages may declare the same input with another (equal-sized) shape.
        feed.set(s.name, s.dims.length && s.dims.reduce((a, b) => a * b, 1) === one.dims.reduce((a, b) => a * b, 1) ? { ...one, dims: s.dims } : one);
      });
      const r = await this.#exec(model, feed, opts);
      r.delegated.forEach((d) => delegated.add(d));
      perSample.push(names.map((n) => r.outputs.get(n)));
    }
    const outputs = names.map((_, j) => {
      const parts = perSample.map((p) => p[j]);
      if (parts.some((p) => p === undefined)) return undefined;
      return parts.length === 1 ? parts[0] : stackSamples(parts as TensorValue[]);
    });
    return { outputs, names, delegated: [...delegated].sort(), ms: performance.now() - t0 };
  }

  /** Executes the input model: its outputs are the reference for every stage. */
  async reference(model: Model): Promise<void> {
    const r = await this.run(model);
    r.outputs.forEach((t, i) => {
      if (!t) throw new BrainsmithError('E_VERIFY_REFERENCE', `the input model did not produce its output '${r.names[i]}'`, { kind: 'work' });
    });
    this.#reference = r.names.map((n, i) => [n, r.outputs[i]!]);
    this.report.reference = { ms: r.ms, delegated: r.delegated, outputs: this.#reference.map(([name, t]) => ({ name, dims: t.dims })) };
    this.#log?.debug({ ms: Math.round(r.ms), delegated: r.delegated }, 'verification: reference outputs computed');
  }

  /** Keeps the stage's input model (serialized) so a failing stage can be replayed transform by transform. */
  stageStart(model: Model): void {
    this.#stageInput = { bytes: encodeModelProto(model.toProto()), path: model.source.path };
  }

  async checkStage(stage: Stage, model: Model, items: readonly PlanItem[]): Promise<StageCheck> {
    const r = await this.run(model);
    const comparison = compareOutputs(this.#reference, r.outputs, this.#tol);
    const check: StageCheck = { stage, ok: comparison.ok, ms: r.ms, comparison, delegated: r.delegated };
    this.report.stages.push(check);
    if (!comparison.ok) {
      this.report.ok = false;
      check.culprit = await this.#bisect(stage, items);
      this.report.firstFailure ??= { stage, transform: check.culprit?.transform, message: describeMismatch(comparison) };
    }
    return check;
  }

  /** Replays the stage from its input, comparing after each transform. */
  async #bisect(stage: Stage, items: readonly PlanItem[]): Promise<StageCheck['culprit']> {
    if (!this.#stageInput) return undefined;
    let model = parseModel(this.#stageInput.bytes, { path: this.#stageInput.path });
    for (const [i, item] of items.entries()) {
      const applied = await applyItem(this.#reg, item, model, stage);
      model = applied.model;
      if (!applied.changed) continue;
      const r = await this.run(model);
      const c = compareOutputs(this.#reference, r.outputs, this.#tol);
      if (!c.ok) return { transform: item.entry.qualifiedName, origin: item.origin, position: i + 1, detail: describeMismatch(c) };
    }
    return undefined;
  }

  /**
   * Compares the final outputs with a golden tensor (`--expected`), first output. A label file (integers,
   * one per row) against scores (one row of classes each) compares the argmax of each row, as golden
   * files of classifiers hold labels.
   */
  async checkExpected(model: Model, file: string, expected: TensorValue): Promise<boolean> {
    const r = await this.run(model);
    const name = r.names[0] ?? 'output';
    let got = r.outputs[0];
    let mode: 'values' | 'argmax' = 'values';
    if (got && isLabelsFor(expected, got)) {
      got = argmaxRows(got);
      mode = 'argmax';
    }
    const comparison = compareOutputs([[name, expected]], [got], this.#tol);
    this.report.expected = { file, mode, comparison, ok: comparison.ok };
    if (!comparison.ok) this.report.ok = false;
    return comparison.ok;
  }
}

function isLabelsFor(labels: TensorValue, scores: TensorValue): boolean {
  const classes = scores.dims.at(-1) ?? 1;
  const n = labels.dims.reduce((a, b) => a * b, 1);
  return elemTypeInfo(labels.elemType).isInteger && !elemTypeInfo(scores.elemType).isInteger && classes > 1 && n * classes === scores.dims.reduce((a, b) => a * b, 1);
}

/** Index of the largest value of each row (last axis), first one on ties, as int64. */
function argmaxRows(t: TensorValue): TensorValue {
  const v = tensorToNumbers(t);
  const classes = t.dims.at(-1)!;
  const rows = v.length / classes;
  const out = new BigInt64Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (v[r * classes + c]! > v[r * classes + best]!) best = c;
    out[r] = BigInt(best);
  }
  return { elemType: ElemType.INT64, dims: t.dims.slice(0, -1), data: out };
}

export { describeMismatch };
