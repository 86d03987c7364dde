/**
 * Kernel plugins as seen by execution and by the kernel-mapping transforms: an OpResolver that runs hardware
 * nodes (domain finn.custom_op.fpgadataflow, .hls, .rtl) through their kernel's `execute`, and a catalog
 * service that lets transforms (which get no registry) reach kernels and backends. Knows no kernel by name.
 */
import { BrainsmithError } from '../errors.js';
import { hwNodeKind } from '../estimate/hw-nodes.js';
import { buildNodeView, decodeAttributes } from '../estimate/node-view.js';
import type { Model } from '../ir/model.js';
import type { Node } from '../ir/node.js';
import type { ComponentEntry } from '../plugins/entry.js';
import type { Registry } from '../plugins/registry.js';
import { contextFor, implementationOf, validateOptions } from '../plugins/runtime.js';
import type { BackendLanguage } from '../plugins/schemas.js';
import type { BackendDeclaration, FpgaTarget, KernelDeclaration, KernelNodeView, PluginContext } from '../plugins/types.js';
import type { OpImpl, OpResolver } from './types.js';

/** A loaded kernel or backend with the context its hooks are called with. */
export interface LoadedComponent<D> {
  entry: ComponentEntry;
  impl: D;
  ctx: PluginContext;
}

/** What kernel-mapping transforms use to reach kernel and backend plugins (a service of the registry). */
export interface KernelCatalog {
  /** The kernel plugin named `kernel`, or undefined when none declares it. */
  kernel(kernel: string): Promise<LoadedComponent<KernelDeclaration> | undefined>;
  /** The winning backend of `language` for `kernel`, or undefined. */
  backend(kernel: string, language: BackendLanguage): Promise<LoadedComponent<BackendDeclaration> | undefined>;
  /** The node as kernel/backend hooks see it, attributes parsed by the kernel's schema (defaults filled). */
  nodeView(model: Model, node: Node, kernel: LoadedComponent<KernelDeclaration>, target?: FpgaTarget): KernelNodeView;
}

export const KERNEL_CATALOG_SERVICE = 'brainsmith.kernelCatalog';

async function load<D>(reg: Registry, entry: ComponentEntry): Promise<LoadedComponent<D>> {
  const d = await entry.load();
  return { entry, impl: implementationOf(d) as unknown as D, ctx: contextFor(reg, entry, validateOptions(entry, d)) };
}

/** A catalog over the registry; loads each component once. */
export function kernelCatalog(reg: Registry): KernelCatalog {
  const kernels = new Map<string, Promise<LoadedComponent<KernelDeclaration> | undefined>>();
  const backends = new Map<string, Promise<LoadedComponent<BackendDeclaration> | undefined>>();
  return {
    kernel(kernel) {
      let p = kernels.get(kernel);
      if (!p) {
        p = reg.kernels.has(kernel) ? load<KernelDeclaration>(reg, reg.kernels.get(kernel)) : Promise.resolve(undefined);
        kernels.set(kernel, p);
      }
      return p;
    },
    backend(kernel, language) {
      const key = `${kernel}/${language}`;
      let p = backends.get(key);
      if (!p) {
        const list = reg.backends.forKernel(kernel, { language });
        const e = list.find((x) => !x.shadowedBy) ?? list[0];
        p = e ? load<BackendDeclaration>(reg, e) : Promise.resolve(undefined);
        backends.set(key, p);
      }
      return p;
    },
    nodeView(model, node, kernel, target) {
      const view = buildNodeView(model, node, target ? { target } : {});
      const schema = kernel.impl.attributeSchema;
      if (!schema) return view;
      const r = schema.safeParse(view.attrs);
      if (!r.success) {
        throw new BrainsmithError('E_KERNEL_ATTRIBUTES', `node '${node.name}' (${node.opType}): attributes do not fit kernel ${kernel.entry.qualifiedName}: ${r.error.message}`, { kind: 'input' });
      }
      return { ...view, attrs: r.data as Record<string, unknown>, constantInput: view.constantInput };
    },
  };
}

/** Registers the catalog service on the registry (once; later calls return the registered one). */
export function registerKernelCatalog(reg: Registry): KernelCatalog {
  if (!reg.services.has(KERNEL_CATALOG_SERVICE)) reg.services.register<KernelCatalog>(KERNEL_CATALOG_SERVICE, kernelCatalog(reg));
  return reg.services.get<KernelCatalog>(KERNEL_CATALOG_SERVICE);
}

/**
 * An OpResolver for the hardware nodes of `model`: every kernel they name is loaded first (resolvers are
 * synchronous); a node whose kernel no plugin declares, or whose kernel has no `execute`, is an error naming it.
 */
export async function kernelResolver(reg: Registry, model: Model): Promise<OpResolver> {
  const catalog = registerKernelCatalog(reg);
  const impls = new Map<string, OpImpl>();
  for (const node of model.graph.nodeList()) {
    const kind = hwNodeKind(node);
    if (!kind || impls.has(kind.kernel)) continue;
    const k = await catalog.kernel(kind.kernel);
    if (!k) {
      throw new BrainsmithError('E_UNKNOWN_KERNEL', `node '${node.name}' (${node.opType}, domain ${node.domain}) names kernel '${kind.kernel}', which no kernel plugin declares`, { kind: 'input' });
    }
    const execute = k.impl.execute;
    if (!execute) {
      throw new BrainsmithError('E_KERNEL_NO_EXECUTE', `kernel ${k.entry.qualifiedName} (node '${node.name}') has no execute(), so the node cannot be run`, { kind: 'work' });
    }
    impls.set(kind.kernel, (inputs, ctx) => execute.call(k.impl, inputs, decodeAttributes(ctx.node), k.ctx));
  }
  return (node) => {
    const kind = hwNodeKind(node);
    return kind ? impls.get(kind.kernel) : undefined;
  };
}
