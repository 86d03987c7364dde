/**
 * Turns a blueprint into a plan: step edits applied, every name resolved through the registry and every
 * option set validated, all before anything runs. Errors name the blueprint file and the path in it.
 */
import { z } from 'zod';
import { BrainsmithError, errorMessage } from '../errors.js';
import type { ComponentEntry } from '../plugins/entry.js';
import type { Registry } from '../plugins/registry.js';
import { STAGES, type Stage } from '../plugins/schemas.js';
import type { TransformDeclaration } from '../plugins/types.js';
import { validateOptions } from '../plugins/runtime.js';
import type { Blueprint, StageEntry } from './blueprint-schema.js';
import { resolveOptionVariables, variablesUsed, type BlueprintVars } from './blueprint-vars.js';

/** Applications allowed for `repeat: true` before a transform that keeps changing the model is an error. */
export const DEFAULT_FIXPOINT_LIMIT = 50;

export interface PlanItem {
  kind: 'transform' | 'step';
  entry: ComponentEntry;
  options: Record<string, unknown>;
  /** Maximum applications; 1 = run once. */
  maxRuns: number;
  /** Repeat until the transform reports no change (error if still changing after maxRuns). */
  fixpoint: boolean;
  /** `file: stages.topology[3]`, for messages. */
  origin: string;
}

export interface StagePlan {
  stage: Stage;
  items: PlanItem[];
}

export interface Plan {
  blueprint: Blueprint;
  stages: StagePlan[];
  /** The compile settings (`${target_fps}`, …) that some option of the plan refers to. */
  variables: Set<string>;
  /** Things worth a warning that do not stop the compile (a transform run before its declared stage). */
  warnings: string[];
}

interface Draft {
  kind: 'transform' | 'step';
  name: string;
  options: Record<string, unknown>;
  repeat: boolean | number | undefined;
  file: string;
  path: string;
  /** Options set by an `options:` overlay → where it was written (for messages about that key). */
  overlaid?: Record<string, { file: string; path: string }>;
}

function draftOf(e: StageEntry): Draft {
  const r = e.ref;
  if (typeof r === 'string') return { kind: 'transform', name: r, options: {}, repeat: undefined, file: e.file, path: e.path };
  return { kind: 'transform', name: r.name, options: r.options ?? {}, repeat: r.repeat, file: e.file, path: e.path };
}

function where(file: string, p: string): string {
  return `${file}: ${p}`;
}

/** Resolves a name as the user wrote it, with the table's suggestions, and a hint when it is another kind. */
function resolve(reg: Registry, kind: 'transform' | 'step', name: string, at: string): ComponentEntry {
  const table = kind === 'transform' ? reg.transforms : reg.steps;
  const hit = table.tryGet(name);
  if (hit) return hit;
  const other = reg.lookupAny(name).find((e) => e.kind !== kind);
  if (other) {
    const hint = other.kind === 'step' ? " (it is a step: insert it under steps: with before/after/replace)" : ` (it is a ${other.kind})`;
    throw new BrainsmithError('E_PLUGIN_NOT_FOUND', `${at}: '${name}' is not a ${kind}${hint}`, { kind: 'input' });
  }
  try {
    table.get(name);
  } catch (e) {
    throw new BrainsmithError('E_PLUGIN_NOT_FOUND', `${at}: ${errorMessage(e)}`, { kind: 'input', cause: e });
  }
  throw new Error('unreachable');
}

function sameComponent(reg: Registry, written: string, entry: ComponentEntry): boolean {
  return written === entry.name || written === entry.qualifiedName || reg.transforms.tryGet(written) === entry;
}

/** Applies `steps:` edits to the per-stage drafts. Insertions go next to the first occurrence; remove drops all. */
function applyEdits(reg: Registry, bp: Blueprint, drafts: Record<Stage, Draft[]>): void {
  for (const { edit, file, path } of bp.steps) {
    const targetName = 'remove' in edit ? edit.remove : 'before' in edit ? edit.before : 'after' in edit ? edit.after : edit.replace;
    const key = 'remove' in edit ? 'remove' : 'before' in edit ? 'before' : 'after' in edit ? 'after' : 'replace';
    const at = where(file, `${path}.${key}`);
    const target = resolve(reg, 'transform', targetName, at);
    let found = false;
    for (const stage of STAGES) {
      const list = drafts[stage];
      if ('remove' in edit) {
        const kept = list.filter((d) => !(d.kind === 'transform' && sameComponent(reg, d.name, target)));
        if (kept.length !== list.length) found = true;
        drafts[stage] = kept;
        continue;
      }
      if (found) continue;
      const i = list.findIndex((d) => d.kind === 'transform' && sameComponent(reg, d.name, target));
      if (i < 0) continue;
      found = true;
      const step: Draft = { kind: 'step', name: edit.step, options: edit.options ?? {}, repeat: undefined, file, path: `${path}.step` };
      if ('before' in edit) list.splice(i, 0, step);
      else if ('after' in edit) list.splice(i + 1, 0, step);
      else list.splice(i, 1, step);
    }
    // An inherited edit whose transform the child's stage lists dropped no longer applies.
    if (!found && file !== bp.files[0]) continue;
    if (!found) {
      throw new BrainsmithError('E_BLUEPRINT_INVALID', `${at}: transform '${targetName}' is not in any stage of blueprint '${bp.name}'`, { kind: 'input', file });
    }
  }
}

