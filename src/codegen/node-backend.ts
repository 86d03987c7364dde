/**
 * The one place code generation meets kernel and backend plugins: for a hardware node, its kernel (stream
 * widths) and the backend that generates it. A specialized node (`MVAU_rtl`) uses its own backend; a node
 * inserted after specialization (FIFOs, width converters) takes the preferred language when that backend
 * exists and is viable, else the other one (FINN's order, as the estimates choose).
 */
import path from 'node:path';
import { BrainsmithError, errorMessage } from '../errors.js';
import { hwNodeKind } from '../estimate/hw-nodes.js';
import { registerKernelCatalog, type LoadedComponent } from '../exec/kernel-resolver.js';
import type { Model } from '../ir/model.js';
import type { Node } from '../ir/node.js';
import type { Registry } from '../plugins/registry.js';
import { pluginHookError } from '../plugins/runtime.js';
import type { BackendLanguage } from '../plugins/schemas.js';
import type { BackendDeclaration, FpgaTarget, GeneratedNode, KernelNodeView, StreamWidths } from '../plugins/types.js';

export interface NodeGenerator {
  view: KernelNodeView;
  kernel: string;
  language: BackendLanguage;
  /** `namespace:name` of the backend. */
  backend: string;
  /** Bits per word of each input and output stream (unpadded), from the kernel. */
  widths: StreamWidths;
  /** Expected cycles per frame (the backend's when it has its own, else the kernel's; 0 when neither says). */
  cycles: number;
  /** Runs the backend's `generate`. */
  generate(): Promise<GeneratedNode>;
  /** Absolute path of a library the backend names (relative to the backend plugin's file). */
  library(rel: string): string;
}

const other = (l: BackendLanguage): BackendLanguage => (l === 'hls' ? 'rtl' : 'hls');

function wrap<T>(c: LoadedComponent<unknown>, hook: string, node: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof BrainsmithError && e.code === 'E_PLUGIN_HOOK') throw e;
    throw pluginHookError(c.entry, hook, Object.assign(e instanceof Error ? e : new Error(errorMessage(e)), { node }));
  }
}

/** The kernel, backend and generator of one hardware node. */
export async function nodeGenerator(reg: Registry, model: Model, node: Node, opts: { target?: FpgaTarget; prefer?: BackendLanguage } = {}): Promise<NodeGenerator> {
  const kind = hwNodeKind(node);
  if (!kind) throw new BrainsmithError('E_CODEGEN_NODE', `node '${node.name}' (${node.opType}) is not a hardware node`, { kind: 'input' });
  const catalog = registerKernelCatalog(reg);
  const k = await catalog.kernel(kind.kernel);
  if (!k) throw new BrainsmithError('E_UNKNOWN_KERNEL', `node '${node.name}' (${node.opType}) names kernel '${kind.kernel}', which no kernel plugin declares`, { kind: 'input' });
  const view = catalog.nodeView(model, node, k, opts.target);

  let b: LoadedComponent<BackendDeclaration> | undefined;
  let language: BackendLanguage;
  if (kind.language) {
    language = kind.language;
    b = await catalog.backend(kind.kernel, language);
    if (!b) throw new BrainsmithError('E_NO_BACKEND', `node '${node.name}' (${node.opType}): no ${language} backend plugin for kernel ${kind.kernel}`, { kind: 'input' });
  } else {
    const attr = view.attrs.preferred_impl_style;
    const first: BackendLanguage = opts.prefer ?? (attr === 'hls' || attr === 'rtl' ? attr : 'rtl');
    let found: { b: LoadedComponent<BackendDeclaration>; l: BackendLanguage } | undefined;
    for (const l of [first, other(first)]) {
      const c = await catalog.backend(kind.kernel, l);
      if (!c?.impl.generate) continue;
      const viable = !c.impl.isViable || wrap(c, 'isViable', node.name, () => c.impl.isViable!.call(c.impl, view, c.ctx));
      if (viable) {
        found = { b: c, l };
        break;
      }
    }
    if (!found) throw new BrainsmithError('E_NO_GENERATOR', `node '${node.name}' (${node.opType}): no viable backend of kernel ${kind.kernel} generates hardware`, { kind: 'input' });
    b = found.b;
    language = found.l;
  }
  const backend = b;
  if (!backend.impl.generate) {
    const otherBackend = await catalog.backend(kind.kernel, other(language));
    const alt = otherBackend?.impl.generate ? ` (its ${other(language)} backend does: compile with --prefer ${other(language)})` : '';
    throw new BrainsmithError('E_NO_GENERATOR', `node '${node.name}' (${node.opType}): backend ${backend.entry.qualifiedName} does not generate hardware yet${alt}`, { kind: 'input' });
  }
  if (!k.impl.streamWidths) throw new BrainsmithError('E_CODEGEN_NODE', `node '${node.name}': kernel ${k.entry.qualifiedName} has no streamWidths(), so its ports cannot be wired`, { kind: 'work' });
  const widths = wrap(k, 'streamWidths', node.name, () => k.impl.streamWidths!.call(k.impl, view, k.ctx));
  const cycles = backend.impl.cycles
    ? wrap(backend, 'cycles', node.name, () => backend.impl.cycles!.call(backend.impl, view, backend.ctx))
    : k.impl.cycles
      ? wrap(k, 'cycles', node.name, () => k.impl.cycles!.call(k.impl, view, k.ctx))
      : 0;
  return {
    view,
    cycles,
    kernel: kind.kernel,
    language,
    backend: backend.entry.qualifiedName,
    widths,
    async generate() {
      try {
        return await backend.impl.generate!.call(backend.impl, view, backend.ctx);
      } catch (e) {
        if (e instanceof BrainsmithError && e.code === 'E_PLUGIN_HOOK') throw e;
        throw pluginHookError(backend.entry, 'generate', Object.assign(e instanceof Error ? e : new Error(errorMessage(e)), { node: node.name }));
      }
    },
    library(rel) {
      return path.resolve(path.dirname(backend.entry.file), rel);
    },
  };
}
