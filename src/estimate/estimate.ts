/**
 * Estimates a model holding hardware nodes: each node's kernel gives cycles and op/param counts, its
 * backend gives resources, all through the plugin registry (this module knows no kernel by name).
 */
import { BrainsmithError, errorMessage } from '../errors.js';
import type { Model } from '../ir/model.js';
import type { Node } from '../ir/node.js';
import type { ComponentEntry } from '../plugins/entry.js';
import { formatZodError, type BackendLanguage } from '../plugins/schemas.js';
import type { Registry } from '../plugins/registry.js';
import { contextFor, implementationOf, pluginHookError, validateOptions } from '../plugins/runtime.js';
import type { BackendDeclaration, FpgaTarget, KernelDeclaration, KernelNodeView, PluginContext } from '../plugins/types.js';
import { hwNodeKind, reportNames } from './hw-nodes.js';
import { resources } from './memory.js';
import { buildNodeView } from './node-view.js';
import { networkPerformance, totalOf, type NetworkPerformance } from './performance.js';

export interface NodeEstimate {
  name: string;
  opType: string;
  kernel: string;
  backend: BackendLanguage | undefined;
  /** Parallelism parameters and their values (PE, SIMD, …). */
  parallelism: Record<string, number>;
  cycles: number;
  resources: Record<string, number>;
  opAndParamCounts: Record<string, number>;
  /** Why the backend is not viable for this node, when it is not. */
  warnings: string[];
}

export interface ModelEstimate {
  target: FpgaTarget;
  clockNs: number;
  nodes: NodeEstimate[];
  /** Nodes outside the dataflow (not hardware nodes), by name. */
  hostNodes: string[];
  cycles: Record<string, number>;
  resources: Record<string, Record<string, number>>;
  performance: NetworkPerformance;
  opAndParamCounts: Record<string, Record<string, number>>;
}

export interface EstimateOptions {
  target: FpgaTarget;
  clockNs: number;
  /** For error messages. */
  file?: string;
}

interface Loaded<D> {
  entry: ComponentEntry;
  impl: D;
  ctx: PluginContext;
}

async function loadComponent<D>(reg: Registry, entry: ComponentEntry): Promise<Loaded<D>> {
  const d = await entry.load();
  return { entry, impl: implementationOf(d) as unknown as D, ctx: contextFor(reg, entry, validateOptions(entry, d)) };
}

/** The winning backend of `language` for `kernel`, or undefined. */
function backendEntry(reg: Registry, kernel: string, language: BackendLanguage): ComponentEntry | undefined {
  const list = reg.backends.forKernel(kernel, { language });
  return list.find((e) => !e.shadowedBy) ?? list[0];
}

function call<T>(l: Loaded<unknown>, hook: string, node: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof BrainsmithError && e.code === 'E_PLUGIN_HOOK') throw e;
    throw pluginHookError(l.entry, hook, Object.assign(e instanceof Error ? e : new Error(errorMessage(e)), { node }));
  }
}

function assertFiniteCount(v: unknown, what: string, node: string, comp: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new BrainsmithError('E_ESTIMATE_VALUE', `${comp} gave ${what} = ${String(v)} for node '${node}'; expected a finite number ≥ 0`, { kind: 'work' });
  }
  return v;
}

