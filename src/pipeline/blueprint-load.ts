/**
 * Reads blueprint files (YAML or JSON), validates them, and resolves `extends` chains into one Blueprint.
 * A child replaces the parent's list for each stage it names, appends its step edits after the parent's,
 * and overrides target and verify settings key by key.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readRegularTextFile } from '../util/safe-read.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { BrainsmithError } from '../errors.js';
import { STAGES, normalizeStage, type Stage } from '../plugins/schemas.js';
import { formatPath, parseBlueprintText } from './blueprint-path.js';
import { precompiledBlueprint } from './blueprint-precompiled.js';
import { blueprintSchema, type Blueprint, type BlueprintFile } from './blueprint-schema.js';

/** Folder of the built-in blueprints: `blueprints/` in the package root (found above this module). */
export function builtinBlueprintDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'blueprints'))) return path.join(dir, 'blueprints');
    const up = path.dirname(dir);
    if (up === dir) throw new BrainsmithError('E_BLUEPRINT_BUILTIN', 'the built-in blueprints folder is missing from the brainsmith package', { kind: 'work' });
    dir = up;
  }
}

export const DEFAULT_BLUEPRINT = 'default';

/** A built-in name (`default`) or a file path relative to `fromDir`. */
function locate(ref: string, fromDir: string, referrer?: string): string {
  if (/^[A-Za-z0-9_-]+$/.test(ref) && !/\.(ya?ml|json)$/i.test(ref)) {
    const dir = builtinBlueprintDir();
    for (const ext of ['.yaml', '.yml', '.json']) {
      const p = path.join(dir, ref + ext);
      if (existsSync(p)) return p;
    }
    // A bare word may still be a file beside the referrer.
    const local = path.resolve(fromDir, ref);
    if (existsSync(local)) return local;
    throw new BrainsmithError('E_BLUEPRINT_NOT_FOUND', `${referrer ? `${referrer}: extends: ` : ''}no built-in blueprint named '${ref}' (built-in: ${listBuiltins().join(', ')})`, { file: referrer });
  }
  const p = path.resolve(fromDir, ref);
  if (!existsSync(p)) throw new BrainsmithError('E_BLUEPRINT_NOT_FOUND', `${referrer ? `${referrer}: extends: ` : ''}blueprint file not found: ${p}`, { file: referrer ?? p });
  if (statSync(p).isDirectory()) throw new BrainsmithError('E_BLUEPRINT_NOT_FOUND', `${p} is a folder, not a blueprint file`, { file: p });
  return p;
}

export function listBuiltins(): string[] {
  try {
    return readdirSync(builtinBlueprintDir())
      .filter((f) => /\.(ya?ml|json)$/i.test(f))
      .map((f) => f.replace(/\.(ya?ml|json)$/i, ''))
      .sort();
  } catch {
    return [];
  }
}

function zodMessage(file: string, err: z.ZodError, lineOf: (p: readonly PropertyKey[]) => number | undefined): string {
  const i = err.issues[0]!;
  let msg = i.message;
  if (i.code === 'unrecognized_keys') msg = `unknown key${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `'${k}'`).join(', ')}`;
  if (i.code === 'invalid_type' && i.input === undefined) msg = 'is required';
  if (i.code === 'invalid_union') msg = unionMessage(i);
  const where = [...i.path];
  const line = lineOf(where);
  const more = err.issues.length > 1 ? ` (and ${err.issues.length - 1} more problem${err.issues.length > 2 ? 's' : ''})` : '';
  return `${file}${line ? `:${line}` : ''}: ${formatPath(where)}: ${msg}${more}`;
}

/** The unions here are "name or object" and the four step-edit forms: say which forms are allowed. */
function unionMessage(i: z.core.$ZodIssue): string {
  const path = i.path;
  if (path.includes('steps')) return "expected { before|after|replace: 'Anchor', insert|with|step: 'Name' } or { remove: 'Anchor' } (insert with before/after, with with replace)";
  if (path.includes('stages')) return 'expected a transform name or { name, options?, repeat? }';
  return i.message;
}

interface ReadResult {
  file: string;
  data: BlueprintFile;
}

