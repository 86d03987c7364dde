/**
 * `plugins check`: loads plugins without the cache and reports diagnostics with stable codes: manifest
 * and metadata schema, stages, duplicates and shadowing, dependency and host ranges, capabilities asked
 * vs granted, export shape, hooks that throw, and the transform examples (apply, verify, idempotence).
 */
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { Logger } from 'pino';
import { BrainsmithError, errorMessage, isBrainsmithError } from '../errors.js';
import { diag, type Diagnostic, type DiagnosticCode } from './diagnostics.js';
import type { ComponentEntry, PluginRecord } from './entry.js';
import { openRegistry, type OpenRegistryOptions, type Registry } from './registry.js';
import { applyTransform, closeRegistry, enableLifecycle } from './runtime.js';
import type { Model } from '../ir/model.js';
import type { TensorMap } from '../exec/types.js';
import type { TensorValue } from '../tensor/tensor-value.js';

/** Fixed, so `plugins check` gives the same verdict on every run. */
const EXAMPLE_SEED = 1;

export interface CheckOptions extends Omit<OpenRegistryOptions, 'cache' | 'strict'> {
  /** Files, folders or component names; empty means every non-built-in plugin. */
  targets?: string[];
  /** Include the built-ins. */
  all?: boolean;
  log?: Logger;
}

export interface CheckReport {
  plugins: { id: string; source: string; status: string; reason?: string; components: string[] }[];
  diagnostics: Diagnostic[];
  errors: number;
  warnings: number;
}

function isUnder(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Plugins the targets name; throws when a target matches nothing. */
function selectPlugins(reg: Registry, targets: string[], all: boolean, cwd: string): Set<PluginRecord> {
  const out = new Set<PluginRecord>();
  if (!targets.length) {
    for (const p of reg.plugins) if (all || p.source !== 'builtin') out.add(p);
    return out;
  }
  for (const t of targets) {
    const abs = path.resolve(cwd, t);
    let hit = false;
    if (existsSync(abs)) {
      for (const p of reg.plugins) {
        if (p.files.some((f) => isUnder(f, abs)) || (p.root && isUnder(p.root, abs)) || (p.root && isUnder(abs, p.root) && statSync(abs).isDirectory() && p.root === abs)) {
          out.add(p);
          hit = true;
        }
      }
    } else {
      const p = reg.plugin(t);
      if (p) {
        out.add(p);
        hit = true;
      }
      for (const e of reg.lookupAny(t)) {
        out.add(e.plugin);
        hit = true;
      }
    }
    if (!hit) throw new BrainsmithError('E_CHECK_TARGET', `nothing to check at '${t}': not a plugin file or folder, plugin id or component name`, { kind: 'input' });
  }
  return out;
}

function capabilityDiagnostics(reg: Registry, p: PluginRecord): Diagnostic[] {
  if (p.source === 'builtin') return [];
  const grants = reg.config.plugins.capabilities ?? {};
  const granted = new Set([...(grants[p.id] ?? []), ...(grants[p.namespace] ?? [])]);
  const asked = p.manifest?.capabilities ?? [];
  const out: Diagnostic[] = [];
  for (const c of asked) {
    if (!granted.has(c)) out.push(diag('W_CAPABILITY_NOT_GRANTED', `plugin ${p.id} asks for '${c}', which ${reg.config.file} does not grant (plugins.capabilities["${p.id}"])`, { plugin: p.id, file: p.manifestFile }));
  }
  if (p.manifest) {
    for (const c of granted) {
      if (!asked.includes(c)) out.push(diag('W_CAPABILITY_NOT_ASKED', `${reg.config.file} grants '${c}' to plugin ${p.id}, whose manifest does not ask for it`, { plugin: p.id, file: reg.config.file }));
    }
  }
  return out;
}

/** The graph outputs of `model` on `inputs`, or the reason it could not run (e.g. an op with no implementation). */
async function runExample(model: Model, inputs: TensorMap): Promise<[string, TensorValue][] | string> {
  const { executeModel } = await import('../exec/execute.js');
  try {
    const r = await executeModel(model, inputs, { fallback: 'none' });
    return [...r.outputs];
  } catch (err) {
    return errorMessage(err);
  }
}

/**
 * Applies the transform to each example model: it must load, leave a valid graph, change nothing on a second
 * application, and keep the outputs on seeded random inputs (when the example can be executed natively).
 */
async function exampleDiagnostics(reg: Registry, e: ComponentEntry): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  const where = { plugin: e.plugin.id, file: e.file, line: e.meta.line };
  const fail = (msg: string): void => void out.push(diag('E_EXAMPLE_FAILED', `${e.qualifiedName}: ${msg}`, where));
  const { loadModel } = await import('../onnx/load.js');
  const { assertGraphValid } = await import('../ir/verify.js');
  const { modelInputs, randomInputs } = await import('../pipeline/verify-inputs.js');
  const { compareOutputs, describeMismatch, DEFAULT_TOLERANCE } = await import('../pipeline/compare.js');
  for (const ex of e.meta.examples ?? []) {
    const file = path.resolve(path.dirname(e.file), ex);
    try {
      const model = await loadModel(file);
      const inputs = randomInputs(modelInputs(model), EXAMPLE_SEED, [-1, 1]);
      const before = await runExample(model, inputs);
      await applyTransform(reg, e, model);
      assertGraphValid(model.graph, `after ${e.qualifiedName} on ${ex}`);
      const again = await applyTransform(reg, e, model);
      if (again.changed) fail(`example ${ex}: a second application changed the model again (not idempotent)`);
      if (typeof before === 'string') {
        out.push(diag('W_EXAMPLE_NOT_EXECUTED', `${e.qualifiedName}: example ${ex}: outputs not compared, the model does not execute natively: ${before}`, where));
        continue;
      }
      const after = await runExample(model, inputs);
      if (typeof after === 'string') fail(`example ${ex}: the transformed model no longer executes: ${after}`);
      else {
        const cmp = compareOutputs(before, after.map(([, t]) => t), DEFAULT_TOLERANCE);
        if (!cmp.ok) fail(`example ${ex}: the transform changed the outputs: ${describeMismatch(cmp)}`);
      }
    } catch (err) {
      fail(`example ${ex}: ${errorMessage(err)}`);
    }
  }
  return out;
}

