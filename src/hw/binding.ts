/**
 * The binding layer: given a hardware node, finds its kernel and backend plugins, parses its attributes once
 * (the kernel's schema, then the backend's extension), builds the node view and calls hooks with errors
 * wrapped one way (hook-call.ts). Execution, estimates, folding, SpecializeLayers, shape and datatype
 * inference and code generation all come through here. It knows no kernel by name.
 */
import * as path from 'node:path';
import type { z } from 'zod';
import { BrainsmithError } from '../errors.js';
import { parseDataType } from '../datatype/index.js';
import type { Model } from '../ir/model.js';
import type { Node } from '../ir/node.js';
import type { OpImpl, OpResolver } from '../exec/types.js';
import type { ShapeResolver } from '../shapes/types.js';
import type { DatatypeResolver } from '../datatype-inference/types.js';
import { ElemType } from '../tensor/element-type.js';
import type { ComponentEntry } from '../plugins/entry.js';
import type { Registry } from '../plugins/registry.js';
import { contextFor, implementationOf, validateOptions } from '../plugins/runtime.js';
import { formatZodError, type BackendLanguage } from '../plugins/schemas.js';
import type { BackendDeclaration, GeneratedNode, KernelAttributeSpec, KernelDeclaration, KernelNodeView, ParallelismParam, PluginContext, ResourceEstimate, StreamBehaviour, StreamWidths } from '../plugins/types.js';
import { checkBehaviour, defaultStreamBehaviour } from '../fifo-sizing/behaviour.js';
import type { TensorValue } from '../tensor/tensor-value.js';
import { chooseLanguage, preferenceFor, FINN_BACKEND_ORDER, type BackendCandidate } from './backend-choice.js';
import { callHook, callHookAsync } from './hook-call.js';
import { hwNodeKind, reportNames } from './hw-nodes.js';
import { buildNodeView, decodeAttributes } from './node-view.js';
import type { BackendChoice, BindOptions, BoundNode, HwApi, NodesOptions } from './types.js';

/** A loaded kernel or backend with the context its hooks are called with. */
interface Loaded<D> {
  entry: ComponentEntry;
  impl: D;
  ctx: PluginContext;
}

/** Parses attributes with a schema (defaults filled); a misfit names the node and, when given, the file. */
function parseWith(schema: z.ZodType | undefined, view: KernelNodeView, component: string, file?: string): KernelNodeView {
  if (!schema) return view;
  const key = attributesKey(view.attrs);
  const cached = key === undefined ? undefined : parsedAttributes.get(schema)?.get(key);
  if (cached) return { ...view, attrs: copyAttributes(cached)!, constantInput: view.constantInput };
  const r = schema.safeParse(view.attrs);
  if (!r.success) {
    const where = file ? `${file}: ` : '';
    throw new BrainsmithError('E_KERNEL_ATTRIBUTES', `${where}node '${view.name}' (${view.opType}): attributes do not fit ${component}: ${formatZodError(r.error)}`, { kind: 'input', file });
  }
  const attrs = r.data as Record<string, unknown>;
  const kept = key === undefined ? undefined : copyAttributes(attrs);
  if (kept) {
    let bySchema = parsedAttributes.get(schema);
    if (!bySchema) parsedAttributes.set(schema, (bySchema = new Map()));
    bySchema.set(key!, kept);
  }
  return { ...view, attrs, constantInput: view.constantInput };
}

/**
 * Parsed attributes by schema and by the attributes' text: a compile asks for the views of the same nodes in
 * many transforms, and zod's parse of a kernel's attributes cost more than the lookup. Parsing is a function
 * of the attributes alone; each caller gets its own copy (hooks may change what they get).
 */
const parsedAttributes = new WeakMap<z.ZodType, Map<string, Record<string, unknown>>>();

/** The attributes as text, when they are numbers, strings and flat arrays of them (else not cached). */
function attributesKey(attrs: Record<string, unknown>): string | undefined {
  let key = '';
  for (const name in attrs) {
    const v = attrs[name];
    let text = scalarKey(v);
    if (text === undefined && Array.isArray(v)) {
      text = '[';
      for (const x of v) {
        const t = scalarKey(x);
        if (t === undefined) return undefined;
        text += `${t},`;
      }
      text += ']';
    }
    if (text === undefined) return undefined;
    key += `${JSON.stringify(name)}:${text};`;
  }
  return key;
}

/** A number (-0, NaN and the infinities told apart) or a string as text; undefined for anything else. */
function scalarKey(v: unknown): string | undefined {
  if (typeof v === 'number') return Object.is(v, -0) ? 'n-0' : `n${v}`;
  if (typeof v === 'string') return `s${JSON.stringify(v)}`;
  return undefined;
}

