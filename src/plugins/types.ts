/**
 * Types of declared components (what `defineTransform` & co. return) and of the context a plugin gets.
 * The metadata half of each type is plain data that the cache can store; the behaviour half is loaded lazily.
 */
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Model } from '../ir/model.js';
import type { TensorValue } from '../tensor/tensor-value.js';
import type { BackendLanguage, Capability, ComponentKind, Stage } from './schemas.js';
import type { HwApi } from '../hw/types.js';

export interface CommonMeta<O = unknown> {
  name: string;
  description?: string;
  author?: string;
  version?: string;
  tags?: string[];
  docs?: string;
  overrides?: string;
  options?: z.ZodType<O>;
  setup?(ctx: PluginContext<O>): void | Promise<void>;
  teardown?(ctx: PluginContext<O>): void | Promise<void>;
}

export interface TransformDeclaration<O = Record<string, unknown>> extends CommonMeta<O> {
  stage: Stage | string;
  /** Model files (relative to the plugin file) that `plugins check` applies the transform to. */
  examples?: string[];
  /** Rewrites the model in place; returns true when it changed something. */
  apply(model: Model, ctx: PluginContext<O>): boolean | Promise<boolean>;
}

export interface KernelAttributeSpec {
  type: 'int' | 'float' | 'string' | 'ints' | 'floats' | 'strings' | 'tensor';
  default?: unknown;
  description?: string;
}

/** The FPGA a node is estimated or specialized for. */
export interface FpgaTarget {
  /** Vivado part, e.g. xc7z020clg400-1. */
  part: string;
  /** The board it came from, when one was named. */
  board?: string;
  /** DSP block family, which follows from the part. */
  dspFamily: 'DSP48E1' | 'DSP48E2' | 'DSP58';
  versal: boolean;
}

/**
 * One hardware node as kernel and backend hooks see it: decoded attributes (validated and defaulted by the
 * kernel's `attributeSchema` when it has one), shapes, QONNX datatype names and constant inputs.
 */
export interface KernelNodeView {
  name: string;
  opType: string;
  domain: string;
  /** Attribute values: numbers, strings, number[]/string[], TensorValue for tensors. */
  attrs: Readonly<Record<string, unknown>>;
  inputs: readonly string[];
  outputs: readonly string[];
  inputShapes: readonly (readonly number[] | undefined)[];
  outputShapes: readonly (readonly number[] | undefined)[];
  inputDatatypes: readonly (string | undefined)[];
  outputDatatypes: readonly (string | undefined)[];
  /** The value of input i when it is an initializer, else undefined. */
  constantInput(i: number): TensorValue | undefined;
  target?: FpgaTarget;
}

/** A parallelism parameter and the dimension its legal values divide. */
export interface ParallelismParam {
  /** Attribute holding the dimension (or a description such as 'kernel_size product'). */
  dimension: string;
  /** Size of that dimension for this node: legal values are its divisors. */
  size: number;
  /**
   * How SetFolding treats the parameter: 'walk' (default) walks its divisors; 'keep' leaves the node's value;
   * 'follow' leaves it to the consumer that names it in `drivesProducer` (e.g. a depthwise SWG's SIMD).
   */
  fold?: 'walk' | 'follow' | 'keep';
  /** Walk position, lower first (default: the order the parameters are returned in). */
  foldOrder?: number;
  /**
   * Stream bits one unit of this parameter adds to a width SetFolding caps (FINN: MVAU SIMD × weight bits ≤
   * mvau_wwidth_max). Undefined: no cap.
   */
  widthBits?: number;
  /** After folding, the producer of input 0 gets this parameter's value in its parameter of this name. */
  drivesProducer?: string;
  /**
   * A 0/1 attribute SetFolding sets to 1 when the node is still over target after walking this parameter
   * (FINN: an SWG_rtl at max SIMD gets parallel_window=1). Never turned off by SetFolding.
   */
  overTargetSwitch?: string;
  /**
   * A 0/1 attribute of this ('follow') node set after its consumer folds: 1 when the consumer's parameter
   * `whenConsumer` is > 1, else 0 (FINN: a depthwise SWG_rtl gets parallel_window=1 when its VVAU's SIMD > 1).
   */
  followSwitch?: { attribute: string; whenConsumer: string };
}

/** Bits per clock of each input and output stream of a folded node (FINN's instream/outstream width). */
export interface StreamWidths {
  inputs: number[];
  outputs: number[];
}

/**
 * One rule of a kernel's stream behaviour (docs/PLUGINS.md, "Stream behaviour"): event `j` of a frame on
 * sequence `at` happens no earlier than `delay` cycles after event `word(j)` of sequence `on` in the same
 * frame (a negative index counts back into the frames before; undefined: no wait for this event).
 */
export interface StreamRule {
  at: string;
  on: string;
  word(j: number): number | undefined;
  delay: number;
}

