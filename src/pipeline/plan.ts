/**
 * Turns a blueprint into a plan: step edits applied, every name resolved through the registry and every
 * option set validated, all before anything runs. Errors name the blueprint file and the path in it.
 */
import { z } from 'zod';
import { BrainsmithError, errorMessage } from '../errors.js';
import type { ComponentEntry } from '../plugins/entry.js';
import type { Registry } from '../plugins/registry.js';
import { STAGES, type Stage } from '../plugins/schemas.js';
import type { Declared, TransformDeclaration } from '../plugins/types.js';
import { validateOptions } from '../plugins/runtime.js';
import type { Blueprint } from './blueprint-schema.js';
import { resolveOptionVariables, variablesUsed, type BlueprintVars } from './blueprint-vars.js';
import { applyEdits, draftOf, where, type Draft } from './plan-edits.js';

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
  /** Optional components skipped and fallbacks used, one line each (compile logs them). */
  warnings: string[];
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
      const got = await resolveDraft(reg, d, warnings);
      if (!got) continue;
      const { entry, declared } = got;
      // Tidy-up transforms run again in later stages by design; one run before its stage may meet a graph
      // it was not written for.
      const declaredStage = entry.meta.stage as Stage | undefined;
      if (d.kind === 'transform' && declaredStage && STAGES.indexOf(declaredStage) > STAGES.indexOf(stage)) {
        warnings.push(`${where(d.file, d.path)}: ${entry.qualifiedName} is declared for stage '${declaredStage}' but this blueprint runs it in '${stage}', before that stage`);
      }
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

/**
 * Resolves and imports a draft's component. When it is missing or its plugin fails to load, a
 * `fallback:` takes its place and an `optional:` one is left out, each with a warning; otherwise the
 * error stands.
 */
async function resolveDraft(reg: Registry, d: Draft, warnings: string[]): Promise<{ entry: ComponentEntry; declared: Declared } | undefined> {
  const at = where(d.file, d.path);
  try {
    const entry = resolve(reg, d.kind, d.name, at);
    return { entry, declared: await entry.load() };
  } catch (e) {
    if (!d.fallback && !d.optional) throw e;
    const why = errorMessage(e).replace(`${at}: `, '');
    if (d.fallback) {
      const kind = !reg.transforms.has(d.fallback) && reg.steps.has(d.fallback) ? 'step' : 'transform';
      const entry = resolve(reg, kind, d.fallback, `${at}.fallback`);
      warnings.push(`${at}: using fallback ${entry.qualifiedName} instead of '${d.name}': ${why}`);
      return { entry, declared: await entry.load() };
    }
    warnings.push(`${at}: skipping optional '${d.name}': ${why}`);
    return undefined;
  }
}

/** What `--stop-after` names: a stage, or a transform/step of the plan (its first occurrence). */
export type StopPoint = { stage: Stage } | { stage: Stage; index: number; name: string };
