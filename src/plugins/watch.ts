/**
 * The plugin playground behind `plugins watch`: watches the plugin folders (and any files named), and on
 * each change opens the registry again — the metadata cache makes that re-read only the changed files —
 * and reports what changed as events: components registered and removed, plugins that failed (with file,
 * line and a code frame), and the `plugins check` result for the changed file. Timings are measured, not
 * estimated: save to registered, registry open cold (a fresh process, no cache) and warm, lookup.
 *
 * The watcher is chokidar: Node's fs.watch reports renames and editors' atomic saves (write a temp file,
 * rename it over) inconsistently across platforms, and is not recursive on every Node 20 platform.
 */
import { spawn } from 'node:child_process';
import { existsSync, realpathSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { errorMessage } from '../errors.js';
import { checkSelected } from './check.js';
import { codeFrame } from './code-frame.js';
import { CONFIG_FILE } from './config.js';
import type { Diagnostic } from './diagnostics.js';
import type { PluginRecord } from './entry.js';
import { openRegistry, type Registry } from './registry.js';
import { closeRegistry, enableLifecycle } from './runtime.js';
import type { ComponentKind } from './schemas.js';

export interface WatchTimings {
  /** Registry open in a fresh process with the cache off (every file imported); measured once at start. */
  coldOpenMs?: number;
  /** The last open with the cache (only new and changed files re-read). */
  warmOpenMs: number;
  /** Files the last open re-read. */
  reread: number;
  /** Mean time of one lookup by short name (`reg.transforms.get`), in microseconds. */
  lookupUs: number;
}

export type Counts = Record<ComponentKind, number>;

export type WatchEvent =
  | { event: 'ready'; time: string; counts: Counts; watching: string[]; timings: WatchTimings }
  | { event: 'registered'; time: string; kind: ComponentKind; name: string; qualifiedName: string; stage?: string; plugin: string; file: string; line?: number; savedToRegisteredMs?: number }
  | { event: 'removed'; time: string; kind: ComponentKind; qualifiedName: string; plugin: string; file: string }
  | { event: 'failed'; time: string; plugin: string; code?: string; file?: string; line?: number; message: string; frame?: string }
  | { event: 'checked'; time: string; file: string; plugins: string[]; ok: boolean; errors: number; warnings: number; diagnostics: Diagnostic[]; ms: number }
  | { event: 'rescanned'; time: string; changed: string[]; counts: Counts; previous: Counts; timings: WatchTimings }
  | { event: 'timing'; time: string; timings: WatchTimings };

export interface WatchOptions {
  cwd?: string;
  /** Files or folders to watch besides the plugin sources (added to the plugin path when outside them). */
  paths?: string[];
  home?: string;
  pluginPath?: string;
  builtinDirs?: string[];
  log?: Logger;
  /** Quiet period after the last file event before re-reading (editors write in several steps). */
  debounceMs?: number;
  /** Measure the cold open in a child process at start (default true). */
  measureCold?: boolean;
  emit(e: WatchEvent): void;
}

export interface WatchHandle {
  close(): Promise<void>;
  /** Settles once the current re-read (if any) is done; for tests. */
  idle(): Promise<void>;
}

interface Snap {
  kind: ComponentKind;
  name: string;
  stage?: string;
  plugin: string;
  file: string;
  line?: number;
  stamp: string;
}

const now = (): string => new Date().toISOString();

function snapshot(reg: Registry): Map<string, Snap> {
  const out = new Map<string, Snap>();
  for (const kind of ['transform', 'kernel', 'backend', 'step'] as const) {
    for (const e of reg.table(kind).entries) out.set(e.qualifiedName, { kind, name: e.name, stage: e.meta.stage, plugin: e.plugin.id, file: e.file, line: e.meta.line, stamp: e.fileStamp });
  }
  return out;
}

function failures(reg: Registry): Map<string, PluginRecord> {
  return new Map(reg.plugins.filter((p) => p.status === 'failed' || p.status === 'unmet').map((p) => [`${p.id}\0${p.reason}`, p]));
}

/**
 * Mean time of one lookup by short name: batches over every name, each long enough to time, and the
 * fastest batch kept (a busy machine only ever makes a batch slower).
 */
export function measureLookupUs(reg: Registry): number {
  const names = reg.transforms.names();
  if (!names.length) return 0;
  let best = Infinity;
  for (let batch = 0; batch < 5; batch++) {
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 2) {
      for (const name of names) reg.transforms.get(name);
      n += names.length;
    }
    best = Math.min(best, ((performance.now() - t0) * 1000) / n);
  }
  return best;
}

