/**
 * The binding layer's public face: a hardware node bound to its kernel and backend plugins, and the API
 * (`ctx.hw` in every plugin context) through which transforms, estimates, execution and code generation
 * reach them.
 */
import type { Model } from '../ir/model.js';
import type { Node } from '../ir/node.js';
import type { OpResolver } from '../exec/types.js';
import type { ShapeResolver } from '../shapes/types.js';
import type { DatatypeResolver } from '../datatype-inference/types.js';
import type { BackendLanguage } from '../plugins/schemas.js';
import type { z } from 'zod';
import type { FpgaTarget, GeneratedNode, KernelAttributeSpec, KernelNodeView, ParallelismParam, ResourceEstimate, StreamBehaviour, StreamWidths } from '../plugins/types.js';
import type { TensorValue } from '../tensor/tensor-value.js';

/** Which backend the user wants: per node name, per kernel, or for every kernel. */
export interface BackendPreferences {
  /** Per node name (`MVAU_0`) or per kernel (`MVAU`); a node name wins. */
  byName?: Readonly<Record<string, BackendLanguage>>;
  /** For every kernel without a more specific preference (`compile --prefer`). */
  all?: BackendLanguage;
}

export interface BindOptions {
  /** The FPGA the node is estimated or specialized for (viability, DSP family). */
  target?: FpgaTarget;
  /** Preferences for nodes that are not specialized yet. */
  preferences?: BackendPreferences;
  /** Display name of a node without one (FINN's report names). */
  name?: string;
  /** The model file, for error messages. */
  file?: string;
  /** Bind the node to this backend language instead of its own or the rule's (what-if questions). */
  language?: BackendLanguage;
}

export interface NodesOptions extends Omit<BindOptions, 'name'> {
  /** Hardware nodes whose kernel no plugin declares are listed in `unknown` instead of being an error. */
  skipUnknown?: boolean;
}

/** The backend the rule chose for a node, and what it passed over (for warnings). */
export interface BackendChoice {
  language: BackendLanguage | undefined;
  /** Why a stated preference was not followed, or why no backend could be used. */
  warnings: string[];
}

/** One hardware node with its kernel and backend plugins loaded and its attributes parsed once. */
export interface BoundNode {
  readonly node: Node;
  /** The node's name, or the FINN-style name the reports give it. */
  readonly name: string;
  /** The kernel's short name (`MVAU`). */
  readonly kernel: string;
  /** `namespace:name` of the kernel plugin. */
  readonly kernelComponent: string;
  /** The backend implementing the node: the node's own (`MVAU_hls`), else the rule's choice. */
  readonly language: BackendLanguage | undefined;
  /** True when the node names its backend (domain `…fpgadataflow.hls`/`.rtl`). */
  readonly specialized: boolean;
  /** `namespace:name` of the backend plugin, when one implements the node. */
  readonly backendComponent: string | undefined;
  /** The node as hooks see it: attributes parsed by the kernel's schema and the backend's extension. */
  readonly view: KernelNodeView;
  /** Why the backend is missing or not viable, when it is. */
  readonly warnings: readonly string[];
  /** Parallelism parameters: the kernel's, refined by the backend. */
  parallelism(): Record<string, ParallelismParam>;
  /** Cycles per frame (the backend's when it has its own formula), optionally with some attributes replaced. */
  cycles(attrs?: Readonly<Record<string, unknown>>): number;
  streamWidths(): StreamWidths | undefined;
  /** When each stream word moves per frame: the backend's hook, else the kernel's, else a conservative default. */
  streamBehaviour(): StreamBehaviour;
  opAndParamCounts(): Record<string, number>;
  /** The backend's resource estimate; undefined when no backend (or no estimate hook) is there. */
  resources(): ResourceEstimate | undefined;
  /**
   * What synthesis with Yosys should give for the node's generated RTL: the backend's `synthEstimate`, else its
   * `estimate`; undefined when the backend has neither.
   */
  synthResources(): ResourceEstimate | undefined;
  /** Whether `synthResources` comes from a `synthEstimate` hook (not from `estimate`). */
  readonly hasSynthEstimate: boolean;
  /** The backend's hardware for the node; undefined when the backend generates nothing. */
  generate(): Promise<GeneratedNode | undefined>;
  /** Whether the node's backend has a `generate` hook. */
  generates(): Promise<boolean>;
  /** Absolute path of a library source the backend ships (`libraries` of its GeneratedNode). */
  libraryPath(relative: string): string;
  /** Output shapes and datatypes from the kernel, or undefined when it has no such hook. */
  inferShapes(): number[][] | undefined;
  inferDatatypes(): string[] | undefined;
  execute(inputs: readonly (TensorValue | undefined)[]): Promise<TensorValue[]>;
}

/** What plugins get as `ctx.hw`. */
export interface HwApi {
  /** The kernel name and backend language a node names, or undefined for a node that is not hardware. */
  kindOf(node: Node): { kernel: string; language?: BackendLanguage } | undefined;
  /** One hardware node bound to its plugins; an error naming the node when no kernel plugin declares it. */
  bind(model: Model, node: Node, opts?: BindOptions): Promise<BoundNode>;
  /** Every hardware node of the model in graph order. */
  nodes(model: Model, opts?: NodesOptions): Promise<{ nodes: BoundNode[]; unknown: string[] }>;
  /** The backend rule for a node (specialized or not), without changing it. */
  chooseBackend(model: Model, node: Node, opts?: BindOptions): Promise<BackendChoice>;
  /**
   * The attributes a hardware node may carry: its kernel's schema and `attributes`, and its backend's schema
   * extension when it is specialized; undefined when no kernel plugin declares it.
   */
  declaredAttributes(node: Node): Promise<{ schemas: z.ZodType[]; specs: Record<string, KernelAttributeSpec> } | undefined>;
  /** Executes hardware nodes through their kernels' `execute`. */
  opResolver(model: Model): Promise<OpResolver>;
  /** Output shapes of hardware nodes from their kernels' `inferShapes`. */
  shapeResolver(model: Model): Promise<ShapeResolver>;
  /** Output datatypes of hardware nodes from their kernels' `inferDatatypes`. */
  datatypeResolver(model: Model): Promise<DatatypeResolver>;
}
