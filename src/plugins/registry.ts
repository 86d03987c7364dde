/**
 * The registry: discovery + cache + lazy loading, and the four component tables. Opening it imports
 * only files whose cache entry is missing or stale; everything else comes from the cache. Broken
 * plugins are recorded with file, line and cause and do not stop the others.
 */
import * as path from 'node:path';
import { pino, type Logger } from 'pino';
import semver from 'semver';
import { BrainsmithError, errorMessage, isBrainsmithError } from '../errors.js';
import { grantedCapabilities } from './capabilities.js';
import { findProjectDir, readProjectConfig, PROJECT_PLUGIN_DIR, CONFIG_FILE, type ProjectConfig } from './config.js';
import { diag, type Diagnostic, type DiagnosticCode } from './diagnostics.js';
import { discover, SOURCE_PRIORITY, userHome, type PluginFile, type PluginUnit, type SourceInfo } from './discovery.js';
import { ComponentEntry, type PluginRecord } from './entry.js';
import { EventBus } from './events.js';
import { declaredOf } from './define.js';
import { extractComponents, findExport } from './extract.js';
import { hostVersion as readHostVersion } from './host.js';
import { bundledBuiltin } from './host-entry.js';
import { importBundle, importPluginFile } from './loader.js';
import { MetadataCache } from './cache.js';
import { bundleColdFiles, hostCodeDir, prepareFiles, pruneCode } from './transpile.js';
import { ServiceRegistry } from './services.js';
import { COMPONENT_KINDS, type ComponentKind } from './schemas.js';
import { ComponentTable, type TableProxy } from './table.js';
import type { ComponentMeta, Declared } from './types.js';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { HwBinding } from '../hw/binding.js';
import type { HwApi } from '../hw/types.js';

export interface OpenRegistryOptions {
  /** Where to look for the project (default: process.cwd()); ignored when projectDir is given. */
  cwd?: string;
  projectDir?: string;
  /** User home (default $HOME). */
  home?: string;
  /** Overrides $BRAINSMITH_PLUGIN_PATH. */
  pluginPath?: string;
  builtinDirs?: string[];
  hostVersion?: string;
  log?: Logger;
  /** Use and update the metadata cache (default true). */
  cache?: boolean;
  /** Fail when any plugin fails to load (--strict-plugins). */
  strict?: boolean;
  /** Share an event bus, e.g. to see plugin:failed during opening. */
  events?: EventBus;
  /**
   * Components declared in memory (defineTransform(...) values, or decorated classes), registered like
   * files with the same validation, duplicate and shadowing rules, in namespace `code` (see register()).
   */
  components?: unknown[];
}

export interface RegistryStats {
  files: number;
  cacheHits: number;
  cacheMisses: number;
  imported: number;
  openMs: number;
}

const IMPORT_CONCURRENCY = 16;
/** Files per esbuild call when transpiling cold files (see openRegistry). */
const TRANSPILE_CHUNK = 200;
/** Fewer cold files than this in a chunk are not worth a bundle (see bundleColdFiles). */
const BUNDLE_MIN_FILES = 16;

function stampOf(f: PluginFile): string {
  return `${f.size}-${f.mtimeMs}`;
}


