/**
 * Types of declared components (what `defineTransform` & co. return) and of the context a plugin gets.
 * The metadata half of each type is plain data that the cache can store; the behaviour half is loaded lazily.
 */
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Model } from '../ir/model.js';
import type { BackendLanguage, Capability, ComponentKind, Stage } from './schemas.js';

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

export interface KernelDeclaration<O = Record<string, unknown>> extends CommonMeta<O> {
  domain?: string;
  inferFrom?: string[];
  attributes?: Record<string, KernelAttributeSpec>;
  /** Inference rule: turns matching ONNX nodes of the model into this kernel; returns true when it changed something. */
  infer?(model: Model, ctx: PluginContext<O>): boolean | Promise<boolean>;
  /** Reference execution of one node. */
  execute?(inputs: unknown[], attributes: Record<string, unknown>, ctx: PluginContext<O>): unknown[] | Promise<unknown[]>;
  /** Cost model: resources and cycles for one node. */
  cost?(node: unknown, ctx: PluginContext<O>): Record<string, number>;
}

export interface BackendDeclaration<O = Record<string, unknown>> extends CommonMeta<O> {
  /** The kernel this backend implements (short or qualified name). */
  kernel: string;
  language: BackendLanguage;
  isViable?(node: unknown, ctx: PluginContext<O>): boolean;
  estimate?(node: unknown, ctx: PluginContext<O>): Record<string, number>;
  generate?(node: unknown, ctx: PluginContext<O>): Record<string, string> | Promise<Record<string, string>>;
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
}
