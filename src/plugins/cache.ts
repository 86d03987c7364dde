/**
 * The metadata cache: for each plugin file, what it declares, keyed by path, size and mtime, in a file
 * stamped with the host version. A valid entry means listing and lookup need not import the file. New
 * files miss, changed files miss, and entries of deleted files are dropped on save, so
 * an edit, a new file, a deleted file or a config change invalidates exactly the files it touches. A
 * plugin file that imports local helpers (./util.ts) also records their size and mtime: editing a helper
 * invalidates the plugin files that import it.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { PluginFile } from './discovery.js';
import type { ComponentMeta } from './types.js';

const FORMAT = 1;

interface Entry {
  size: number;
  mtimeMs: number;
  components: ComponentMeta[];
  /** Local files the plugin file imports, with the size and mtime they had: a change to one is a miss. */
  helpers?: { path: string; size: number; mtimeMs: number }[];
}

function helpersUnchanged(e: Entry): boolean {
  for (const h of e.helpers ?? []) {
    try {
      const st = statSync(h.path);
      if (st.size !== h.size || st.mtimeMs !== h.mtimeMs) return false;
    } catch {
      return false;
    }
  }
  return true;
}

interface CacheDoc {
  format: number;
  host: string;
  files: Record<string, Entry>;
}

export class MetadataCache {
  readonly file: string;
  readonly host: string;
  #entries = new Map<string, Entry>();
  #seen = new Set<string>();
  #dirty = false;
  /** Counters for tests and `--log-level debug`. */
  hits = 0;
  misses = 0;

  constructor(file: string, host: string) {
    this.file = file;
    this.host = host;
  }

  /** Reads the cache file; a missing, corrupt or other-version file just means an empty cache. */
  load(): this {
    try {
      const doc = JSON.parse(readFileSync(this.file, 'utf8')) as CacheDoc;
      if (doc.format === FORMAT && doc.host === this.host && doc.files && typeof doc.files === 'object') {
        for (const [p, e] of Object.entries(doc.files)) this.#entries.set(p, e);
      } else {
        this.#dirty = true;
      }
    } catch {
      this.#dirty = true;
    }
    return this;
  }

  get(f: PluginFile): ComponentMeta[] | undefined {
    this.#seen.add(f.path);
    const e = this.#entries.get(f.path);
    if (e && e.size === f.size && e.mtimeMs === f.mtimeMs && helpersUnchanged(e)) {
      this.hits++;
      return e.components;
    }
    this.misses++;
    return undefined;
  }

  set(f: PluginFile, components: ComponentMeta[], helperFiles: string[] = []): void {
    this.#seen.add(f.path);
    const helpers: Entry['helpers'] = [];
    for (const p of helperFiles) {
      try {
        const st = statSync(p);
        helpers.push({ path: p, size: st.size, mtimeMs: st.mtimeMs });
      } catch {
        // gone already: the entry will miss on its own next time the plugin file is read
      }
    }
    this.#entries.set(f.path, { size: f.size, mtimeMs: f.mtimeMs, components, ...(helpers.length ? { helpers } : {}) });
    this.#dirty = true;
  }

  /** Forgets a file (e.g. it failed to load, so the next run retries it). */
  delete(p: string): void {
    this.#seen.add(p);
    if (this.#entries.delete(p)) this.#dirty = true;
  }

  /** Marks a file as still present without reading it (plugins skipped this run keep their entries). */
  keep(p: string): void {
    this.#seen.add(p);
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Writes the cache when something changed. Failures (read-only folder) are not errors: the cache is an optimisation. */
  save(): boolean {
    // Entries not seen this run are dropped when their file is gone. One that still exists may belong to
    // another scope sharing this file (the user cache also holds the built-ins of project-less runs):
    // keeping it costs nothing, as size and mtime are checked again on use.
    for (const p of this.#entries.keys()) {
      if (!this.#seen.has(p) && !existsSync(p)) {
        this.#entries.delete(p);
        this.#dirty = true;
      }
    }
    if (!this.#dirty) return false;
    const doc: CacheDoc = { format: FORMAT, host: this.host, files: Object.fromEntries(this.#entries) };
    try {
      mkdirSync(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(doc));
      renameSync(tmp, this.file);
      this.#dirty = false;
      return true;
    } catch {
      return false;
    }
  }
}