export class Registry {
  readonly projectDir: string;
  readonly config: ProjectConfig;
  readonly hostVersion: string;
  readonly log: Logger;
  readonly events: EventBus;
  readonly services = new ServiceRegistry();
  readonly sources: SourceInfo[];
  readonly plugins: PluginRecord[] = [];
  readonly diagnostics: Diagnostic[] = [];
  readonly stats: RegistryStats = { files: 0, cacheHits: 0, cacheMisses: 0, imported: 0, openMs: 0 };
  readonly #tables: Record<ComponentKind, ComponentTable>;
  readonly transforms: TableProxy;
  readonly kernels: TableProxy;
  readonly backends: TableProxy;
  readonly steps: TableProxy;
  /** Loaded implementations by qualified name, so each component is imported and set up once. */
  readonly #loaded = new Map<string, Promise<Declared>>();
  readonly #preloaded = new Map<string, Record<string, unknown>>();
  /** Per plugin file: its stamp and the folder of its transpiled code (none when the cache is off). */
  readonly codeDirs = new Map<string, { file: PluginFile; dir: string }>();
  #hw: HwBinding | undefined;
  /** Hardware nodes bound to this registry's kernels and backends (`ctx.hw` of every plugin). */
  get hw(): HwApi {
    return (this.#hw ??= new HwBinding(this));
  }
  /** Called after a component is imported for the first time (runtime.ts runs setup hooks). */
  onLoad: ((entry: ComponentEntry, declared: Declared) => Promise<void>) | undefined;

  constructor(init: { projectDir: string; config: ProjectConfig; hostVersion: string; log: Logger; events: EventBus; sources: SourceInfo[] }) {
    this.projectDir = init.projectDir;
    this.config = init.config;
    this.hostVersion = init.hostVersion;
    this.log = init.log;
    this.events = init.events;
    this.sources = init.sources;
    this.#tables = {
      transform: new ComponentTable('transform'),
      kernel: new ComponentTable('kernel'),
      backend: new ComponentTable('backend'),
      step: new ComponentTable('step'),
    };
    for (const t of Object.values(this.#tables)) {
      t.onShadowedLookup = (e) =>
        this.log.warn(
          `${e.kind} '${e.name}' is defined by ${[e, ...e.unannouncedShadows()].map((x) => x.qualifiedName).join(' and ')}; using ${e.qualifiedName} (${e.plugin.source} wins). Refer to it by qualified name, or declare overrides: '${e.unannouncedShadows()[0]!.qualifiedName}'`,
        );
      t.missHint = () => {
        const failed = this.plugins.filter((p) => p.status === 'failed');
        return failed.length ? `; ${failed.length} plugin(s) failed to load and may define it: ${failed.map((p) => p.reason).join('; ')}` : '';
      };
    }
    this.transforms = this.#tables.transform.asProxy();
    this.kernels = this.#tables.kernel.asProxy();
    this.backends = this.#tables.backend.asProxy();
    this.steps = this.#tables.step.asProxy();
  }

  table(kind: ComponentKind): ComponentTable {
    return this.#tables[kind];
  }

  /** A component of any kind by qualified name. */
  component(qualifiedName: string): ComponentEntry | undefined {
    for (const k of COMPONENT_KINDS) {
      const e = this.#tables[k].byQualified.get(qualifiedName);
      if (e) return e;
    }
    return undefined;
  }

  /** Components of any kind whose short or qualified name is `name`. */
  lookupAny(name: string): ComponentEntry[] {
    const out: ComponentEntry[] = [];
    for (const k of COMPONENT_KINDS) {
      const t = this.#tables[k];
      const e = t.byQualified.get(name);
      if (e) out.push(e);
      else for (const x of t.entries) if (x.name === name) out.push(x);
    }
    return out;
  }

  plugin(id: string): PluginRecord | undefined {
    return this.plugins.find((p) => p.id === id);
  }

  /** Imports the component's file (once) and returns its declaration. */
  loadEntry(entry: ComponentEntry): Promise<Declared> {
    let p = this.#loaded.get(entry.qualifiedName);
    if (!p) {
      p = this.#importEntry(entry);
      this.#loaded.set(entry.qualifiedName, p);
      p.catch(() => this.#loaded.delete(entry.qualifiedName));
    }
    return p;
  }

  /** Qualified names of the components loaded so far, for teardown. */
  loadedNames(): string[] {
    return [...this.#loaded.keys()];
  }

  /** A file's module namespace, imported as part of a bundle (see transpile.ts): used instead of a second import. */
  preload(file: string, ns: Record<string, unknown>): void {
    this.#preloaded.set(file, ns);
  }

  preloaded(file: string): Record<string, unknown> | undefined {
    return this.#preloaded.get(file);
  }

  async #importEntry(entry: ComponentEntry): Promise<Declared> {
    const pre = this.#preloaded.get(entry.file);
    const bundled = pre || entry.plugin.source !== 'builtin' ? undefined : bundledBuiltin(entry.file);
    let mod = pre ?? (bundled ? await bundled() : undefined);
    if (!mod) {
      const code = this.codeDirs.get(entry.file);
      const url = entry.plugin.source === 'builtin' ? builtinUrl(entry.file) : code ? (await prepareFiles([code.file], code.dir)).urls.get(entry.file) : undefined;
      mod = await importPluginFile(entry.file, entry.fileStamp, url);
    }
    if (!entry.plugin.imported) {
      entry.plugin.imported = true;
      this.events.publish('plugin:loaded', { plugin: entry.plugin.id, file: entry.file });
    }
    const d = findExport(mod, entry.meta.exportName);
    if (!d || d.kind !== entry.kind || (d.declaration as { name: string }).name !== entry.name) {
      throw new BrainsmithError(
        'E_PLUGIN_LOAD_CHANGED',
        `${entry.file}: export '${entry.meta.exportName}' no longer declares ${entry.kind} ${entry.name}; run the command again to rescan`,
        { file: entry.file },
      );
    }
    if (this.onLoad) await this.onLoad(entry, d);
    return d;
  }

  /** Adds the components of one plugin, enforcing unique qualified names. */
  addComponents(rec: PluginRecord, file: PluginFile, metas: ComponentMeta[]): void {
    for (const meta of metas) {
      const entry = new ComponentEntry({
        meta,
        namespace: rec.namespace,
        plugin: rec,
        file: file.path,
        fileStamp: stampOf(file),
        load: (e) => this.loadEntry(e),
      });
      const table = this.#tables[meta.kind];
      const prev = table.byQualified.get(entry.qualifiedName);
      if (prev) {
        const d = diag(
          'E_PLUGIN_DUPLICATE',
          `${meta.kind} ${entry.qualifiedName} is declared twice: ${prev.file}${prev.meta.line ? `:${prev.meta.line}` : ''} and ${file.path}${meta.line ? `:${meta.line}` : ''}`,
          { plugin: rec.id, file: file.path, line: meta.line },
        );
        this.#fail(rec, d);
        continue;
      }
      table.add(entry);
      rec.components.push(entry);
    }
  }

  #fail(rec: PluginRecord, d: Diagnostic): void {
    rec.diagnostics.push(d);
    this.diagnostics.push(d);
    if (d.severity === 'error' && rec.status === 'ok') {
      rec.status = 'failed';
      rec.reason = d.message;
      this.events.publish('plugin:failed', { plugin: rec.id, code: d.code, message: d.message, file: d.file, line: d.line });
    }
  }

  /**
   * Settles plugin statuses and the tables after loading: a plugin whose `requires` names a plugin that is
   * not ok becomes unmet, and a plugin that is not ok contributes nothing (its components leave the tables,
   * so a compile cannot use half a failed plugin). Then short names are resolved again.
   */
  settle(): void {
    for (let changed = true; changed; ) {
      changed = false;
      for (const rec of this.plugins) {
        if (rec.status !== 'ok') continue;
        for (const id of Object.keys(rec.manifest?.requires ?? {})) {
          const dep = this.plugin(id);
          if (!dep || dep.status === 'ok') continue;
          rec.status = 'unmet';
          rec.reason = `requires plugin ${id}, which is ${dep.status === 'disabled' ? 'disabled' : dep.status === 'unmet' ? 'not loaded (unmet dependency)' : 'failed'}`;
          const d = diag('E_PLUGIN_REQUIRES', `plugin ${rec.id} ${rec.reason}`, { plugin: rec.id, file: rec.manifestFile });
          rec.diagnostics.push(d);
          this.diagnostics.push(d);
          this.events.publish('plugin:failed', { plugin: rec.id, code: d.code, message: d.message, file: d.file });
          changed = true;
          break;
        }
      }
    }
    for (const rec of this.plugins) {
      if (rec.status === 'ok' || !rec.components.length) continue;
      const gone = new Set(rec.components);
      for (const t of Object.values(this.#tables)) t.removeWhere((e) => gone.has(e));
      rec.components.length = 0;
    }
    this.resolveShortNames();
  }

  /** Short-name resolution: the strongest source wins; ties go to discovery order. */
  resolveShortNames(): void {
    // Idempotent: settle() calls it again after components left the tables.
    const derived = new Set<DiagnosticCode>(['W_PLUGIN_SHADOWED', 'W_OVERRIDES_NOTHING', 'W_BACKEND_UNKNOWN_KERNEL']);
    const keep = this.diagnostics.filter((d) => !derived.has(d.code));
    this.diagnostics.splice(0, this.diagnostics.length, ...keep);
    for (const table of Object.values(this.#tables)) {
      table.byShort.clear();
      for (const e of table.entries) {
        e.shadows.length = 0;
        e.shadowedBy = undefined;
      }
    }
    for (const table of Object.values(this.#tables)) {
      const groups = new Map<string, ComponentEntry[]>();
      for (const e of table.entries) {
        const g = groups.get(e.name);
        if (g) g.push(e);
        else groups.set(e.name, [e]);
      }
      for (const [name, group] of groups) {
        const sorted = [...group].sort((a, b) => priorityOf(a) - priorityOf(b));
        const winner = sorted[0]!;
        table.byShort.set(name, winner);
        for (const loser of sorted.slice(1)) {
          winner.shadows.push(loser);
          loser.shadowedBy = winner;
        }
        for (const loser of winner.unannouncedShadows()) {
          this.diagnostics.push(
            diag('W_PLUGIN_SHADOWED', `${table.kind} '${name}': ${winner.qualifiedName} (${winner.plugin.source}) shadows ${loser.qualifiedName} (${loser.plugin.source}) without declaring overrides: '${loser.qualifiedName}'`, {
              plugin: winner.plugin.id,
              file: winner.file,
              line: winner.meta.line,
            }),
          );
        }
        if (winner.meta.overrides && !sorted.some((e) => e.qualifiedName === winner.meta.overrides)) {
          this.diagnostics.push(
            diag('W_OVERRIDES_NOTHING', `${winner.qualifiedName} declares overrides: '${winner.meta.overrides}', which does not exist`, {
              plugin: winner.plugin.id,
              file: winner.file,
              line: winner.meta.line,
            }),
          );
        }
      }
    }
    const kernels = this.#tables.kernel;
    for (const b of this.#tables.backend.entries) {
      const k = b.meta.kernel!;
      if (!kernels.has(k)) {
        this.diagnostics.push(diag('W_BACKEND_UNKNOWN_KERNEL', `backend ${b.qualifiedName} implements kernel '${k}', which no plugin declares`, { plugin: b.plugin.id, file: b.file, line: b.meta.line }));
      }
    }
  }

  /**
   * Registers components declared in memory (a script or a test): `defineTransform(...)` values or classes
   * decorated with `@transform` & co. They belong to a plugin of source `code` (the strongest, so they win a
   * short name, with the usual shadowing warning unless they declare `overrides`), in namespace `code`
   * unless another is given. The same qualified name twice is E_PLUGIN_DUPLICATE, as for files.
   */
  register(components: unknown | unknown[], opts: { namespace?: string; id?: string } = {}): ComponentEntry[] {
    const list = Array.isArray(components) ? components : [components];
    const namespace = opts.namespace ?? 'code';
    const id = opts.id ?? namespace;
    const file = `<code:${id}>`;
    const mod: Record<string, unknown> = {};
    list.forEach((c, i) => {
      if (!declaredOf(c)) {
        throw new BrainsmithError('E_PLUGIN_EXPORT', `register(): item ${i} is not a declared component (wrap it in defineTransform/defineKernel/defineBackend/defineStep, or decorate the class)`, { kind: 'input' });
      }
      mod[`c${i}`] = c;
    });
    let rec = this.plugins.find((p) => p.source === 'code' && p.id === id);
    if (!rec) {
      rec = { id, namespace, source: 'code', root: '', status: 'ok', files: [file], components: [], diagnostics: [], granted: grantedCapabilities({ id, namespace, source: 'code', asked: undefined }, this.config.plugins), imported: true };
      this.plugins.push(rec);
    }
    const prev = this.preloaded(file) ?? {};
    const offset = Object.keys(prev).length;
    const shifted = Object.fromEntries(Object.values(mod).map((v, i) => [`c${offset + i}`, v]));
    const metas = extractComponents(shifted, file).map((c) => c.meta);
    // Duplicates fail the call (the caller is right there), not the plugin.
    const names = new Set<string>();
    for (const m of metas) {
      const q = `${namespace}:${m.name}`;
      const prevEntry = this.#tables[m.kind].byQualified.get(q);
      if (prevEntry || names.has(`${m.kind} ${q}`)) {
        throw new BrainsmithError('E_PLUGIN_DUPLICATE', `${m.kind} ${q} is declared twice: ${prevEntry ? `${prevEntry.file}${prevEntry.meta.line ? `:${prevEntry.meta.line}` : ''}` : 'in this register() call'} and ${m.line ? `line ${m.line} of the caller` : 'register()'}`, { kind: 'input' });
      }
      names.add(`${m.kind} ${q}`);
    }
    this.preload(file, { ...prev, ...shifted });
    const before = rec.components.length;
    this.addComponents(rec, { path: file, size: 0, mtimeMs: 0 }, metas);
    this.resolveShortNames();
    return rec.components.slice(before);
  }

  /** Counts per kind, for `plugins list`. */
  counts(): Record<ComponentKind, number> {
    return { transform: this.#tables.transform.size, kernel: this.#tables.kernel.size, backend: this.#tables.backend.size, step: this.#tables.step.size };
  }
}

function priorityOf(e: ComponentEntry): number {
  return SOURCE_PRIORITY[e.plugin.source];
}

function recordOf(u: PluginUnit, cfg: ProjectConfig): PluginRecord {
  return {
    id: u.id,
    namespace: u.namespace,
    source: u.source,
    root: u.root,
    version: u.version,
    manifestFile: u.manifestFile,
    manifest: u.manifest,
    status: 'ok',
    files: u.files.map((f) => f.path),
    components: [],
    diagnostics: [],
    granted: grantedCapabilities({ id: u.id, namespace: u.namespace, source: u.source, asked: u.manifest ? (u.manifest.capabilities ?? []) : undefined }, cfg.plugins),
    imported: false,
  };
}

/** Unmet host range or `requires`: one line naming what is missing and what was found. */
function unmetReason(u: PluginUnit, host: string, byId: Map<string, PluginUnit>): string | undefined {
  const m = u.manifest;
  if (!m) return undefined;
  if (m.brainsmith && !semver.satisfies(host, m.brainsmith, { includePrerelease: true })) {
    return `needs brainsmith ${m.brainsmith}, found ${host}`;
  }
  for (const [id, range] of Object.entries(m.requires ?? {})) {
    const dep = byId.get(id);
    if (!dep) return `requires plugin ${id} ${range}, which is not installed`;
    if (!dep.version) return `requires plugin ${id} ${range}, found ${id} without a version`;
    if (!semver.satisfies(dep.version, range, { includePrerelease: true })) return `requires plugin ${id} ${range}, found ${dep.version}`;
  }
  return undefined;
}

async function mapLimit<T>(items: T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/** The cache file for a scope: the project's `.brainsmith/cache`, or the user's. */
export function cacheFiles(projectDir: string, home: string): { project: string; user: string } {
  return {
    project: path.join(projectDir, '.brainsmith', 'cache', 'plugins.json'),
    user: path.join(home, '.brainsmith', 'cache', 'plugins.json'),
  };
}

/** Discovers, loads (from cache where valid) and indexes every plugin. */
export async function openRegistry(opts: OpenRegistryOptions = {}): Promise<Registry> {
  const t0 = performance.now();
  const projectDir = opts.projectDir ?? findProjectDir(opts.cwd);
  const config = readProjectConfig(projectDir);
  const host = opts.hostVersion ?? readHostVersion();
  const log = opts.log ?? silentLogger();
  const home = userHome(opts.home);
  const events = opts.events ?? new EventBus((e, event, owner) => log.warn(`event handler of ${owner} for ${event} threw: ${errorMessage(e)}`));
  const found = discover({ projectDir, config, home: opts.home, pluginPath: opts.pluginPath, builtinDirs: opts.builtinDirs, hostVersion: host });
  const reg = new Registry({ projectDir, config, hostVersion: host, log, events, sources: found.sources });
  reg.diagnostics.push(...found.problems);

  const useCache = opts.cache !== false;
  const files = cacheFiles(projectDir, home);
  const userCache = new MetadataCache(files.user, host);
  // Without a project (no config, no plugin folder) everything is cached in the user folder, so that
  // running brainsmith in an arbitrary folder leaves nothing behind there.
  const hasProject = existsSync(path.join(projectDir, CONFIG_FILE)) || existsSync(path.join(projectDir, PROJECT_PLUGIN_DIR));
  const projectCache = hasProject ? new MetadataCache(files.project, host) : userCache;
  if (useCache) {
    userCache.load();
    if (projectCache !== userCache) projectCache.load();
  }
  // Built-ins belong to the installed host, not to a project: one user-folder entry serves every project,
  // so a new project (or a cleared project cache) does not import them all again.
  const cacheFor = (u: PluginUnit): MetadataCache => (u.source === 'user' || u.source === 'builtin' ? userCache : projectCache);
  // One per cache (a hash each): asked for every plugin file.
  const codeDirs = new Map<MetadataCache, string>();
  const codeDirFor = (u: PluginUnit): string => {
    const cache = cacheFor(u);
    let dir = codeDirs.get(cache);
    if (dir === undefined) codeDirs.set(cache, (dir = hostCodeDir(path.dirname(cache.file), host)));
    return dir;
  };

  const byId = new Map<string, PluginUnit>();
  for (const u of found.units) if (!byId.has(u.id)) byId.set(u.id, u);
  const disabled = new Set(config.plugins.disabled ?? []);
  const pending: { rec: PluginRecord; unit: PluginUnit; file: PluginFile }[] = [];
  const ready: { rec: PluginRecord; file: PluginFile; metas: ComponentMeta[] }[] = [];

  for (const u of found.units) {
    const rec = recordOf(u, config);
    reg.plugins.push(rec);
    reg.stats.files += u.files.length;
    const cache = cacheFor(u);
    for (const d of u.problems) {
      rec.diagnostics.push(d);
      reg.diagnostics.push(d);
    }
    const firstError = u.problems.find((d) => d.severity === 'error');
    if (firstError && !u.manifest) {
      rec.status = 'failed';
      rec.reason = firstError.message;
      events.publish('plugin:failed', { plugin: rec.id, code: firstError.code, message: firstError.message, file: firstError.file });
      continue;
    }
    if (u.manifest?.enabled === false || disabled.has(u.id)) {
      rec.status = 'disabled';
      rec.reason = u.manifest?.enabled === false ? `disabled in ${u.manifestFile}` : `disabled in ${config.file}`;
      const d = diag('I_PLUGIN_DISABLED', `plugin ${u.id} is ${rec.reason}`, { plugin: u.id });
      rec.diagnostics.push(d);
      for (const f of u.files) cache.keep(f.path);
      continue;
    }
    const unmet = unmetReason(u, host, byId);
    if (unmet) {
      rec.status = 'unmet';
      rec.reason = unmet;
      const d = diag(unmet.startsWith('needs brainsmith') ? 'E_PLUGIN_HOST_RANGE' : 'E_PLUGIN_REQUIRES', `plugin ${u.id} ${unmet}`, { plugin: u.id, file: u.manifestFile });
      rec.diagnostics.push(d);
      reg.diagnostics.push(d);
      events.publish('plugin:failed', { plugin: rec.id, code: d.code, message: d.message, file: d.file });
      for (const f of u.files) cache.keep(f.path);
      continue;
    }
    if (firstError) {
      rec.status = 'failed';
      rec.reason = firstError.message;
      events.publish('plugin:failed', { plugin: rec.id, code: firstError.code, message: firstError.message, file: firstError.file });
    }
    for (const f of u.files) {
      // Built-ins are compiled JavaScript, never transpiled (#importEntry): no code folder.
      if (useCache && u.source !== 'builtin') reg.codeDirs.set(f.path, { file: f, dir: codeDirFor(u) });
      const metas = useCache ? cache.get(f) : undefined;
      if (metas) ready.push({ rec, file: f, metas });
      else pending.push({ rec, unit: u, file: f });
    }
  }

  // Cold files: import in parallel (bounded), extracting what each declares.
  const results = new Map<PluginFile, ComponentMeta[]>();
  const urls = new Map<string, string>();
  const helpers = new Map<string, string[]>();
  type Pending = (typeof pending)[number];
  const importOne = async ({ rec, unit, file }: Pending): Promise<void> => {
    try {
      const bundled = unit.source === 'builtin' ? bundledBuiltin(file.path) : undefined;
      const mod = reg.preloaded(file.path) ?? (bundled ? await bundled() : await importPluginFile(file.path, stampOf(file), urls.get(file.path)));
      const metas = extractComponents(mod, file.path).map((c) => c.meta);
      results.set(file, metas);
      reg.stats.imported++;
      rec.imported = true;
      if (useCache) cacheFor(unit).set(file, metas, helpers.get(file.path));
    } catch (e) {
      const err = isBrainsmithError(e) ? e : new BrainsmithError('E_PLUGIN_IMPORT', `${file.path}: ${errorMessage(e)}`, { file: file.path });
      const line = /:(\d+):/.exec(err.message.slice(file.path.length))?.[1];
      const d = diag(err.code as DiagnosticCode, err.message, { plugin: rec.id, file: file.path, line: line ? Number(line) : undefined });
      results.set(file, []);
      if (useCache) cacheFor(unit).delete(file.path);
      failPlugin(reg, rec, d);
    }
  };
  for (const p of pending) {
    const u = p.unit.source === 'builtin' ? builtinUrl(p.file.path) : undefined;
    if (u) urls.set(p.file.path, u);
  }
  // Transpile in chunks, one build ahead: esbuild works in its own process while this one imports the
  // chunk before. Files with plain-module code are all imported before any that needs tsx, because the
  // first of those installs loader hooks and from then on every import crosses to the hooks' thread.
  const chunks: { dir: string; items: Pending[] }[] = [];
  if (useCache) {
    for (const p of pending) {
      if (p.unit.source === 'builtin') continue; // compiled JavaScript, imported as it is
      const dir = codeDirFor(p.unit);
      const last = chunks[chunks.length - 1];
      if (last && last.dir === dir && last.items.length < TRANSPILE_CHUNK) last.items.push(p);
      else chunks.push({ dir, items: [p] });
    }
  }
  // A chunk of many files is bundled; a few are transpiled file by file, their code kept for first use.
  const prepare = (i: number) => {
    const c = chunks[i];
    return c && c.items.length >= BUNDLE_MIN_FILES ? bundleColdFiles(c.items.map((p) => p.file), c.dir) : undefined;
  };
  let inflight = prepare(0);
  await mapLimit(pending.filter((p) => urls.has(p.file.path)), IMPORT_CONCURRENCY, importOne);
  for (let i = 0; i < chunks.length; i++) {
    const bundle = await inflight;
    inflight = prepare(i + 1);
    let items = chunks[i]!.items;
    if (bundle) {
      for (const [f, h] of bundle.helpers) helpers.set(f, h);
      const namespaces = await importBundle(bundle);
      for (const [file, ns] of namespaces ?? []) reg.preload(file, ns);
      await mapLimit(items.filter((p) => reg.preloaded(p.file.path)), IMPORT_CONCURRENCY, importOne);
      items = items.filter((p) => !results.has(p.file) && !helpers.has(p.file.path));
    }
    // No bundle, or one that threw at import: file by file, so that each failure is reported on its own.
    if (items.length) {
      const prepared = await prepareFiles(items.map((p) => p.file), chunks[i]!.dir);
      for (const [f, u] of prepared.urls) urls.set(f, u);
      for (const [f, h] of prepared.helpers) helpers.set(f, h);
      await mapLimit(items.filter((p) => prepared.urls.has(p.file.path)), IMPORT_CONCURRENCY, importOne);
    }
  }
  await mapLimit(pending.filter((p) => !results.has(p.file)), IMPORT_CONCURRENCY, importOne);
  // Register in discovery order so that ties between equal sources are deterministic.
  const order = new Map<PluginFile, number>();
  let i = 0;
  for (const u of found.units) for (const f of u.files) order.set(f, i++);
  const all = [...ready, ...pending.map((p) => ({ rec: p.rec, file: p.file, metas: results.get(p.file) ?? [] }))];
  all.sort((a, b) => order.get(a.file)! - order.get(b.file)!);
  for (const r of all) reg.addComponents(r.rec, r.file, r.metas);
  reg.settle();

  reg.stats.cacheHits = userCache.hits + (projectCache !== userCache ? projectCache.hits : 0);
  reg.stats.cacheMisses = pending.length;
  if (useCache) {
    userCache.save();
    if (projectCache !== userCache) projectCache.save();
    if (pending.length) {
      // Only the project's code folder is pruned: the user's is shared by runs in other projects.
      const live = found.units.filter((u) => cacheFor(u) === projectCache && projectCache !== userCache).flatMap((u) => u.files);
      if (live.length) pruneCode(codeDirFor(found.units.find((u) => cacheFor(u) === projectCache)!), live);
    }
  }

  if (opts.strict) {
    const failed = reg.plugins.filter((p) => p.status === 'failed' || p.status === 'unmet');
    // Problems that belong to no plugin (a configured folder that does not exist) fail strict loading too.
    const other = found.problems.filter((d) => d.severity === 'error');
    if (failed.length || other.length) {
      const what = [...other.map((d) => d.message), ...failed.map((p) => `${p.id}: ${p.reason}`)];
      throw new BrainsmithError('E_PLUGIN_FAILED', `${failed.length} plugin(s) failed to load${other.length ? ` and ${other.length} plugin source problem(s)` : ''} (--strict-plugins): ${what.join('; ')}`, { kind: 'input' });
    }
  }
  // eager: true imports at start (after indexing, so a failure is reported like any other load).
  // Their setup hooks run when the lifecycle is enabled (enableLifecycle), providers first.
  const eager = reg.plugins.filter((p) => p.status === 'ok' && p.manifest?.eager);
  let eagerFailed = false;
  for (const p of eager) {
    for (const c of [...p.components]) {
      try {
        await reg.loadEntry(c);
      } catch (e) {
        eagerFailed = true;
        failPlugin(reg, p, diag(isBrainsmithError(e) ? (e.code as DiagnosticCode) : 'E_PLUGIN_IMPORT', errorMessage(e), { plugin: p.id, file: c.file }));
      }
    }
  }
  if (eagerFailed) reg.settle();
  if (opts.components?.length) reg.register(opts.components);
  reg.stats.openMs = performance.now() - t0;
  log.debug({ stats: reg.stats }, 'plugins loaded');
  return reg;
}

/** Built-ins are compiled JavaScript importing the package by relative paths: no hooks needed. */
function builtinUrl(file: string): string | undefined {
  return /\.m?js$/.test(file) ? pathToFileURL(file).href : undefined;
}

function failPlugin(reg: Registry, rec: PluginRecord, d: Diagnostic): void {
  rec.diagnostics.push(d);
  reg.diagnostics.push(d);
  if (rec.status === 'ok') {
    rec.status = 'failed';
    rec.reason = d.message;
    reg.events.publish('plugin:failed', { plugin: rec.id, code: d.code, message: d.message, file: d.file, line: d.line });
  }
}