/** Opens the registry in a fresh Node process with the cache off, and reports how long that took. */
function measureColdOpen(cwd: string, pluginPath: string | undefined): Promise<number | undefined> {
  const registryUrl = new URL('./registry.js', import.meta.url).href;
  const script = `const { openRegistry } = await import(${JSON.stringify(registryUrl)}); const r = await openRegistry({ cwd: process.cwd(), cache: false${pluginPath !== undefined ? `, pluginPath: ${JSON.stringify(pluginPath)}` : ''} }); process.stdout.write(String(r.stats.openMs));`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', () => resolve(undefined));
    child.on('close', () => {
      const ms = Number(out);
      resolve(Number.isFinite(ms) && out !== '' ? ms : undefined);
    });
  });
}

/**
 * Starts esbuild's service (the one transpile.ts uses: the same module instance) before the first save,
 * so that save is not the one paying for spawning it.
 */
async function warmUpTranspiler(): Promise<void> {
  try {
    const esbuild = createRequire(fileURLToPath(import.meta.resolve('tsx/esm/api')))('esbuild') as { transform(src: string, o: object): Promise<unknown> };
    await esbuild.transform('export {}', { loader: 'ts', format: 'esm' });
  } catch {
    // Only a warm-up: the first save then starts it.
  }
}

