/**
 * Code generation's view of one hardware node, through the binding layer (src/hw): its stream widths, its
 * cycles and the backend that generates it. A specialized node (`MVAU_rtl`) uses its own backend; a node
 * inserted after specialization (FIFOs, width converters) takes the backend the one backend rule gives it
 * under the compile's preference.
 */
import { BrainsmithError } from '../errors.js';
import type { Model } from '../ir/model.js';
import type { Node } from '../ir/node.js';
import type { Registry } from '../plugins/registry.js';
import type { BackendLanguage } from '../plugins/schemas.js';
import type { FpgaTarget, GeneratedNode, KernelNodeView, StreamWidths } from '../plugins/types.js';

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

/** The kernel, backend and generator of one hardware node. */
export async function nodeGenerator(reg: Registry, model: Model, node: Node, opts: { target?: FpgaTarget; prefer?: BackendLanguage } = {}): Promise<NodeGenerator> {
  if (!reg.hw.kindOf(node)) throw new BrainsmithError('E_CODEGEN_NODE', `node '${node.name}' (${node.opType}) is not a hardware node`, { kind: 'input' });
  const preferences = opts.prefer ? { all: opts.prefer } : undefined;
  const bn = await reg.hw.bind(model, node, { target: opts.target, preferences });
  if (!bn.language || !bn.backendComponent) {
    throw new BrainsmithError('E_NO_BACKEND', `node '${node.name}' (${node.opType}): ${bn.warnings.join('; ') || `no backend plugin for kernel ${bn.kernel}`}`, { kind: 'input' });
  }
  const language = bn.language;
  if (!(await bn.generates())) {
    // Would the other backend generate? Name it, and how to get it.
    const alt = await reg.hw.bind(model, node, { target: opts.target, language: other(language) });
    const hint = !(await alt.generates()) ? '' : alt.warnings.length ? ` (its ${other(language)} backend does, but is not viable for this node)` : ` (its ${other(language)} backend does: compile with --prefer ${other(language)})`;
    throw new BrainsmithError('E_NO_GENERATOR', `node '${node.name}' (${node.opType}): backend ${bn.backendComponent} does not generate hardware yet${hint}`, { kind: 'input' });
  }
  const widths = bn.streamWidths();
  if (!widths) throw new BrainsmithError('E_CODEGEN_NODE', `node '${node.name}': kernel ${bn.kernelComponent} has no streamWidths(), so its ports cannot be wired`, { kind: 'work' });
  return {
    view: bn.view,
    cycles: bn.cycles(),
    kernel: bn.kernel,
    language,
    backend: bn.backendComponent,
    widths,
    async generate() {
      const g = await bn.generate();
      if (!g) throw new BrainsmithError('E_NO_GENERATOR', `node '${node.name}': backend ${bn.backendComponent} generated nothing`, { kind: 'work' });
      return g;
    },
    library(rel) {
      return bn.libraryPath(rel);
    },
  };
}