/** A copy deep enough for values of numbers, strings, booleans and flat arrays; undefined for other values. */
function copyAttributes(attrs: Record<string, unknown>): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const name in attrs) {
    const v = attrs[name];
    if (Array.isArray(v)) {
      if (!v.every((x) => x === null || typeof x !== 'object')) return undefined;
      out[name] = v.slice();
    } else if (v === null || v === undefined || typeof v !== 'object') out[name] = v;
    else return undefined;
  }
  return out;
}

class Bound implements BoundNode {
  readonly kernel: string;
  readonly kernelComponent: string;
  readonly backendComponent: string | undefined;

  constructor(
    readonly node: Node,
    readonly name: string,
    private readonly k: Loaded<KernelDeclaration>,
    private readonly b: Loaded<BackendDeclaration> | undefined,
    readonly language: BackendLanguage | undefined,
    readonly specialized: boolean,
    readonly view: KernelNodeView,
    readonly warnings: readonly string[],
  ) {
    this.kernel = k.entry.name;
    this.kernelComponent = k.entry.qualifiedName;
    this.backendComponent = b?.entry.qualifiedName;
  }

  private kernelHook<T>(hook: string, fn: (impl: KernelDeclaration) => T): T {
    return callHook(this.k.entry, hook, this.name, () => fn(this.k.impl));
  }

  private backendHook<T>(hook: string, fn: (impl: BackendDeclaration) => T): T {
    return callHook(this.b!.entry, hook, this.name, () => fn(this.b!.impl));
  }

  parallelism(): Record<string, ParallelismParam> {
    const k = this.k.impl;
    const base = k.parallelism ? this.kernelHook('parallelism', (i) => i.parallelism!(this.view, this.k.ctx)) : {};
    const refine = this.b?.impl.parallelism ? this.backendHook('parallelism', (i) => i.parallelism!(this.view, this.b!.ctx)) : {};
    const out: Record<string, ParallelismParam> = {};
    for (const [p, v] of Object.entries(base)) out[p] = { ...v, ...(refine[p] ?? {}) };
    return out;
  }

  cycles(attrs?: Readonly<Record<string, unknown>>): number {
    const view = attrs ? { ...this.view, attrs: { ...this.view.attrs, ...attrs }, constantInput: this.view.constantInput } : this.view;
    if (this.b?.impl.cycles) return this.backendHook('cycles', (i) => i.cycles!(view, this.b!.ctx));
    return this.k.impl.cycles ? this.kernelHook('cycles', (i) => i.cycles!(view, this.k.ctx)) : 0;
  }

  streamWidths(): StreamWidths | undefined {
    if (this.b?.impl.streamWidths) return this.backendHook('streamWidths', (i) => i.streamWidths!(this.view, this.b!.ctx));
    return this.k.impl.streamWidths ? this.kernelHook('streamWidths', (i) => i.streamWidths!(this.view, this.k.ctx)) : undefined;
  }

  streamBehaviour(): StreamBehaviour {
    const widths = this.streamWidths();
    let b: StreamBehaviour | undefined;
    if (this.b?.impl.streamBehaviour) b = this.backendHook('streamBehaviour', (i) => i.streamBehaviour!(this.view, this.b!.ctx));
    else if (this.k.impl.streamBehaviour) b = this.kernelHook('streamBehaviour', (i) => i.streamBehaviour!(this.view, this.k.ctx));
    if (b) return checkBehaviour(b, this.name);
    if (!widths) throw new BrainsmithError('E_FIFO_MODEL', `node '${this.name}' (${this.node.opType}): no streamBehaviour and no streamWidths hook, so its streams cannot be modelled`, { kind: 'input' });
    return defaultStreamBehaviour(this.view, widths, this.cycles());
  }

  opAndParamCounts(): Record<string, number> {
    return this.k.impl.opAndParamCounts ? this.kernelHook('opAndParamCounts', (i) => i.opAndParamCounts!(this.view, this.k.ctx)) : {};
  }

  resources(): ResourceEstimate | undefined {
    return this.b?.impl.estimate ? this.backendHook('estimate', (i) => i.estimate!(this.view, this.b!.ctx)) : undefined;
  }

  get hasSynthEstimate(): boolean {
    return typeof this.b?.impl.synthEstimate === 'function';
  }

  synthResources(): ResourceEstimate | undefined {
    if (this.b?.impl.synthEstimate) return this.backendHook('synthEstimate', (i) => i.synthEstimate!(this.view, this.b!.ctx));
    return this.resources();
  }

