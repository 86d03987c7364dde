/**
 * Runs the bundled CLI (dist/bundle/brainsmith.cjs, made by scripts/bundle.mjs) with a V8 code cache.
 * Node 20 has no compile cache for modules, so the bundle is a script compiled here with vm.Script: the
 * first run of a command saves V8's code for every function it ran, and later runs of that command
 * skip parsing and compiling (most of a short command's start). The cache lives beside the plugin
 * metadata cache, keyed by the bundle's size and mtime, node's version and the command; a stale or
 * foreign file is just rejected by V8 and rewritten.
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';

export interface BundledHost {
  main(argv: string[]): Promise<number>;
  /** The public API from inside the bundle (what plugins run by the bundled CLI import as 'brainsmith'). */
  api(): Promise<Record<string, unknown>>;
  /** The entry points `brainsmith/kernel`, `brainsmith/rewrite`, `brainsmith/host` from inside the bundle. */
  kernel(): Promise<Record<string, unknown>>;
  rewrite(): Promise<Record<string, unknown>>;
  host(): Promise<Record<string, unknown>>;
  /** src/cli/worker-run.ts from inside the bundle (the supervised worker's command runner). */
  worker(): Promise<Record<string, unknown>>;
  /** Imports every built-in plugin file (scripts/bundle.mjs checks their declarations through it). */
  loadBuiltins(): Promise<unknown>;
}

interface Loaded {
  host: BundledHost;
  script: vm.Script;
  cacheFile?: string;
  cacheUsed: boolean;
}

export const BUNDLE_FILE = fileURLToPath(new URL('../../bundle/brainsmith.cjs', import.meta.url));
/** One instance per process, however it is reached (bin/brainsmith.js, or dist/bundle/api.mjs). */
const KEY = Symbol.for('brainsmith.bundledHost');

function cacheFileFor(command: string): string | undefined {
  try {
    const st = statSync(BUNDLE_FILE);
    // HOME as the plugin metadata cache finds it (discovery.ts userHome); node:os only when unset.
    const home = process.env.HOME ?? createRequire(import.meta.url)('node:os').homedir();
    const id = hash(`${BUNDLE_FILE}\0${st.size}\0${st.mtimeMs}\0${process.version}\0${process.arch}\0${command}`);
    return path.join(home, '.brainsmith', 'cache', 'v8', `${id}.bin`);
  } catch {
    return undefined;
  }
}

/** A file name for a key: two 32-bit FNV-1a hashes (node:crypto costs a fast start more than it saves). */
function hash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return `${(a >>> 0).toString(16).padStart(8, '0')}${(b >>> 0).toString(16).padStart(8, '0')}`;
}

function readQuietly(file: string | undefined): Buffer | undefined {
  if (!file) return undefined;
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Loads the bundle once; `command` (the first argument) picks the code cache. */
export function loadBundledHost(command = ''): BundledHost {
  const g = globalThis as { [KEY]?: Loaded };
  if (g[KEY]) return g[KEY].host;
  // zod compiles a parser per object schema with new Function on first use: dearer than it saves in a
  // process that parses each schema a few times. (zod reads this global when it loads.)
  const zodConfig = ((globalThis as { __zod_globalConfig?: { jitless?: boolean } }).__zod_globalConfig ??= {});
  zodConfig.jitless ??= true;
  // The bundle is ASCII (scripts/bundle.mjs checks): read as latin1, which skips UTF-8 validation and
  // decoding of 2 MB (about a third of the read's cost).
  const source = readFileSync(BUNDLE_FILE, 'latin1');
  const cacheFile = cacheFileFor(/^[a-z-]+$/.test(command) ? command : '');
  const cachedData = readQuietly(cacheFile);
  // The bundle's import() of packages and plugin files calls __bs_import (scripts/bundle.mjs): a script's
  // own import() needs a callback that node 20 drops when the script comes from the code cache.
  // The file is a function expression of (exports, require, module, __filename, __dirname, __bs_bundle_url,
  // __bs_resolve, __bs_import): scripts/bundle.mjs writes it so.
  const script = new vm.Script(source, {
    filename: BUNDLE_FILE,
    cachedData,
  });
  const module = { exports: {} as BundledHost };
  const require = createRequire(BUNDLE_FILE);
  const resolve = (s: string): string => pathToFileURL(require.resolve(s)).href;
  (script.runInThisContext() as (...a: unknown[]) => void)(module.exports, require, module, BUNDLE_FILE, path.dirname(BUNDLE_FILE), pathToFileURL(BUNDLE_FILE).href, resolve, (s: string) => import(s));
  g[KEY] = { host: module.exports, script, cacheFile, cacheUsed: cachedData !== undefined && !script.cachedDataRejected };
  return module.exports;
}

/** Writes the code cache when there was none (or V8 rejected it): call after the command ran. */
export function saveCodeCache(): void {
  const l = (globalThis as { [KEY]?: Loaded })[KEY];
  if (!l || l.cacheUsed || !l.cacheFile) return;
  try {
    mkdirSync(path.dirname(l.cacheFile), { recursive: true });
    const tmp = `${l.cacheFile}.${process.pid}.tmp`;
    writeFileSync(tmp, l.script.createCachedData());
    renameSync(tmp, l.cacheFile);
    l.cacheUsed = true;
  } catch {
    // a read-only home only costs the next run its speed
  }
}
