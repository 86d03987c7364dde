/**
 * One kind's component table: O(1) maps by short name, qualified name and namespace, plus indexes by
 * stage (transforms) and kernel (backends). `asProxy()` adds property access: `reg.transforms.X`,
 * `reg.transforms['X']`, and `reg.transforms.qonnx.FoldConstants`.
 */
import { BrainsmithError } from '../errors.js';
import { editDistance } from '../util/near-names.js';
import type { ComponentEntry } from './entry.js';
import { normalizeStage, type BackendLanguage, type ComponentKind, type Stage } from './schemas.js';

export interface FindFilter {
  stage?: Stage | string;
  namespace?: string;
  source?: string;
  kernel?: string;
  language?: BackendLanguage;
}

export class ComponentTable {
  readonly kind: ComponentKind;
  /** Every entry, in priority then discovery order. */
  readonly entries: ComponentEntry[] = [];
  readonly byShort = new Map<string, ComponentEntry>();
  readonly byQualified = new Map<string, ComponentEntry>();
  readonly byNamespace = new Map<string, Record<string, ComponentEntry>>();
  readonly byStage = new Map<string, ComponentEntry[]>();
  readonly byKernel = new Map<string, ComponentEntry[]>();
  /** Called the first time a shadowed short name is resolved (the registry logs a warning). */
  onShadowedLookup: (winner: ComponentEntry) => void = () => {};
  /** Appended to not-found errors (e.g. which plugins failed to load). */
  missHint: () => string = () => '';
  #warned = new Set<string>();

  constructor(kind: ComponentKind) {
    this.kind = kind;
  }

  /** Adds an entry already checked for duplicates; short-name resolution is done by the registry. */
  add(e: ComponentEntry): void {
    this.entries.push(e);
    this.byQualified.set(e.qualifiedName, e);
    let ns = this.byNamespace.get(e.namespace);
    if (!ns) this.byNamespace.set(e.namespace, (ns = Object.create(null) as Record<string, ComponentEntry>));
    ns[e.name] = e;
    if (e.meta.stage) push(this.byStage, e.meta.stage, e);
    if (e.meta.kernel) push(this.byKernel, shortName(e.meta.kernel), e);
  }

  /** Drops entries (of a plugin that failed after indexing); short names are resolved again by the registry. */
  removeWhere(pred: (e: ComponentEntry) => boolean): void {
    const kept = this.entries.filter((e) => !pred(e));
    if (kept.length === this.entries.length) return;
    this.entries.length = 0;
    this.byQualified.clear();
    this.byNamespace.clear();
    this.byStage.clear();
    this.byKernel.clear();
    this.byShort.clear();
    for (const e of kept) this.add(e);
  }

  tryGet(name: string): ComponentEntry | undefined {
    const e = this.byShort.get(name) ?? this.byQualified.get(name);
    if (e !== undefined && e.shadows.length > 0 && !this.#warned.has(name) && e.unannouncedShadows().length > 0) {
      this.#warned.add(name);
      this.onShadowedLookup(e);
    }
    return e;
  }

  /** The component named `name` (short or `namespace:name`); throws a one-line error with suggestions. */
  get(name: string): ComponentEntry {
    const e = this.tryGet(name);
    if (e) return e;
    throw new BrainsmithError('E_PLUGIN_NOT_FOUND', `no ${this.kind} named '${name}'${this.#suggest(name)}${this.missHint()}`, { kind: 'input' });
  }

  has(name: string): boolean {
    return this.byShort.has(name) || this.byQualified.has(name);
  }

  /** Entries matching every given field. `stage` accepts aliases. */
  find(filter: FindFilter = {}): ComponentEntry[] {
    let list = this.entries;
    if (filter.stage !== undefined) list = this.byStage.get(normalizeStage(filter.stage) ?? filter.stage) ?? [];
    if (filter.kernel !== undefined) list = list.filter((e) => e.meta.kernel !== undefined && kernelMatches(e.meta.kernel, filter.kernel!));
    if (filter.namespace !== undefined) list = list.filter((e) => e.namespace === filter.namespace);
    if (filter.source !== undefined) list = list.filter((e) => e.plugin.source === filter.source || e.namespace === filter.source);
    if (filter.language !== undefined) list = list.filter((e) => e.meta.language === filter.language);
    return list;
  }

  /** Backends implementing `kernel` (short or qualified name), optionally of one language. */
  forKernel(kernel: string, opts: { language?: BackendLanguage } = {}): ComponentEntry[] {
    const list = (this.byKernel.get(shortName(kernel)) ?? []).filter((e) => kernelMatches(e.meta.kernel!, kernel));
    return opts.language ? list.filter((e) => e.meta.language === opts.language) : list;
  }

  all(): ComponentEntry[] {
    return this.entries;
  }

  names(): string[] {
    return [...this.byShort.keys()];
  }

  namespace(ns: string): Readonly<Record<string, ComponentEntry>> | undefined {
    return this.byNamespace.get(ns);
  }

  get size(): number {
    return this.entries.length;
  }

  #suggest(name: string): string {
    const short = shortName(name).toLowerCase();
    const close = [...this.byShort.keys()].filter((n) => {
      const l = n.toLowerCase();
      return l.includes(short) || short.includes(l) || editDistance(l, short) <= 2;
    });
    return close.length ? ` (did you mean ${close.slice(0, 5).join(', ')}?)` : '';
  }

  /** Property access on top of the methods. Methods win, then short names, then namespaces. */
  asProxy(): TableProxy {
    const bound = new Map<PropertyKey, unknown>();
    return new Proxy(this, {
      get(target, prop, receiver) {
        if (typeof prop === 'symbol' || prop in target) {
          const v = Reflect.get(target, prop, target) as unknown;
          if (typeof v !== 'function') return v;
          let b = bound.get(prop);
          if (!b) bound.set(prop, (b = (v as (...a: unknown[]) => unknown).bind(target)));
          return b;
        }
        void receiver;
        return target.tryGet(prop) ?? target.byNamespace.get(prop);
      },
      has(target, prop) {
        return typeof prop === 'string' ? prop in target || target.has(prop) || target.byNamespace.has(prop) : prop in target;
      },
    }) as unknown as TableProxy;
  }
}

/** A table with its entries also reachable as properties. */
export type TableLookup = ComponentEntry & { readonly [name: string]: ComponentEntry };
export type TableProxy = ComponentTable & { readonly [name: string]: TableLookup };

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

export function shortName(n: string): string {
  const i = n.indexOf(':');
  return i < 0 ? n : n.slice(i + 1);
}

function kernelMatches(declared: string, asked: string): boolean {
  if (declared === asked) return true;
  // A qualified request must match a qualified declaration; a short one matches either.
  return !asked.includes(':') && shortName(declared) === asked;
}