  async generate(): Promise<GeneratedNode | undefined> {
    const b = this.b;
    if (!b?.impl.generate) return undefined;
    const out = await callHookAsync(b.entry, 'generate', this.name, () => b.impl.generate!(this.view, b.ctx));
    if (!out || typeof out.module !== 'string' || !out.files || typeof out.files !== 'object') {
      throw new BrainsmithError('E_PLUGIN_HOOK', `plugin ${b.entry.plugin.id}, generate() of backend ${b.entry.qualifiedName} at node '${this.name}' returned no { module, files }`, { kind: 'work', file: b.entry.file });
    }
    return out;
  }

  async generates(): Promise<boolean> {
    return typeof this.b?.impl.generate === 'function';
  }

  libraryPath(relative: string): string {
    if (!this.b) throw new BrainsmithError('E_NO_BACKEND', `node '${this.name}' has no backend, so no library '${relative}'`, { kind: 'work' });
    const dir = path.dirname(this.b.entry.file);
    const p = path.resolve(dir, relative);
    if (path.isAbsolute(relative) || !p.startsWith(dir + path.sep)) {
      throw new BrainsmithError('E_PLUGIN_HOOK', `backend ${this.b.entry.qualifiedName} names library '${relative}' outside its own folder`, { kind: 'work', file: this.b.entry.file });
    }
    return p;
  }

  inferShapes(): number[][] | undefined {
    return this.k.impl.inferShapes ? this.kernelHook('inferShapes', (i) => i.inferShapes!(this.view, this.k.ctx)) : undefined;
  }

  inferDatatypes(): string[] | undefined {
    return this.k.impl.inferDatatypes ? this.kernelHook('inferDatatypes', (i) => i.inferDatatypes!(this.view, this.k.ctx)) : undefined;
  }

  async execute(inputs: readonly (TensorValue | undefined)[]): Promise<TensorValue[]> {
    const exec = this.k.impl.execute;
    if (!exec) throw noExecute(this.k, this.name);
    return callHookAsync(this.k.entry, 'execute', this.name, () => exec.call(this.k.impl, inputs, this.view.attrs, this.k.ctx));
  }
}

/** The loaded kernel of a hardware node when it has `hook`. */
function kernelWith(kernels: Map<string, Loaded<KernelDeclaration>>, node: Node, hook: keyof KernelDeclaration): Loaded<KernelDeclaration> | undefined {
  const kind = hwNodeKind(node);
  const k = kind ? kernels.get(kind.kernel) : undefined;
  return k && typeof k.impl[hook] === 'function' ? k : undefined;
}

/** The node as the kernel's hooks see it (attributes parsed by its schema). */
function kernelView(k: Loaded<KernelDeclaration>, model: Model, node: Node): KernelNodeView {
  return parseWith(k.impl.attributeSchema, buildNodeView(model, node), `kernel ${k.entry.qualifiedName}`);
}

function noExecute(k: Loaded<KernelDeclaration>, node: string): BrainsmithError {
  return new BrainsmithError('E_KERNEL_NO_EXECUTE', `kernel ${k.entry.qualifiedName} (node '${node}') has no execute(), so the node cannot be run`, { kind: 'work' });
}

/** The binding of one registry: loads each kernel and backend once. */
export class HwBinding implements HwApi {
  readonly #reg: Registry;
  readonly #loaded = new Map<string, Promise<Loaded<unknown>>>();

  constructor(reg: Registry) {
    this.#reg = reg;
  }

  kindOf(node: Node): { kernel: string; language?: BackendLanguage } | undefined {
    return hwNodeKind(node);
  }

