/**
 * Running components: option validation, the plugin context, setup/teardown hooks, host events, and
 * errors wrapped with plugin, hook and component (and node, when the error names one).
 */
import { z } from 'zod';
import { BrainsmithError, errorMessage, isBrainsmithError } from '../errors.js';
import { lineInFile } from './site.js';
import type { Model } from '../ir/model.js';
import { createPluginContext } from './context.js';
import type { ComponentEntry } from './entry.js';
import type { Registry } from './registry.js';
import { formatZodError } from './schemas.js';
import { guardPluginCall, hookTimeLimit, safeMessage } from './isolation.js';
import type { Declared, PluginContext, StepDeclaration, TransformDeclaration } from './types.js';

/** The object whose methods implement a component: the declaration, or an instance of the decorated class. */
const instances = new WeakMap<Declared, Record<string, unknown>>();

export function implementationOf(d: Declared): Record<string, unknown> {
  let impl = instances.get(d);
  if (!impl) {
    impl = d.cls ? (new d.cls() as Record<string, unknown>) : (d.declaration as unknown as Record<string, unknown>);
    instances.set(d, impl);
  }
  return impl;
}

/** Validates options against the component's schema; unknown keys are errors when there is no schema. */
export function validateOptions(entry: ComponentEntry, d: Declared, options: Record<string, unknown> = {}): Record<string, unknown> {
  const schema = (d.declaration as { options?: z.ZodType }).options;
  if (!schema) {
    const keys = Object.keys(options);
    if (keys.length) {
      throw new BrainsmithError('E_PLUGIN_OPTIONS', `${entry.kind} ${entry.qualifiedName} takes no options, got ${keys.map((k) => `'${k}'`).join(', ')}`, { kind: 'input' });
    }
    return {};
  }
  // z.object() strips unknown keys silently; a misspelt option must be an error instead.
  if (schema instanceof z.ZodObject) {
    const known = new Set(Object.keys(schema.shape));
    const unknown = Object.keys(options).filter((k) => !known.has(k));
    if (unknown.length) {
      throw new BrainsmithError('E_PLUGIN_OPTIONS', `${entry.kind} ${entry.qualifiedName} options: unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `'${k}'`).join(', ')} (known: ${[...known].join(', ') || 'none'})`, { kind: 'input' });
    }
  }
  const r = schema.safeParse(options);
  if (!r.success) throw new BrainsmithError('E_PLUGIN_OPTIONS', `${entry.kind} ${entry.qualifiedName} options: ${formatZodError(r.error)}`, { kind: 'input' });
  return r.data as Record<string, unknown>;
}

export function contextFor(reg: Registry, entry: ComponentEntry, options: Record<string, unknown>): PluginContext {
  return createPluginContext({
    component: entry.qualifiedName,
    plugin: entry.plugin.id,
    log: reg.log.child({ plugin: entry.plugin.id, component: entry.qualifiedName }),
    options,
    granted: entry.plugin.granted,
    events: reg.events,
    services: reg.services,
    hw: reg.hw,
  });
}

/** Errors already wrapped with their hook context (so a nested hook does not wrap them twice). */
const wrapped = new WeakSet<Error>();

/** Wraps an error thrown by plugin code: `plugin X, hook apply of transform ns:Name (node n): message`. */
export function pluginHookError(entry: ComponentEntry, hook: string, e: unknown): BrainsmithError {
  let node: unknown;
  try {
    node = (e as { node?: unknown; nodeName?: unknown })?.node ?? (e as { nodeName?: unknown })?.nodeName;
  } catch {
    node = undefined; // a getter that throws: the value is hostile, leave the node out
  }
  const nodeText = typeof node === 'string' ? ` at node '${node}'` : '';
  const what = `plugin ${entry.plugin.id}, ${hook}() of ${entry.kind} ${entry.qualifiedName}${nodeText}`;
  // A capability denial keeps its own code (the docs promise E_CAPABILITY_DENIED), with the context added.
  if (isBrainsmithError(e) && e.code === 'E_CAPABILITY_DENIED') {
    const err = new BrainsmithError(e.code, `${what}: ${e.message}`, { kind: 'work', file: entry.file, cause: e });
    wrapped.add(err);
    return err;
  }
  // The plugin's own file and line, from the stack (source maps are on), so the user sees where it threw.
  let line: number | undefined;
  try {
    line = lineInFile(e, entry.file);
  } catch {
    line = undefined; // a hostile value whose stack or toString throws: no line
  }
  const site = line ? ` (at ${entry.file}:${line})` : '';
  return new BrainsmithError('E_PLUGIN_HOOK', `${what} threw: ${safeMessage(e)}${site}`, { kind: 'work', file: entry.file, cause: e });
}

/** Errors that already name the plugin and hook (isolation.ts). */
const NAMED = new Set(['E_PLUGIN_HOOK', 'E_PLUGIN_EXIT', 'E_PLUGIN_TIME_LIMIT']);

async function callHook(entry: ComponentEntry, hook: string, fn: () => unknown, limitMs?: number): Promise<unknown> {
  const activity = { plugin: entry.plugin.id, hook, component: `${entry.kind} ${entry.qualifiedName}`, file: entry.file };
  try {
    return await guardPluginCall(activity, fn, { limitMs, builtin: entry.plugin.source === 'builtin' });
  } catch (e) {
    if (e instanceof BrainsmithError && (NAMED.has(e.code) || wrapped.has(e))) throw e;
    throw pluginHookError(entry, hook, e);
  }
}