export async function checkPlugins(opts: CheckOptions = {}): Promise<CheckReport> {
  const cwd = opts.cwd ?? process.cwd();
  // Targets outside every source are checked by adding them to the plugin path for this run.
  const extra = (opts.targets ?? []).map((t) => path.resolve(cwd, t)).filter((t) => existsSync(t));
  const basePath = opts.pluginPath ?? process.env.BRAINSMITH_PLUGIN_PATH ?? '';
  const reg0 = await openRegistry({ ...opts, cache: false });
  const known = (t: string) => reg0.plugins.some((p) => p.files.some((f) => isUnder(f, t)) || (p.root !== '' && isUnder(p.root, t)));
  const outside = extra.filter((t) => !known(t));
  const reg = outside.length ? await openRegistry({ ...opts, cache: false, pluginPath: [basePath, ...outside].filter(Boolean).join(path.delimiter) }) : reg0;
  await enableLifecycle(reg);
  const selected = selectPlugins(reg, opts.targets ?? [], opts.all ?? false, cwd);
  const report = await checkSelected(reg, selected);
  try {
    await closeRegistry(reg);
  } catch (err) {
    const d = diag('E_PLUGIN_HOOK', errorMessage(err), { file: isBrainsmithError(err) ? err.file : undefined });
    report.diagnostics.push(d);
    report.errors++;
  }
  return report;
}

/**
 * The checks of `plugins check` for some plugins of an open registry (with its lifecycle enabled): their
 * diagnostics, capabilities, loading each component and running transform examples. `plugins watch`
 * uses it on the plugin of a changed file.
 */
export async function checkSelected(reg: Registry, selected: Set<PluginRecord>): Promise<CheckReport> {
  const diagnostics: Diagnostic[] = reg.diagnostics.filter((d) => d.plugin === undefined || [...selected].some((p) => p.id === d.plugin));
  for (const p of selected) {
    diagnostics.push(...capabilityDiagnostics(reg, p));
    if (p.status !== 'ok') continue;
    for (const e of p.components) {
      try {
        await e.load();
      } catch (err) {
        const code = (isBrainsmithError(err) ? err.code : 'E_PLUGIN_IMPORT') as DiagnosticCode;
        diagnostics.push(diag(code, errorMessage(err), { plugin: p.id, file: e.file, line: e.meta.line }));
        continue;
      }
      if (e.kind === 'transform' && e.meta.examples?.length) diagnostics.push(...(await exampleDiagnostics(reg, e)));
    }
  }
  const plugins = [...selected].map((p) => ({ id: p.id, source: p.source, status: p.status, reason: p.reason, components: p.components.map((c) => c.qualifiedName) }));
  return {
    plugins,
    diagnostics,
    errors: diagnostics.filter((d) => d.severity === 'error').length,
    warnings: diagnostics.filter((d) => d.severity === 'warning').length,
  };
}