export async function estimateModel(model: Model, reg: Registry, opts: EstimateOptions): Promise<ModelEstimate> {
  if (!(opts.clockNs > 0) || !Number.isFinite(opts.clockNs)) {
    throw new BrainsmithError('E_USAGE', `clock period must be a positive number of ns, got ${opts.clockNs}`, { kind: 'usage' });
  }
  const graph = model.graph;
  const all = graph.nodeList();
  const names = reportNames(all);
  const hw: Array<{ node: Node; kernel: string; language?: BackendLanguage }> = [];
  const hostNodes: string[] = [];
  for (const node of all) {
    const k = hwNodeKind(node);
    if (k) hw.push({ node, ...k });
    else hostNodes.push(names.get(node)!);
  }
  const where = opts.file ? `${opts.file}: ` : '';
  if (hw.length === 0) {
    const ops = [...new Set(all.map((n) => n.opType))].slice(0, 8).join(', ');
    throw new BrainsmithError('E_NO_HW_NODES', `${where}the model holds no hardware nodes (domain finn.custom_op.fpgadataflow*); its ops are ${ops || 'none'}. Map it to kernels first (brainsmith compile)`, { kind: 'input', file: opts.file });
  }

  const kernels = new Map<string, Loaded<KernelDeclaration>>();
  const backends = new Map<string, Loaded<BackendDeclaration> | null>();
  const nodes: NodeEstimate[] = [];
  const producerName = new Map<string, string>();
  const perf: Array<{ name: string; cycles: number; predecessors: string[] }> = [];

  for (const { node, kernel, language } of hw) {
    const name = names.get(node)!;
    let k = kernels.get(kernel);
    if (!k) {
      if (!reg.kernels.has(kernel)) {
        throw new BrainsmithError('E_UNKNOWN_KERNEL', `${where}node '${name}' (${node.opType}, domain ${node.domain}) names kernel '${kernel}', which no kernel plugin declares`, { kind: 'input', file: opts.file });
      }
      k = await loadComponent<KernelDeclaration>(reg, reg.kernels.get(kernel));
      kernels.set(kernel, k);
    }
    const view = buildNodeView(model, node, { name, target: opts.target });
    const parsed = parseAttributes(k.impl, view, where, opts.file);
    const warnings: string[] = [];
    const lang = language ?? (await chooseLanguage(reg, kernel, parsed, backends));
    let b: Loaded<BackendDeclaration> | null | undefined;
    if (lang) {
      const key = `${kernel}/${lang}`;
      b = backends.get(key);
      if (b === undefined) {
        const e = backendEntry(reg, kernel, lang);
        b = e ? await loadComponent<BackendDeclaration>(reg, e) : null;
        backends.set(key, b);
      }
      if (b === null) warnings.push(`no ${lang} backend plugin for kernel ${kernel}: resources not estimated`);
    }
    if (b && b.impl.isViable && !call(b, 'isViable', name, () => b.impl.isViable!.call(b.impl, parsed, b.ctx))) {
      warnings.push(`the ${lang} backend of ${kernel} is not viable for this node on ${opts.target.part}`);
    }
    const cycles = k.impl.cycles ? assertFiniteCount(call(k, 'cycles', name, () => k.impl.cycles!.call(k.impl, parsed, k.ctx)), 'cycles', name, k.entry.qualifiedName) : 0;
    const res = b && b.impl.estimate ? call(b, 'estimate', name, () => b.impl.estimate!.call(b.impl, parsed, b.ctx)) : resources({});
    for (const [key, v] of Object.entries(res)) assertFiniteCount(v, key, name, b?.entry.qualifiedName ?? k.entry.qualifiedName);
    const counts = k.impl.opAndParamCounts ? call(k, 'opAndParamCounts', name, () => k.impl.opAndParamCounts!.call(k.impl, parsed, k.ctx)) : {};
    const par = k.impl.parallelism ? call(k, 'parallelism', name, () => k.impl.parallelism!.call(k.impl, parsed, k.ctx)) : {};
    const parallelism: Record<string, number> = {};
    for (const p of Object.keys(par)) {
      const v = parsed.attrs[p];
      if (typeof v === 'number') parallelism[p] = v;
    }
    nodes.push({ name, opType: node.opType, kernel, backend: lang, parallelism, cycles, resources: res, opAndParamCounts: counts, warnings });
    const predecessors = [...new Set(node.inputs.map((t) => producerName.get(t)).filter((p): p is string => p !== undefined))];
    perf.push({ name, cycles, predecessors });
    for (const o of node.outputs) if (o) producerName.set(o, name);
  }

  const resourcesByNode: Record<string, Record<string, number>> = {};
  const cyclesByNode: Record<string, number> = {};
  const counts: Record<string, Record<string, number>> = {};
  for (const n of nodes) {
    cyclesByNode[n.name] = n.cycles;
    resourcesByNode[n.name] = n.resources;
    counts[n.name] = n.opAndParamCounts;
  }
  resourcesByNode.total = totalOf(nodes.map((n) => n.resources));
  counts.total = totalOf(nodes.map((n) => n.opAndParamCounts));
  return {
    target: opts.target,
    clockNs: opts.clockNs,
    nodes,
    hostNodes,
    cycles: cyclesByNode,
    resources: resourcesByNode,
    performance: networkPerformance(perf, opts.clockNs),
    opAndParamCounts: counts,
  };
}

/** Validates attributes with the kernel's schema (defaults filled in); a bad attribute names the node. */
function parseAttributes(k: KernelDeclaration, view: KernelNodeView, where: string, file?: string): KernelNodeView {
  if (!k.attributeSchema) return view;
  const r = k.attributeSchema.safeParse(view.attrs);
  if (!r.success) {
    throw new BrainsmithError('E_KERNEL_ATTRIBUTES', `${where}node '${view.name}' (${view.opType}): ${formatZodError(r.error)}`, { kind: 'input', file });
  }
  return { ...view, attrs: r.data as Record<string, unknown>, constantInput: view.constantInput };
}

/**
 * Backend for a node that is not specialized yet: its preferred_impl_style when that backend exists and is
 * viable, else rtl when viable, else hls (FINN's default order, reference §3).
 */
async function chooseLanguage(reg: Registry, kernel: string, view: KernelNodeView, cache: Map<string, Loaded<BackendDeclaration> | null>): Promise<BackendLanguage | undefined> {
  const pref = view.attrs.preferred_impl_style;
  const order: BackendLanguage[] = pref === 'hls' ? ['hls', 'rtl'] : ['rtl', 'hls'];
  let fallback: BackendLanguage | undefined;
  for (const lang of order) {
    const key = `${kernel}/${lang}`;
    let b = cache.get(key);
    if (b === undefined) {
      const e = backendEntry(reg, kernel, lang);
      b = e ? await loadComponent<BackendDeclaration>(reg, e) : null;
      cache.set(key, b);
    }
    if (!b) continue;
    fallback ??= lang;
    const bb = b;
    // A backend FINN does not pick by default (isDefault false) is taken only when preferred.
    if (lang !== pref && bb.impl.isDefault && !call(bb, 'isDefault', view.name, () => bb.impl.isDefault!.call(bb.impl, view, bb.ctx))) continue;
    if (!bb.impl.isViable || call(bb, 'isViable', view.name, () => bb.impl.isViable!.call(bb.impl, view, bb.ctx))) return lang;
  }
  return fallback;
}