/**
 * Installs setup/teardown handling on a registry: setup runs once when a component is first loaded, after
 * the setup of the plugins it `requires` (their components are loaded first). Components imported before
 * this call (eager plugins) get their setup now; the returned promise settles when those have run.
 */
export function enableLifecycle(reg: Registry): Promise<void> {
  const started = new Set<string>();
  /** Plugins whose setup is under way: a `requires` cycle must not wait on itself. */
  const inSetup = new Set<string>();
  const setup = async (entry: ComponentEntry, d: Declared): Promise<void> => {
    if (started.has(entry.qualifiedName)) return;
    started.add(entry.qualifiedName);
    inSetup.add(entry.plugin.id);
    try {
      for (const id of Object.keys(entry.plugin.manifest?.requires ?? {})) {
        const dep = reg.plugin(id);
        if (!dep || dep.status !== 'ok' || inSetup.has(dep.id)) continue;
        // Already imported (eager) components get no onLoad call: set them up here (setup is idempotent).
        for (const c of dep.components) await setup(c, await reg.loadEntry(c));
      }
      const impl = implementationOf(d);
      if (typeof impl.setup === 'function') {
        const ctx = contextFor(reg, entry, validateOptions(entry, d));
        await callHook(entry, 'setup', () => (impl.setup as (c: PluginContext) => unknown).call(impl, ctx));
      }
    } finally {
      inSetup.delete(entry.plugin.id);
    }
  };
  reg.onLoad = setup;
  const early = reg.loadedNames();
  return (async () => {
    for (const name of early) {
      const entry = reg.component(name);
      if (entry) await setup(entry, await reg.loadEntry(entry));
    }
  })();
}

/** Runs teardown hooks of every loaded component, in reverse load order. Errors are collected, not thrown early. */
export async function closeRegistry(reg: Registry): Promise<void> {
  const errors: BrainsmithError[] = [];
  for (const name of reg.loadedNames().reverse()) {
    const entry = reg.component(name);
    if (!entry) continue;
    let d: Declared;
    try {
      d = await reg.loadEntry(entry);
    } catch {
      continue;
    }
    const impl = implementationOf(d);
    if (typeof impl.teardown !== 'function') continue;
    try {
      await callHook(entry, 'teardown', () => (impl.teardown as (c: PluginContext) => unknown).call(impl, contextFor(reg, entry, validateOptions(entry, d))));
    } catch (e) {
      errors.push(e as BrainsmithError);
    }
  }
  if (errors.length) throw errors[0]!;
}

function nodeCount(model: Model): number | undefined {
  const n = (model.graph as { nodeCount?: unknown }).nodeCount;
  return typeof n === 'number' ? n : undefined;
}

export interface ApplyResult {
  changed: boolean;
  nodesBefore?: number;
  nodesAfter?: number;
  ms: number;
}

/** Applies a transform (by name or entry) to `model`, publishing `transform:applied`. */
export async function applyTransform(reg: Registry, nameOrEntry: string | ComponentEntry, model: Model, options: Record<string, unknown> = {}): Promise<ApplyResult> {
  const entry = typeof nameOrEntry === 'string' ? reg.transforms.get(nameOrEntry) : nameOrEntry;
  if (entry.kind !== 'transform') throw new BrainsmithError('E_PLUGIN_KIND', `${entry.qualifiedName} is a ${entry.kind}, not a transform`, { kind: 'input' });
  const d = await entry.load();
  const impl = implementationOf(d) as unknown as TransformDeclaration;
  const ctx = contextFor(reg, entry, validateOptions(entry, d, options));
  const nodesBefore = nodeCount(model);
  const t0 = performance.now();
  const changed = await callHook(entry, 'apply', () => impl.apply.call(impl, model, ctx), hookTimeLimit());
  if (typeof changed !== 'boolean') {
    throw new BrainsmithError('E_PLUGIN_HOOK', `plugin ${entry.plugin.id}, apply() of transform ${entry.qualifiedName} returned ${typeof changed}, expected a boolean (changed)`, { kind: 'work', file: entry.file });
  }
  const ms = performance.now() - t0;
  const nodesAfter = nodeCount(model);
  reg.events.publish('transform:applied', { transform: entry.qualifiedName, changed, nodesBefore, nodesAfter, ms });
  return { changed, nodesBefore, nodesAfter, ms };
}

/** Runs a step; returns the model it returned, or the same model when it returned nothing. */
export async function runStep(reg: Registry, nameOrEntry: string | ComponentEntry, model: Model, options: Record<string, unknown> = {}): Promise<Model> {
  const entry = typeof nameOrEntry === 'string' ? reg.steps.get(nameOrEntry) : nameOrEntry;
  const d = await entry.load();
  const impl = implementationOf(d) as unknown as StepDeclaration;
  const ctx = contextFor(reg, entry, validateOptions(entry, d, options));
  const out = await callHook(entry, 'run', () => impl.run.call(impl, model, ctx), hookTimeLimit());
  return (out as Model | undefined) ?? model;
}