  #load<D>(entry: ComponentEntry): Promise<Loaded<D>> {
    let p = this.#loaded.get(entry.qualifiedName);
    if (!p) {
      p = entry.load().then((d) => ({ entry, impl: implementationOf(d), ctx: contextFor(this.#reg, entry, validateOptions(entry, d)) }));
      this.#loaded.set(entry.qualifiedName, p);
    }
    return p as Promise<Loaded<D>>;
  }

  async #kernel(kernel: string, node: Node, name: string, file?: string): Promise<Loaded<KernelDeclaration>> {
    if (!this.#reg.kernels.has(kernel)) {
      const where = file ? `${file}: ` : '';
      throw new BrainsmithError('E_UNKNOWN_KERNEL', `${where}node '${name}' (${node.opType}, domain ${node.domain}) names kernel '${kernel}', which no kernel plugin declares`, { kind: 'input', file });
    }
    return this.#load<KernelDeclaration>(this.#reg.kernels.get(kernel));
  }

  /** The winning backend of `language` for `kernel` (a shadowed one only when nothing else is there). */
  async #backend(kernel: string, language: BackendLanguage): Promise<Loaded<BackendDeclaration> | undefined> {
    const list = this.#reg.backends.forKernel(kernel, { language });
    const e = list.find((x) => !x.shadowedBy) ?? list[0];
    return e ? this.#load<BackendDeclaration>(e) : undefined;
  }

  async #kernelView(model: Model, node: Node, opts: BindOptions): Promise<{ k: Loaded<KernelDeclaration>; kind: { kernel: string; language?: BackendLanguage }; view: KernelNodeView }> {
    const kind = hwNodeKind(node);
    const name = node.name || opts.name || '';
    if (!kind) throw new BrainsmithError('E_NOT_HW_NODE', `node '${name}' (${node.opType}, domain ${node.domain}) is not a hardware node`, { kind: 'input' });
    const k = await this.#kernel(kind.kernel, node, name, opts.file);
    const raw = buildNodeView(model, node, { name, target: opts.target });
    return { k, kind, view: parseWith(k.impl.attributeSchema, raw, `kernel ${k.entry.qualifiedName}`, opts.file) };
  }