/**
 * When a kernel consumes each input word and produces each output word, per frame, as rules between event
 * sequences: `in0`, `in1`… (input handshakes), `out0`, `out1`… (output handshakes) and any internal sequence
 * the kernel names (`step`). Every sequence also moves at most once per cycle, in order. The dataflow model
 * (src/fifo-sizing) solves these rules for the whole design to predict throughput, latency and FIFO occupancy.
 */
export interface StreamBehaviour {
  /** Events per frame of every sequence the rules name. */
  words: Record<string, number>;
  rules: StreamRule[];
  /** Sequences that move in the same cycle (one handshake shared by several streams). */
  together?: string[][];
  /** The node is a FIFO of this depth between `in0` and `out0`: the model adds its "full" rule and sizes it. */
  fifo?: { depth: number };
}

/** Resource estimate of one node, FINN's keys (other keys may be added by a backend). */
export type ResourceEstimate = Record<string, number>;

export interface KernelDeclaration<O = Record<string, unknown>> extends CommonMeta<O> {
  domain?: string;
  inferFrom?: string[];
  attributes?: Record<string, KernelAttributeSpec>;
  /** Validates node attributes and fills defaults; hooks then see the parsed object as `node.attrs`. */
  attributeSchema?: z.ZodType;
  /** Reference execution of one node (bit-exact). `attributes` are the node's parsed attributes. */
  execute?(inputs: readonly (TensorValue | undefined)[], attributes: Readonly<Record<string, unknown>>, ctx: PluginContext<O>): TensorValue[] | Promise<TensorValue[]>;
  /** Expected cycles per frame of one node. */
  cycles?(node: KernelNodeView, ctx: PluginContext<O>): number;
  /** Output shapes from the node's attributes and input shapes (InferShapes asks it for kernel nodes). */
  inferShapes?(node: KernelNodeView, ctx: PluginContext<O>): number[][];
  /** Output QONNX datatype names (InferDataTypes asks it for kernel nodes). */
  inferDatatypes?(node: KernelNodeView, ctx: PluginContext<O>): string[];
  /** Parallelism parameters (PE, SIMD, …) of this node and the dimension each must divide. */
  parallelism?(node: KernelNodeView, ctx: PluginContext<O>): Record<string, ParallelismParam>;
  /** Operation and parameter counts (FINN's op_and_param_counts keys, e.g. op_mac_2bx4b). */
  opAndParamCounts?(node: KernelNodeView, ctx: PluginContext<O>): Record<string, number>;
  /** Stream widths in bits (folded shape × bitwidth); InsertDWC and InsertFIFO read them. */
  streamWidths?(node: KernelNodeView, ctx: PluginContext<O>): StreamWidths;
  /**
   * When each stream word moves, per frame (FIFO sizing's dataflow model). Default: a conservative model from
   * `cycles` and `streamWidths` (the whole frame in, then the whole frame out, one frame per `cycles`).
   */
  streamBehaviour?(node: KernelNodeView, ctx: PluginContext<O>): StreamBehaviour;
}

/**
 * A stream whose elements are not in its tensor's C order: each pixel's `taps` × `channels` block (tap-major in
 * the tensor, as Im2Col) travels channel-fold-major: for each group of `simd` channels, every tap (FINN's
 * depthwise window order, reference §2.4). Simulation packs and unpacks frames through it.
 */
export interface StreamOrder {
  taps: number;
  channels: number;
  simd: number;
}

/** What a backend's `generate` returns for one node. */
export interface GeneratedNode {
  /** The node's top module (FINN: named after the node, e.g. `MVAU_rtl_0`), with FINN's port names. */
  module: string;
  /** Files of this node by file name: its HDL sources and `$readmemh` memory files (`MVAU_rtl_0_weights.hex`). */
  files: Record<string, string>;
  /**
   * Library sources the node's module instantiates, as paths relative to the backend plugin's own file
   * (shipped beside it, e.g. `hdl/bs_skid_buffer.v`). Each is copied once into `hw/`, whatever the node count.
   */
  libraries?: string[];
  /**
   * Simulation-only probe of a buffering node (a FIFO): hierarchical paths, inside `module`, of a register
   * holding the number of words stored and of the 1-bit write handshake. FIFO sizing by simulation records
   * their maximum per cycle.
   */
  occupancy?: { count: string; push: string };
  /** Per output stream, its element order when it is not the tensor's C order (a depthwise window stream). */
  outputOrder?: (StreamOrder | undefined)[];
}