function readOne(file: string): ReadResult {
  let text: string;
  try {
    text = readRegularTextFile(file, { what: 'blueprint', code: 'E_BLUEPRINT_READ' });
  } catch (e) {
    throw new BrainsmithError('E_BLUEPRINT_READ', `cannot read blueprint ${(e as Error).message}`, { file, cause: e });
  }
  if (path.dirname(file) === builtinBlueprintDir()) {
    const pre = precompiledBlueprint(file, text);
    if (pre?.data) return { file, data: pre.data as BlueprintFile };
    const r = blueprintSchema.safeParse(pre?.value);
    if (r.success) return { file, data: r.data };
  }
  const { parsed, error } = parseBlueprintText(text);
  if (!parsed) throw new BrainsmithError('E_BLUEPRINT_SYNTAX', `${file}: ${error}`, { file });
  if (parsed.value === null || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) {
    throw new BrainsmithError('E_BLUEPRINT_INVALID', `${file}: a blueprint must be a mapping (name, stages, steps, …)`, { file });
  }
  // A file that shares no key with a blueprint (extends: /etc/shadow) is not echoed back key by key; a
  // blueprint with a typo in its only key or two ('nmae') still gets the key named.
  const known = Object.keys(blueprintSchema.shape);
  const keys = Object.keys(parsed.value);
  const typo = keys.length <= 2 && keys.every((k) => /^[A-Za-z_][A-Za-z0-9_-]{0,19}$/.test(k));
  if (!keys.some((k) => known.includes(k)) && !typo) {
    throw new BrainsmithError('E_BLUEPRINT_INVALID', `${file}: not a blueprint: none of its keys is a blueprint key (${known.join(', ')})`, { file });
  }
  const r = blueprintSchema.safeParse(parsed.value);
  if (!r.success) throw new BrainsmithError('E_BLUEPRINT_INVALID', zodMessage(file, r.error, parsed.lineOf), { file });
  return { file, data: r.data };
}

/** Loads a blueprint by file path or built-in name, resolving `extends` (cycles are errors). */
export function loadBlueprint(ref: string = DEFAULT_BLUEPRINT, cwd = process.cwd()): Blueprint {
  const chain: ReadResult[] = [];
  const seen = new Set<string>();
  let file = locate(ref, cwd);
  for (;;) {
    if (seen.has(file)) {
      throw new BrainsmithError('E_BLUEPRINT_CYCLE', `blueprint extends cycle: ${[...chain.map((c) => c.file), file].join(' -> ')}`, { file });
    }
    seen.add(file);
    const one = readOne(file);
    chain.push(one);
    if (!one.data.extends) break;
    file = locate(one.data.extends, path.dirname(file), file);
  }
  return merge(chain.reverse());
}

/** Merges base-first: later files override earlier ones. */
function merge(chain: ReadResult[]): Blueprint {
  const stages = Object.fromEntries(STAGES.map((s) => [s, []])) as unknown as Blueprint['stages'];
  const out: Blueprint = { name: '', files: chain.map((c) => c.file).reverse(), stages, steps: [], options: [], target: {}, verify: {} };
  for (const { file, data } of chain) {
    if (data.name) out.name = data.name;
    if (data.description) out.description = data.description;
    if (data.baseline) out.baseline = { ref: data.baseline, from: path.dirname(file) };
    const written = new Set<Stage>();
    for (const [key, list] of Object.entries(data.stages ?? {})) {
      const stage = normalizeStage(key)!;
      // `cleanup` and `graph_cleanup` in one file would silently drop one of them.
      if (written.has(stage)) throw new BrainsmithError('E_BLUEPRINT_INVALID', `${file}: stages.${key}: stage '${stage}' is given twice (under an alias)`, { file });
      written.add(stage);
      out.stages[stage] = list.map((ref, i) => ({ ref, file, path: `stages.${key}[${i}]` }));
    }
    (data.steps ?? []).forEach((edit, i) => out.steps.push({ edit, file, path: `steps[${i}]` }));
    for (const [name, values] of Object.entries(data.options ?? {})) out.options.push({ name, values, file, path: `options.${name}` });
    Object.assign(out.target, data.target ?? {});
    if (data.target?.folding_config) out.target.folding_config = path.resolve(path.dirname(file), data.target.folding_config);
    Object.assign(out.verify, data.verify ?? {});
    if (data.verify?.inputs) out.verify.inputs = data.verify.inputs.map((p) => path.resolve(path.dirname(file), p));
  }
  if (!out.name) out.name = path.basename(chain[chain.length - 1]!.file).replace(/\.(ya?ml|json)$/i, '');
  return out;
}
