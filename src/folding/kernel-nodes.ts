/**
 * The hardware nodes of a model together with their kernel plugins: a parsed KernelNodeView per node and
 * typed calls to the kernel's hooks. Nothing here knows a kernel by name.
 */
import { BrainsmithError, errorMessage } from '../errors.js';
import { buildNodeView } from '../estimate/node-view.js';
import { hwNodeKind, reportNames } from '../estimate/hw-nodes.js';
import type { Model } from '../ir/model.js';
import type { Node } from '../ir/node.js';
import { setFloat, setInt, setInts, setString } from '../ir/attributes.js';
import type { Registry } from '../plugins/registry.js';
import { contextFor, implementationOf, validateOptions } from '../plugins/runtime.js';
import { formatZodError, type BackendLanguage } from '../plugins/schemas.js';
import type { FpgaTarget, KernelDeclaration, KernelNodeView, ParallelismParam, PluginContext, StreamWidths } from '../plugins/types.js';

export interface LoadedKernel {
  name: string;
  impl: KernelDeclaration;
  ctx: PluginContext;
  qualifiedName: string;
}

export interface KernelNode {
  node: Node;
  /** The node's name, or the FINN-style name estimates would give it. */
  name: string;
  kernel: LoadedKernel;
  language?: BackendLanguage;
  /** The view with attributes parsed (defaults filled) by the kernel's schema. */
  view: KernelNodeView;
}

export interface KernelNodesOptions {
  target?: FpgaTarget;
  /** Unknown kernels are skipped (listed in `unknown`) instead of being an error. */
  skipUnknown?: boolean;
}

export interface KernelNodes {
  nodes: KernelNode[];
  /** Hardware nodes whose kernel no plugin declares. */
  unknown: string[];
}

async function loadKernel(reg: Registry, name: string): Promise<LoadedKernel> {
  const entry = reg.kernels.get(name);
  const d = await entry.load();
  return { name, impl: implementationOf(d) as unknown as KernelDeclaration, ctx: contextFor(reg, entry, validateOptions(entry, d)), qualifiedName: entry.qualifiedName };
}

/** Parses attributes with the kernel's schema; a bad attribute names the node. */
export function parsedView(k: LoadedKernel, view: KernelNodeView): KernelNodeView {
  if (!k.impl.attributeSchema) return view;
  const r = k.impl.attributeSchema.safeParse(view.attrs);
  if (!r.success) throw new BrainsmithError('E_KERNEL_ATTRIBUTES', `node '${view.name}' (${view.opType}): ${formatZodError(r.error)}`, { kind: 'input' });
  return { ...view, attrs: r.data as Record<string, unknown>, constantInput: view.constantInput };
}

export async function kernelNodes(model: Model, reg: Registry, opts: KernelNodesOptions = {}): Promise<KernelNodes> {
  const all = model.graph.nodeList();
  const names = reportNames(all);
  const cache = new Map<string, LoadedKernel>();
  const nodes: KernelNode[] = [];
  const unknown: string[] = [];
  for (const node of all) {
    const kind = hwNodeKind(node);
    if (!kind) continue;
    const name = names.get(node)!;
    if (!reg.kernels.has(kind.kernel)) {
      if (opts.skipUnknown) {
        unknown.push(name);
        continue;
      }
      throw new BrainsmithError('E_UNKNOWN_KERNEL', `node '${name}' (${node.opType}) names kernel '${kind.kernel}', which no kernel plugin declares`, { kind: 'input' });
    }
    let k = cache.get(kind.kernel);
    if (!k) {
      k = await loadKernel(reg, kind.kernel);
      cache.set(kind.kernel, k);
    }
    const view = parsedView(k, buildNodeView(model, node, { name, target: opts.target }));
    nodes.push({ node, name, kernel: k, language: kind.language, view });
  }
  return { nodes, unknown };
}

function hook<T>(kn: KernelNode, hookName: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof BrainsmithError) throw e;
    throw new BrainsmithError('E_PLUGIN_HOOK', `${hookName}() of kernel ${kn.kernel.qualifiedName} at node '${kn.name}' threw: ${errorMessage(e)}`, { kind: 'work', cause: e });
  }
}

/** The kernel's parallelism parameters for this node ({} when it declares none). */
export function parallelismOf(kn: KernelNode): Record<string, ParallelismParam> {
  const p = kn.kernel.impl.parallelism;
  return p ? hook(kn, 'parallelism', () => p.call(kn.kernel.impl, kn.view, kn.kernel.ctx)) : {};
}

/** Cycles of the node with some attributes replaced (the view is not changed). */
export function cyclesWith(kn: KernelNode, attrs: Readonly<Record<string, unknown>>): number {
  const c = kn.kernel.impl.cycles;
  if (!c) return 0;
  const view: KernelNodeView = { ...kn.view, attrs: { ...kn.view.attrs, ...attrs }, constantInput: kn.view.constantInput };
  return hook(kn, 'cycles', () => c.call(kn.kernel.impl, view, kn.kernel.ctx));
}

export function streamWidthsOf(kn: KernelNode): StreamWidths | undefined {
  const s = kn.kernel.impl.streamWidths;
  return s ? hook(kn, 'streamWidths', () => s.call(kn.kernel.impl, kn.view, kn.kernel.ctx)) : undefined;
}

/** Writes one attribute onto a node by the JS type of the value (int when integral, else float). */
export function writeAttribute(node: Node, name: string, value: unknown): void {
  if (typeof value === 'number') {
    if (Number.isInteger(value)) setInt(node, name, value);
    else setFloat(node, name, value);
  } else if (typeof value === 'string') {
    setString(node, name, value);
  } else if (typeof value === 'boolean') {
    setInt(node, name, value ? 1 : 0);
  } else if (Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isInteger(v))) {
    setInts(node, name, value as number[]);
  } else {
    throw new BrainsmithError('E_ATTRIBUTE_VALUE', `node '${node.name}': cannot store ${JSON.stringify(value)} as attribute ${name} (expected a number, string or list of ints)`, { kind: 'input' });
  }
  node.graph?.attributesChanged(node);
}