function isUnder(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function real(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

export async function startWatch(opts: WatchOptions): Promise<WatchHandle> {
  const cwd = opts.cwd ?? process.cwd();
  const emit = opts.emit;
  const base = { cwd, home: opts.home, builtinDirs: opts.builtinDirs, log: opts.log };
  const envPath = opts.pluginPath ?? process.env.BRAINSMITH_PLUGIN_PATH ?? '';
  const open = async (pluginPath: string): Promise<Registry> => {
    const reg = await openRegistry({ ...base, pluginPath });
    await enableLifecycle(reg);
    return reg;
  };

  // Named paths outside every plugin source are added to the plugin path, as `plugins check` does.
  let reg = await open(envPath);
  const extra = (opts.paths ?? []).map((p) => path.resolve(cwd, p));
  const sourceDirs = (r: Registry): string[] => r.sources.filter((s) => s.exists && s.kind !== 'builtin' && s.kind !== 'npm').map((s) => real(s.path));
  const outside = extra.filter((p) => existsSync(p) && !sourceDirs(reg).some((d) => isUnder(real(p), d)));
  const pluginPath = [envPath, ...outside].filter(Boolean).join(path.delimiter);
  if (outside.length) reg = await open(pluginPath);

  let snap = snapshot(reg);
  let failed = failures(reg);
  const timings: WatchTimings = { warmOpenMs: reg.stats.openMs, reread: reg.stats.cacheMisses, lookupUs: measureLookupUs(reg) };
  const watching = [...new Set([...sourceDirs(reg), ...extra, path.join(reg.projectDir, CONFIG_FILE)])].filter((p) => existsSync(p));

  await warmUpTranspiler();
  const { watch } = await import('chokidar');
  const watcher = watch(watching, {
    ignoreInitial: true,
    ignored: (p: string) => /(^|[/\\])(node_modules|\.brainsmith|\.git)([/\\]|$)/.test(p),
  });
  const changed = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let closed = false;

  const rescan = async (files: string[]): Promise<void> => {
    const started = Date.now();
    const prev = reg;
    const prevCounts = prev.counts();
    let next: Registry;
    try {
      next = await open(pluginPath);
    } catch (e) {
      // A broken config file: report it and keep the last good registry.
      emit({ event: 'failed', time: now(), plugin: '(config)', message: errorMessage(e), file: (e as { file?: string }).file });
      return;
    }
    reg = next;
    await report(next, prevCounts, files, files);
    await closeRegistry(prev).catch(() => {});
    // A file saved again while it was being read (a quick second save right after a new file's first one)
    // may bring no watcher event of its own: look again at what changed since this rescan began.
    for (const f of files) {
      try {
        if (statSync(f).mtimeMs >= started) onFile(f);
      } catch {
        // removed since: the unlink event covers it
      }
    }
  };

  /**
   * Reports what `next` registers compared with the last snapshot (all of `shown`'s components when there
   * is no previous count, i.e. at start), then the check of each file in `checkFiles`.
   */
  async function report(next: Registry, prevCounts: Counts | undefined, files: string[], checkFiles: string[]): Promise<void> {
    const after = snapshot(next);
    const changedSet = new Set(files.map(real));
    const touched = (file: string): boolean => changedSet.has(real(file));
    for (const [q, s] of after) {
      const before = snap.get(q);
      const unchanged = before && before.stamp === s.stamp && before.file === s.file;
      if (prevCounts ? unchanged : !touched(s.file)) continue;
      let saved: number | undefined;
      try {
        saved = Math.max(0, Date.now() - statSync(s.file).mtimeMs);
      } catch {
        saved = undefined;
      }
      emit({ event: 'registered', time: now(), kind: s.kind, name: s.name, qualifiedName: q, stage: s.stage, plugin: s.plugin, file: s.file, line: s.line, savedToRegisteredMs: saved === undefined ? undefined : Math.round(saved) });
    }
    if (prevCounts) {
      for (const [q, s] of snap) if (!after.has(q)) emit({ event: 'removed', time: now(), kind: s.kind, qualifiedName: q, plugin: s.plugin, file: s.file });
      const nowFailed = failures(next);
      for (const [k, p] of nowFailed) if (!failed.has(k) || p.files.some(touched)) emit(failedEvent(p));
      failed = nowFailed;
    }
    snap = after;
    timings.warmOpenMs = next.stats.openMs;
    timings.reread = next.stats.cacheMisses;
    timings.lookupUs = measureLookupUs(next);
    if (prevCounts) emit({ event: 'rescanned', time: now(), changed: files, counts: next.counts(), previous: prevCounts, timings: { ...timings } });
    // The check of each changed plugin file: its metadata, loading, and its examples run.
    for (const file of checkFiles) {
      const owners = new Set(next.plugins.filter((p) => p.files.some((f) => real(f) === real(file))));
      if (!owners.size) continue;
      const t0 = performance.now();
      const r = await checkSelected(next, owners);
      emit({ event: 'checked', time: now(), file, plugins: [...owners].map((p) => p.id), ok: r.errors === 0, errors: r.errors, warnings: r.warnings, diagnostics: r.diagnostics, ms: Math.round(performance.now() - t0) });
    }
  }

  const flush = (): void => {
    timer = undefined;
    const files = [...changed];
    changed.clear();
    running = running.then(() => (closed ? undefined : rescan(files))).catch((e: unknown) => emit({ event: 'failed', time: now(), plugin: '(watch)', message: errorMessage(e) }));
  };
  const onFile = (file: string): void => {
    changed.add(path.resolve(file));
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, opts.debounceMs ?? 40);
  };
  for (const ev of ['add', 'change', 'unlink', 'addDir', 'unlinkDir'] as const) watcher.on(ev, onFile);
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  // Ready only once the watcher is: a file saved after this event is seen.
  emit({ event: 'ready', time: now(), counts: reg.counts(), watching, timings: { ...timings } });
  for (const p of failed.values()) emit(failedEvent(p));
  // Files named on the command line (plugins new --watch) are shown as if just saved: what they register
  // and their check.
  const named = extra.filter((p) => existsSync(p) && statSync(p).isFile());
  if (named.length) await report(reg, undefined, named, named);
  if (opts.measureCold !== false) {
    void measureColdOpen(cwd, pluginPath).then((ms) => {
      if (ms === undefined || closed) return;
      timings.coldOpenMs = ms;
      emit({ event: 'timing', time: now(), timings: { ...timings } });
    });
  }

  return {
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await watcher.close();
      await running;
      await closeRegistry(reg).catch(() => {});
    },
    idle: () => running,
  };
}

function failedEvent(p: PluginRecord): WatchEvent {
  const d = p.diagnostics.find((x) => x.severity === 'error');
  const file = d?.file ?? (p.files.length === 1 ? p.files[0] : undefined);
  const line = d?.line;
  return { event: 'failed', time: now(), plugin: p.id, code: d?.code, file, line, message: p.reason ?? d?.message ?? 'failed', frame: file && line ? codeFrame(file, line) : undefined };
}
