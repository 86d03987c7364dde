/**
 * A registered component as listing and lookup see it: cached metadata plus where it came from. The
 * implementation is imported only by `load()`.
 */
import type { Diagnostic } from './diagnostics.js';
import type { PluginUnit, SourceKind } from './discovery.js';
import type { Capability, ComponentKind } from './schemas.js';
import type { ComponentMeta, Declared } from './types.js';

export type PluginStatus = 'ok' | 'failed' | 'disabled' | 'unmet';

export interface PluginRecord {
  id: string;
  namespace: string;
  source: SourceKind;
  root: string;
  version?: string;
  manifestFile?: string;
  manifest?: PluginUnit['manifest'];
  status: PluginStatus;
  /** Why the status is not ok, one line. */
  reason?: string;
  files: string[];
  components: ComponentEntry[];
  diagnostics: Diagnostic[];
  granted: ReadonlySet<Capability>;
  /** Files imported in this process. */
  imported: boolean;
}

export class ComponentEntry {
  readonly kind: ComponentKind;
  readonly name: string;
  readonly namespace: string;
  readonly qualifiedName: string;
  readonly meta: ComponentMeta;
  readonly plugin: PluginRecord;
  readonly file: string;
  readonly fileStamp: string;
  /** Entries of other namespaces with the same short name that this one wins over. */
  readonly shadows: ComponentEntry[] = [];
  /** The entry that wins this short name, when it is not this one. */
  shadowedBy?: ComponentEntry;
  readonly #load: (e: ComponentEntry) => Promise<Declared>;

  constructor(init: {
    meta: ComponentMeta;
    namespace: string;
    plugin: PluginRecord;
    file: string;
    fileStamp: string;
    load: (e: ComponentEntry) => Promise<Declared>;
  }) {
    this.kind = init.meta.kind;
    this.name = init.meta.name;
    this.namespace = init.namespace;
    this.qualifiedName = `${init.namespace}:${init.meta.name}`;
    this.meta = init.meta;
    this.plugin = init.plugin;
    this.file = init.file;
    this.fileStamp = init.fileStamp;
    this.#load = init.load;
  }

  get description(): string | undefined {
    return this.meta.description;
  }

  /** Imports the implementation (once per process; later calls return the same object). */
  load(): Promise<Declared> {
    return this.#load(this);
  }

  /** Shadowed entries this one does not declare it overrides: what `check` and compile warn about. */
  unannouncedShadows(): ComponentEntry[] {
    return this.shadows.filter((s) => this.meta.overrides !== s.qualifiedName);
  }

  /** Plain data for --json output. */
  toJSON(): Record<string, unknown> {
    return {
      kind: this.kind,
      name: this.name,
      namespace: this.namespace,
      qualifiedName: this.qualifiedName,
      plugin: this.plugin.id,
      source: this.plugin.source,
      file: this.file,
      line: this.meta.line,
      ...metaData(this.meta),
      shadows: this.shadows.map((s) => s.qualifiedName),
      shadowedBy: this.shadowedBy?.qualifiedName,
    };
  }
}

function metaData(m: ComponentMeta): Record<string, unknown> {
  const { kind: _k, name: _n, exportName: _e, line: _l, ...rest } = m;
  return rest;
}
