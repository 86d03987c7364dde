/**
 * Blueprint `steps:` edits applied to the per-stage lists: insert a transform or step before/after an
 * anchor, replace one, remove one. They apply through `extends` (base file first), so a user adds one
 * transform to the default pipeline without copying its stage lists.
 */
import { BrainsmithError } from '../errors.js';
import type { ComponentEntry } from '../plugins/entry.js';
import type { Registry } from '../plugins/registry.js';
import { STAGES, type Stage } from '../plugins/schemas.js';
import { didYouMean } from '../util/near-names.js';
import type { Blueprint, StageEntry, TransformRef } from './blueprint-schema.js';

/** A plan entry before it is resolved. */
export interface Draft {
  kind: 'transform' | 'step';
  name: string;
  options: Record<string, unknown>;
  repeat: boolean | number | undefined;
  /** Skip with a warning when missing or broken. */
  optional?: boolean;
  /** Use this one instead when missing or broken. */
  fallback?: string;
  file: string;
  path: string;
  /** Options set by an `options:` overlay → where it was written (for messages about that key). */
  overlaid?: Record<string, { file: string; path: string }>;
}

export function where(file: string, p: string): string {
  return `${file}: ${p}`;
}

function refDraft(ref: TransformRef, kind: 'transform' | 'step', file: string, path: string): Draft {
  if (typeof ref === 'string') return { kind, name: ref, options: {}, repeat: undefined, file, path };
  return { kind, name: ref.name, options: ref.options ?? {}, repeat: ref.repeat, optional: ref.optional, fallback: ref.fallback, file, path };
}

export function draftOf(e: StageEntry): Draft {
  return refDraft(e.ref, 'transform', e.file, e.path);
}

/** A name inserted by an edit is a transform or a step, whichever the registry has (transform when neither). */
function kindOf(reg: Registry, name: string): 'transform' | 'step' {
  return !reg.transforms.has(name) && reg.steps.has(name) ? 'step' : 'transform';
}

/** Whether the draft runs the component the user wrote as `written` (short or qualified name). */
function matches(reg: Registry, d: Draft, written: string, target: ComponentEntry | undefined): boolean {
  if (d.name === written) return true;
  if (!target || d.kind !== target.kind) return false;
  const table = d.kind === 'transform' ? reg.transforms : reg.steps;
  return d.name === target.name || d.name === target.qualifiedName || table.tryGet(d.name) === target;
}

type Edit = Blueprint['steps'][number]['edit'];

function anchorOf(edit: Edit): { key: 'before' | 'after' | 'replace' | 'remove'; name: string } {
  if ('remove' in edit) return { key: 'remove', name: edit.remove };
  if ('before' in edit) return { key: 'before', name: edit.before };
  if ('after' in edit) return { key: 'after', name: edit.after };
  return { key: 'replace', name: edit.replace };
}

/** What an edit puts into the list: `insert:`/`with:` (a transform or a step) or the older `step:`. */
function insertedDraft(reg: Registry, edit: Edit, file: string, path: string): Draft | undefined {
  if ('step' in edit) return { kind: 'step', name: edit.step, options: edit.options ?? {}, repeat: undefined, file, path: `${path}.step` };
  if ('insert' in edit) return refDraft(edit.insert, kindOf(reg, typeof edit.insert === 'string' ? edit.insert : edit.insert.name), file, `${path}.insert`);
  if ('with' in edit) return refDraft(edit.with, kindOf(reg, typeof edit.with === 'string' ? edit.with : edit.with.name), file, `${path}.with`);
  return undefined;
}

/**
 * Applies the edits in order. Insertions and replacement act on the first occurrence of the anchor;
 * remove drops every occurrence. An anchor missing from the lists is an error naming it with near names,
 * unless the edit was inherited and the child's stage lists dropped it.
 */
export function applyEdits(reg: Registry, bp: Blueprint, drafts: Record<Stage, Draft[]>): void {
  for (const { edit, file, path } of bp.steps) {
    const { key, name } = anchorOf(edit);
    const at = where(file, `${path}.${key}`);
    const target = reg.transforms.tryGet(name) ?? reg.steps.tryGet(name);
    const inserted = insertedDraft(reg, edit, file, path);
    let found = false;
    for (const stage of STAGES) {
      const list = drafts[stage];
      if (key === 'remove') {
        const kept = list.filter((d) => !matches(reg, d, name, target));
        if (kept.length !== list.length) found = true;
        drafts[stage] = kept;
        continue;
      }
      if (found) continue;
      const i = list.findIndex((d) => matches(reg, d, name, target));
      if (i < 0) continue;
      found = true;
      const d = inserted!;
      if (key === 'before') list.splice(i, 0, d);
      else if (key === 'after') list.splice(i + 1, 0, d);
      else list.splice(i, 1, d);
    }
    if (found || file !== bp.files[0]) continue;
    const inPlan = STAGES.flatMap((s) => drafts[s].map((d) => d.name));
    if (!target && !reg.transforms.has(name)) {
      const known = [...reg.transforms.names(), ...reg.steps.names()];
      throw new BrainsmithError('E_BLUEPRINT_INVALID', `${at}: no transform or step named '${name}'${didYouMean(name, [...inPlan, ...known])}`, { kind: 'input', file });
    }
    throw new BrainsmithError('E_BLUEPRINT_INVALID', `${at}: ${target?.kind ?? 'transform'} '${name}' is not in any stage of blueprint '${bp.name}'${didYouMean(name, inPlan)}`, { kind: 'input', file });
  }
}