  /** The backend of `lang` for the node, the view it sees (its schema extension parsed) and its viability. */
  async #backendView(kernel: string, lang: BackendLanguage, view: KernelNodeView, file?: string): Promise<{ b: Loaded<BackendDeclaration>; view: KernelNodeView; viable: boolean } | undefined> {
    const b = await this.#backend(kernel, lang);
    if (!b) return undefined;
    const bview = parseWith(b.impl.attributeSchema, view, `backend ${b.entry.qualifiedName}`, file);
    const viable = b.impl.isViable ? callHook(b.entry, 'isViable', view.name, () => b.impl.isViable!(bview, b.ctx)) : true;
    return { b, view: bview, viable };
  }

  /** What each backend language offers for the node, with the view each would see. */
  async #candidates(kernel: string, view: KernelNodeView, name: string): Promise<Record<BackendLanguage, BackendCandidate & { b?: Loaded<BackendDeclaration>; view?: KernelNodeView }>> {
    const out = {} as Record<BackendLanguage, BackendCandidate & { b?: Loaded<BackendDeclaration>; view?: KernelNodeView }>;
    for (const lang of FINN_BACKEND_ORDER) {
      const bv = await this.#backendView(kernel, lang, view);
      if (!bv) {
        out[lang] = { unusable: `no ${lang} backend plugin for ${kernel}`, isDefault: false };
        continue;
      }
      const { b, view: bview, viable } = bv;
      const isDefault = b.impl.isDefault ? callHook(b.entry, 'isDefault', name, () => b.impl.isDefault!(bview, b.ctx)) : true;
      const on = view.target ? ` on ${view.target.part}` : '';
      out[lang] = { unusable: viable ? undefined : `${b.entry.qualifiedName} is not viable for this node${on}`, isDefault, b, view: bview };
    }
    return out;
  }

  async chooseBackend(model: Model, node: Node, opts: BindOptions = {}): Promise<BackendChoice> {
    const { kind, view } = await this.#kernelView(model, node, opts);
    const c = await this.#candidates(kind.kernel, view, view.name);
    const pref = preferenceFor(opts.preferences, view.name, kind.kernel, view.attrs.preferred_impl_style);
    const r = chooseLanguage(c, pref);
    return { language: r.usable ? r.language : undefined, warnings: r.warnings };
  }

  async bind(model: Model, node: Node, opts: BindOptions = {}): Promise<BoundNode> {
    const { k, kind, view } = await this.#kernelView(model, node, opts);
    const name = view.name;
    const language = opts.language ?? kind.language;
    if (language) {
      const bv = await this.#backendView(kind.kernel, language, view, opts.file);
      const warnings: string[] = [];
      if (!bv) warnings.push(`no ${language} backend plugin for kernel ${kind.kernel}: resources not estimated`);
      else if (!bv.viable) warnings.push(`the ${language} backend of ${kind.kernel} is not viable for this node${opts.target ? ` on ${opts.target.part}` : ''}`);
      return new Bound(node, name, k, bv?.b, language, kind.language !== undefined, bv?.view ?? view, warnings);
    }
    const c = await this.#candidates(kind.kernel, view, name);
    const pref = preferenceFor(opts.preferences, name, kind.kernel, view.attrs.preferred_impl_style);
    const r = chooseLanguage(c, pref);
    const chosen = r.language ? c[r.language] : undefined;
    const warnings = r.usable ? [] : r.warnings.map((w) => (/^no \S+ backend plugin/.test(w) ? `${w}: resources not estimated` : w));
    return new Bound(node, name, k, chosen?.b, r.language, false, chosen?.view ?? view, warnings);
  }

  async nodes(model: Model, opts: NodesOptions = {}): Promise<{ nodes: BoundNode[]; unknown: string[] }> {
    const all = model.graph.nodeList();
    const names = reportNames(all);
    const nodes: BoundNode[] = [];
    const unknown: string[] = [];
    for (const node of all) {
      const kind = hwNodeKind(node);
      if (!kind) continue;
      const name = names.get(node)!;
      if (opts.skipUnknown && !this.#reg.kernels.has(kind.kernel)) {
        unknown.push(name);
        continue;
      }
      nodes.push(await this.bind(model, node, { ...opts, name }));
    }
    return { nodes, unknown };
  }

  async declaredAttributes(node: Node): Promise<{ schemas: z.ZodType[]; specs: Record<string, KernelAttributeSpec> } | undefined> {
    const kind = hwNodeKind(node);
    if (!kind || !this.#reg.kernels.has(kind.kernel)) return undefined;
    const k = await this.#load<KernelDeclaration>(this.#reg.kernels.get(kind.kernel));
    const schemas = k.impl.attributeSchema ? [k.impl.attributeSchema] : [];
    const b = kind.language ? await this.#backend(kind.kernel, kind.language) : undefined;
    if (b?.impl.attributeSchema) schemas.push(b.impl.attributeSchema);
    return { schemas, specs: k.impl.attributes ?? {} };
  }

  /** The kernel of every hardware node in `model`, loaded (resolvers are synchronous). */
  async #kernelsOf(model: Model, requireExecute: boolean): Promise<Map<string, Loaded<KernelDeclaration>>> {
    const out = new Map<string, Loaded<KernelDeclaration>>();
    for (const node of model.graph.nodeList()) {
      const kind = hwNodeKind(node);
      if (!kind || out.has(kind.kernel)) continue;
      if (!requireExecute && !this.#reg.kernels.has(kind.kernel)) continue;
      const k = await this.#kernel(kind.kernel, node, node.name);
      if (requireExecute && !k.impl.execute) throw noExecute(k, node.name);
      out.set(kind.kernel, k);
    }
    return out;
  }

  async opResolver(model: Model): Promise<OpResolver> {
    const kernels = await this.#kernelsOf(model, true);
    // Parsed once per node: a batch runs the same node once per sample.
    const parsed = new WeakMap<object, Readonly<Record<string, unknown>>>();
    const impls = new Map<string, OpImpl>();
    for (const [name, k] of kernels) {
      impls.set(name, (inputs, ctx) => {
        let attrs = parsed.get(ctx.node.proto);
        if (!attrs) {
          const raw = decodeAttributes(ctx.node);
          const r = k.impl.attributeSchema?.safeParse(raw);
          attrs = r?.success ? (r.data as Record<string, unknown>) : raw;
          parsed.set(ctx.node.proto, attrs);
        }
        return callHookAsync(k.entry, 'execute', ctx.node.name, () => k.impl.execute!(inputs, attrs, k.ctx));
      });
    }
    return (node) => {
      const kind = hwNodeKind(node);
      return kind ? impls.get(kind.kernel) : undefined;
    };
  }

  async shapeResolver(model: Model): Promise<ShapeResolver> {
    const kernels = await this.#kernelsOf(model, false);
    return (node) => {
      const k = kernelWith(kernels, node, 'inferShapes');
      if (!k) return undefined;
      return (sc) => {
        const view = kernelView(k, model, node);
        const inputShapes = node.inputs.map((_, i) => {
          const s = sc.shape(i);
          return s && s.every((d) => typeof d === 'number') ? (s as number[]) : undefined;
        });
        const shapes = callHook(k.entry, 'inferShapes', node.name, () => k.impl.inferShapes!({ ...view, inputShapes, constantInput: view.constantInput }, k.ctx));
        return shapes.map((shape) => ({ shape, elemType: ElemType.FLOAT }));
      };
    };
  }

  async datatypeResolver(model: Model): Promise<DatatypeResolver> {
    const kernels = await this.#kernelsOf(model, false);
    return (node) => {
      const k = kernelWith(kernels, node, 'inferDatatypes');
      if (!k) return undefined;
      return () => {
        const names = callHook(k.entry, 'inferDatatypes', node.name, () => k.impl.inferDatatypes!(kernelView(k, model, node), k.ctx));
        return names.map((n) => (n ? parseDataType(n) : undefined));
      };
    };
  }
}