export interface BackendDeclaration<O = Record<string, unknown>> extends CommonMeta<O> {
  /** The kernel this backend implements (short or qualified name). */
  kernel: string;
  language: BackendLanguage;
  /**
   * Attributes only this implementation has (e.g. an rtl window generator's `parallel_window`), parsed after
   * the kernel's schema: hooks see both in `node.attrs`.
   */
  attributeSchema?: z.ZodType;
  /** Whether this backend can implement the node at all (on `node.target`). */
  isViable?(node: KernelNodeView, ctx: PluginContext<O>): boolean;
  /**
   * Whether FINN's SpecializeLayers picks this backend for the node when nobody states a preference (default
   * true). A backend FINN does not have, or uses only for some nodes, says false there, so that the default
   * compile keeps FINN's choice while `--prefer` can still pick it.
   */
  isDefault?(node: KernelNodeView, ctx: PluginContext<O>): boolean;
  /** Cycles per frame when this implementation's differ from the kernel's `cycles`. */
  cycles?(node: KernelNodeView, ctx: PluginContext<O>): number;
  /**
   * Refines the kernel's parallelism parameters for this implementation (fields laid over the kernel's, by
   * parameter name), e.g. a switch attribute SetFolding may turn on.
   */
  parallelism?(node: KernelNodeView, ctx: PluginContext<O>): Record<string, Partial<ParallelismParam>>;
  /** Stream widths when this implementation's differ from the kernel's `streamWidths`. */
  streamWidths?(node: KernelNodeView, ctx: PluginContext<O>): StreamWidths;
  /** Stream behaviour when this implementation's differs from the kernel's `streamBehaviour`. */
  streamBehaviour?(node: KernelNodeView, ctx: PluginContext<O>): StreamBehaviour;
  /** Resources: BRAM_18K, BRAM_efficiency, LUT, URAM, URAM_efficiency, DSP. */
  estimate?(node: KernelNodeView, ctx: PluginContext<O>): ResourceEstimate;
  /**
   * What Yosys `synth_xilinx` makes of this backend's generated RTL (FINN's post_synth_resources keys: LUT,
   * SRL, FF, BRAM_36K, BRAM_18K, URAM, DSP). Optional: without it `estimate` is taken as the prediction.
   * `brainsmith synth` prints it next to the synthesized numbers; `estimate` keeps FINN's formulas.
   */
  synthEstimate?(node: KernelNodeView, ctx: PluginContext<O>): ResourceEstimate;
  /**
   * Hardware of one node: a pure function of the node view. The stitching step collects every node's files
   * and the library sources they name into the build's `hw/` folder.
   */
  generate?(node: KernelNodeView, ctx: PluginContext<O>): GeneratedNode | Promise<GeneratedNode>;
}

export interface StepDeclaration<O = Record<string, unknown>> extends CommonMeta<O> {
  run(model: Model, ctx: PluginContext<O>): Model | void | Promise<Model | void>;
}

export type DeclarationOf<K extends ComponentKind> = K extends 'transform'
  ? TransformDeclaration
  : K extends 'kernel'
    ? KernelDeclaration
    : K extends 'backend'
      ? BackendDeclaration
      : StepDeclaration;

/** Where a declaration was made, found from the call stack when it was declared. */
export interface DeclarationSite {
  file?: string;
  line?: number;
}

/** What the define* functions return and decorators attach: a validated declaration of one kind. */
export interface Declared<K extends ComponentKind = ComponentKind> {
  readonly kind: K;
  readonly declaration: DeclarationOf<K>;
  readonly site: DeclarationSite;
  /** For the decorator form: the class, instantiated on load. */
  readonly cls?: new () => object;
}

/** Serializable metadata of one declared component, as found in a file and kept in the cache. */
export interface ComponentMeta {
  kind: ComponentKind;
  name: string;
  /** The export holding it (`default`, a named export, or `name[i]` for arrays). */
  exportName: string;
  line?: number;
  description?: string;
  author?: string;
  version?: string;
  tags?: string[];
  docs?: string;
  overrides?: string;
  /** JSON schema of the options, when the component has options. */
  optionsSchema?: unknown;
  stage?: Stage;
  examples?: string[];
  kernel?: string;
  language?: BackendLanguage;
  domain?: string;
  inferFrom?: string[];
  attributes?: Record<string, KernelAttributeSpec>;
  /** Which optional hooks/methods exist, e.g. ['setup', 'infer', 'cost']. */
  hooks?: string[];
}

export interface EventBusApi {
  publish(event: string, payload?: unknown): void;
  subscribe(pattern: string, handler: (payload: unknown, event: string) => void): () => void;
}

export interface ServicesApi {
  register<T>(name: string, service: T): void;
  get<T>(name: string): T;
  has(name: string): boolean;
}

export interface FsApi {
  writeFile(path: string, data: string | Uint8Array): Promise<void>;
  mkdir(path: string): Promise<void>;
}

export interface ProcessApi {
  spawn(command: string, args: string[], opts?: { cwd?: string }): Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** Handed to every hook and method of a plugin. Members beyond log/options depend on granted capabilities. */
export interface PluginContext<O = Record<string, unknown>> {
  /** `namespace:name` of the component. */
  readonly component: string;
  readonly plugin: string;
  readonly log: Logger;
  readonly options: O;
  readonly capabilities: ReadonlySet<Capability>;
  readonly events: EventBusApi;
  readonly services: ServicesApi;
  readonly fs: FsApi;
  readonly process: ProcessApi;
  /** Hardware nodes bound to their kernel and backend plugins (see src/hw). */
  readonly hw: HwApi;
}