/**
 * Lays the blueprint's `options:` overlays over every draft of the component they name, key by key, later
 * files over earlier ones. An overlay for a component the plan does not run is an error, unless it was
 * inherited and the child's stages dropped that component.
 */
function applyOverlays(reg: Registry, bp: Blueprint, drafts: Record<Stage, Draft[]>): void {
  for (const o of bp.options) {
    const at = where(o.file, o.path);
    const hit = reg.transforms.tryGet(o.name) ?? reg.steps.tryGet(o.name);
    const target = hit ?? resolve(reg, 'transform', o.name, at);
    let found = false;
    for (const stage of STAGES) {
      for (const d of drafts[stage]) {
        const table = d.kind === 'transform' ? reg.transforms : reg.steps;
        if (!(d.name === target.name || d.name === target.qualifiedName || table.tryGet(d.name) === target)) continue;
        found = true;
        d.options = { ...d.options, ...o.values };
        d.overlaid ??= {};
        for (const k of Object.keys(o.values)) d.overlaid[k] = { file: o.file, path: `${o.path}.${k}` };
      }
    }
    if (!found && o.file === bp.files[0]) {
      throw new BrainsmithError('E_BLUEPRINT_INVALID', `${at}: ${target.kind} '${o.name}' is not in any stage of blueprint '${bp.name}'`, { kind: 'input', file: o.file });
    }
  }
}

/** Validates options like the runtime does, but reports the path in the blueprint (`…options.tol`). */
function checkOptions(entry: ComponentEntry, schema: z.ZodType | undefined, options: Record<string, unknown>, d: Draft): void {
  const at = (key?: PropertyKey, rest = ''): string => {
    const o = typeof key === 'string' ? d.overlaid?.[key] : undefined;
    return o ? where(o.file, `${o.path}${rest}`) : where(d.file, `${d.path}.options${key === undefined ? '' : pathSuffix([key])}${rest}`);
  };
  if (schema instanceof z.ZodObject) {
    const known = Object.keys(schema.shape);
    const unknown = Object.keys(options).filter((k) => !known.includes(k));
    if (unknown.length) {
      throw new BrainsmithError('E_PLUGIN_OPTIONS', `${at(unknown[0])}: unknown option of ${entry.kind} ${entry.qualifiedName} (known: ${known.join(', ') || 'none'})`, { kind: 'input', file: d.file });
    }
    const r = schema.safeParse(options);
    if (!r.success) {
      const i = r.error.issues[0]!;
      const msg = i.code === 'invalid_type' && i.input === undefined ? 'is required' : i.message;
      throw new BrainsmithError('E_PLUGIN_OPTIONS', `${at(i.path[0], pathSuffix(i.path.slice(1)))}: ${msg}`, { kind: 'input', file: d.file });
    }
  }
}

function pathSuffix(p: readonly PropertyKey[]): string {
  return p.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('');
}

/**
 * Resolves and validates everything; imports each component once (that is how options are checked).
 * `vars` fills in the `${name}` settings in options (blueprint-vars.ts); unset ones drop their option.
 */
export async function buildPlan(reg: Registry, bp: Blueprint, vars: BlueprintVars = {}): Promise<Plan> {
  const drafts = Object.fromEntries(STAGES.map((s) => [s, bp.stages[s].map(draftOf)])) as Record<Stage, Draft[]>;
  applyEdits(reg, bp, drafts);
  applyOverlays(reg, bp, drafts);
  const stages: StagePlan[] = [];
  const variables = new Set<string>();
  const warnings: string[] = [];
  for (const stage of STAGES) {
    const items: PlanItem[] = [];
    for (const d of drafts[stage]) {
      const entry = resolve(reg, d.kind, d.name, where(d.file, d.path));
      // Tidy-up transforms run again in later stages by design; one run before its stage may meet a graph
      // it was not written for.
      const declaredStage = entry.meta.stage as Stage | undefined;
      if (d.kind === 'transform' && declaredStage && STAGES.indexOf(declaredStage) > STAGES.indexOf(stage)) {
        warnings.push(`${where(d.file, d.path)}: ${entry.qualifiedName} is declared for stage '${declaredStage}' but this blueprint runs it in '${stage}', before that stage`);
      }
      const declared = await entry.load();
      const schema = (declared.declaration as { options?: z.ZodType }).options;
      variablesUsed(d.options, variables);
      const options = resolveOptionVariables(d.options, vars, where(d.file, `${d.path}.options`));
      checkOptions(entry, schema, options, d);
      try {
        validateOptions(entry, declared, options);
      } catch (e) {
        throw new BrainsmithError('E_PLUGIN_OPTIONS', `${where(d.file, `${d.path}.options`)}: ${errorMessage(e)}`, { kind: 'input', file: d.file });
      }
      const tags = (declared.declaration as TransformDeclaration).tags ?? [];
      const repeat = d.repeat ?? (tags.includes('fixpoint') ? true : undefined);
      const fixpoint = repeat !== undefined && repeat !== false;
      const maxRuns = typeof repeat === 'number' ? repeat : fixpoint ? DEFAULT_FIXPOINT_LIMIT : 1;
      items.push({ kind: d.kind, entry, options, maxRuns, fixpoint, origin: where(d.file, d.path) });
    }
    stages.push({ stage, items });
  }
  return { blueprint: bp, stages, variables, warnings };
}

/** What `--stop-after` names: a stage, or a transform/step of the plan (its first occurrence). */
export type StopPoint = { stage: Stage } | { stage: Stage; index: number; name: string };
