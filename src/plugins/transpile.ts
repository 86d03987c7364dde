/**
 * The fast path for importing plugin files: esbuild (the transpiler tsx uses) turns every cold file into
 * a plain ES module in one batched call, kept in the cache folder. Importing those needs no loader hooks, which is where most of
 * the time of a cold start with many plugins went (each import crossing to tsx's hook thread). The code
 * folder has a node_modules/brainsmith link to the running package, so `import … from 'brainsmith'` in
 * the transpiled code resolves to the very module instance the host uses.
 *
 * For the files that go through tsx, the same build reports the local files they import (a sibling
 * helper and what it imports): the metadata cache keys those entries on the helpers too.
 *
 * Only self-contained files take this path: their imports are `brainsmith` and Node built-ins, and they do
 * not use `import.meta`. A file importing anything else (a sibling helper, a package) or locating files
 * through `import.meta.url` is imported through tsx as before, because from the cache folder its relative
 * imports, package imports and own URL would not resolve the same way. Code cache entries
 * are keyed by path, size, mtime and host version, like the metadata cache.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { PluginFile } from './discovery.js';
import { bundledHostFile, hostEntryUrl, HOST_SUBPATHS } from './host-entry.js';

/** The subset of esbuild's API used here (esbuild comes with tsx; it is not a direct dependency). */
interface EsbuildMessage {
  location?: { file?: string } | null;
}
interface MetafileInput {
  imports: { path: string; external?: boolean }[];
}
interface Metafile {
  inputs?: Record<string, MetafileInput>;
  outputs: Record<string, { entryPoint?: string; imports: { path: string; external?: boolean }[]; inputs: Record<string, unknown> }>;
}
interface Esbuild {
  build(opts: Record<string, unknown>): Promise<{ metafile?: Metafile; errors: EsbuildMessage[] }>;
}

let esbuildModule: Esbuild | undefined;
function esbuild(): Esbuild {
  esbuildModule ??= createRequire(fileURLToPath(import.meta.resolve('tsx/esm/api')))('esbuild') as Esbuild;
  return esbuildModule;
}

/**
 * What every build here shares: ES modules for Node with an inline source map (stacks name the plugin file
 * and line), packages left as imports, and a metafile listing each input's imports.
 */
function buildOptions(dir: string): Record<string, unknown> {
  return {
    bundle: true,
    packages: 'external',
    metafile: true,
    write: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'inline',
    // A bundle renames clashing top-level names (two files' `class Opt`); messages quote the author's.
    keepNames: true,
    logLevel: 'silent',
    absWorkingDir: dir,
  };
}

/** `brainsmith` or one of its entry points: imports the transpiled code resolves through the host link. */
function isHostImport(spec: string): boolean {
  return spec === 'brainsmith' || /^brainsmith\/(kernel|rewrite|host)$/.test(spec);
}

/** The running package's root (the folder of its package.json). */
const HOST_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The code folder for this host: one per host install, because its node_modules/brainsmith link (which
 * the transpiled modules' `import 'brainsmith'` resolves through, as Node would for any package) points
 * at this install.
 */
export function hostCodeDir(cacheDir: string, host: string): string {
  const bundle = bundledHostFile();
  const id = createHash('sha1').update(`${HOST_ROOT}\0${host}${bundle ? `\0${bundle}` : ''}`).digest('hex').slice(0, 12);
  return path.join(cacheDir, `code-${id}`);
}

/**
 * The bundled CLI is one module (host-entry.ts): node_modules/brainsmith there is a one-line package
 * re-exporting it, so that transpiled plugins share the running instance rather than load dist/src beside it.
 */
function ensureBundleShim(dir: string): boolean {
  const pkgDir = path.join(dir, 'node_modules', 'brainsmith');
  const index = path.join(pkgDir, 'index.js');
  const text = `export * from ${JSON.stringify(hostEntryUrl())};\n`;
  try {
    if (readFileSync(index, 'utf8') === text && HOST_SUBPATHS.every((s) => existsSync(path.join(pkgDir, `${s}.js`)))) return true;
  } catch {
    // missing: write it below
  }
  try {
    rmSync(pkgDir, { force: true, recursive: true });
    mkdirSync(pkgDir, { recursive: true });
    const exports: Record<string, string> = { '.': './index.js' };
    for (const s of HOST_SUBPATHS) {
      exports[`./${s}`] = `./${s}.js`;
      writeFileSync(path.join(pkgDir, `${s}.js`), `export * from ${JSON.stringify(hostEntryUrl(s))};\n`);
    }
    writeFileSync(path.join(pkgDir, 'package.json'), JSON.stringify({ name: 'brainsmith', type: 'module', exports }));
    writeFileSync(index, text);
    return true;
  } catch {
    return false;
  }
}

function ensureHostLink(dir: string): boolean {
  if (bundledHostFile()) return ensureBundleShim(dir);
  const link = path.join(dir, 'node_modules', 'brainsmith');
  try {
    if (realpathSync(link) === realpathSync(HOST_ROOT)) return true;
  } catch {
    // missing: create it below
  }
  try {
    mkdirSync(path.dirname(link), { recursive: true });
    rmSync(link, { force: true, recursive: false });
    symlinkSync(HOST_ROOT, link, 'junction');
    return realpathSync(link) === realpathSync(HOST_ROOT);
  } catch {
    return false;
  }
}

/** The cache key of a file's code: path, size, mtime (the host is in the folder name). */
function keyOf(f: PluginFile): string {
  return createHash('sha1').update(`${f.path}\0${f.size}\0${f.mtimeMs}`).digest('hex').slice(0, 20);
}

export interface Prepared {
  /** Files that import as plain modules: plugin file → file URL of the transpiled module. */
  urls: Map<string, string>;
  /** Files that go through tsx → the local files they import (transitively), for the metadata cache key. */
  helpers: Map<string, string[]>;
}

/**
 * Makes sure each self-contained file has transpiled code in `dir` (a hostCodeDir). Files with syntax
 * errors or other imports are left out of `urls`: the caller imports them through tsx, which reports
 * errors with the usual diagnostics. Never throws: a failure here only means the slow path.
 */
export async function prepareFiles(files: PluginFile[], dir: string): Promise<Prepared> {
  const out: Prepared = { urls: new Map(), helpers: new Map() };
  let present: { has(name: string): boolean };
  try {
    mkdirSync(dir, { recursive: true });
    if (!ensureHostLink(dir)) return out;
    // One listing for a batch; a few existence checks for a single file loaded on first use.
    present = files.length > 8 ? new Set(readdirSync(dir)) : { has: (name: string) => existsSync(path.join(dir, name)) };
  } catch {
    return out;
  }
  const todo: { f: PluginFile; key: string }[] = [];
  for (const f of files) {
    const key = keyOf(f);
    if (present.has(`${key}.mjs`)) out.urls.set(f.path, pathToFileURL(path.join(dir, `${key}.mjs`)).href);
    else if (present.has(`${key}.deps`)) out.helpers.set(f.path, readHelpers(path.join(dir, `${key}.deps`)));
    else if (usesImportMeta(f.path)) {
      out.helpers.set(f.path, []);
      writeQuietly(path.join(dir, `${key}.deps`), '[]');
    } else todo.push({ f, key });
  }
  let batch = todo;
  // A file with a syntax error fails the whole build: drop the files esbuild names and try once more.
  for (let attempt = 0; attempt < 2 && batch.length; attempt++) {
    try {
      // Bundling is only asked for so that the metafile lists each file's imports: a file that pulls in
      // anything but brainsmith or a Node built-in is not used from here (its output is discarded).
      const r = await esbuild().build({
        entryPoints: batch.map(({ f, key }) => ({ in: f.path, out: key })),
        outdir: dir,
        outExtension: { '.js': '.mjs' },
        ...buildOptions(dir),
      });
      const selfContained = new Set<string>();
      const inputsOf = new Map<string, string[]>();
      for (const [outPath, o] of Object.entries(r.metafile?.outputs ?? {})) {
        const key = path.basename(outPath, '.mjs');
        const ok = Object.keys(o.inputs).length === 1 && o.imports.every((i) => i.external && (isHostImport(i.path) || isBuiltin(i.path)));
        if (ok) selfContained.add(key);
        inputsOf.set(key, Object.keys(o.inputs).map((i) => path.resolve(dir, i)));
      }
      for (const { f, key } of batch) {
        const file = path.join(dir, `${key}.mjs`);
        if (selfContained.has(key)) out.urls.set(f.path, pathToFileURL(file).href);
        else {
          rmSync(file, { force: true });
          const helpers = (inputsOf.get(key) ?? []).filter((i) => i !== f.path);
          out.helpers.set(f.path, helpers);
          writeQuietly(path.join(dir, `${key}.deps`), JSON.stringify(helpers));
        }
      }
      return out;
    } catch (e) {
      const bad = new Set(((e as { errors?: EsbuildMessage[] }).errors ?? []).map((m) => m.location?.file).filter((x): x is string => !!x).map((x) => path.resolve(dir, x)));
      if (!bad.size) return out;
      batch = batch.filter(({ f }) => !bad.has(f.path));
    }
  }
  return out;
}

/** Cold files bundled into one module: see bundleColdFiles. */
export interface ColdBundle {
  /** The bundle's file URL, and its path (delete it once imported: only this run uses it). */
  url: string;
  file: string;
  /** Plugin file → the bundle's export holding its namespace. */
  exports: Map<string, string>;
  /** Files left out because they import a sibling helper or a package → the local files they import. */
  helpers: Map<string, string[]>;
}

/**
 * The cold-start path for many files: one module re-exporting each file's namespace (`export * as b0 from
 * '<file>'`, …), so that one import replaces hundreds (module loading, not transpiling, is most of a cold
 * start). It carries an inline source map, so stacks still name the plugin file and line. Only
 * self-contained files go in (the metafile tells which); the others are listed with their helpers, for
 * the tsx path. Per-file code is written later, on first use (prepareFiles). Undefined when the build
 * fails (a syntax error, say): callers then take prepareFiles' path, which isolates the bad file.
 */
export async function bundleColdFiles(files: PluginFile[], dir: string): Promise<ColdBundle | undefined> {
  try {
    mkdirSync(dir, { recursive: true });
    if (!ensureHostLink(dir)) return undefined;
  } catch {
    return undefined;
  }
  const helpers = new Map<string, string[]>();
  let members: string[] = [];
  for (const f of files) {
    if (usesImportMeta(f.path)) helpers.set(f.path, []);
    else members.push(f.path);
  }
  // Twice at most: the second build leaves out the files the first one found importing other things.
  for (let attempt = 0; attempt < 2 && members.length; attempt++) {
    const id = createHash('sha1').update(members.join('\0')).update(`\0${process.pid}`).digest('hex').slice(0, 16);
    const index = path.join(dir, `bundle-${id}.ts`);
    const outfile = path.join(dir, `bundle-${id}.mjs`);
    if (!writeQuietly(index, members.map((f, i) => `export * as b${i} from ${JSON.stringify(f)};\n`).join(''))) return undefined;
    try {
      const r = await esbuild().build({
        entryPoints: [index],
        outfile,
        ...buildOptions(dir),
      });
      const inputs = r.metafile?.inputs ?? {};
      const byPath = new Map(Object.entries(inputs).map(([k, v]) => [path.resolve(dir, k), v]));
      // '<runtime>' is esbuild's own helper code (decorators, for one), inlined into the bundle.
      const mixed = members.filter((f) => !(byPath.get(f)?.imports ?? []).every((i) => i.path === '<runtime>' || (i.external && (isHostImport(i.path) || isBuiltin(i.path)))));
      if (!mixed.length) return { url: pathToFileURL(outfile).href, file: outfile, exports: new Map(members.map((f, i) => [f, `b${i}`])), helpers };
      rmSync(outfile, { force: true });
      for (const f of mixed) helpers.set(f, localImports(f, byPath, dir));
      const out = new Set(mixed);
      members = members.filter((f) => !out.has(f));
    } catch {
      rmSync(outfile, { force: true });
      return undefined;
    } finally {
      rmSync(index, { force: true });
    }
  }
  return undefined;
}

/** The local files `file` imports, transitively, from a metafile's inputs (keyed by absolute path). */
function localImports(file: string, byPath: Map<string, MetafileInput>, dir: string): string[] {
  const seen = new Set<string>([file]);
  const stack = [file];
  while (stack.length) {
    for (const i of byPath.get(stack.pop()!)?.imports ?? []) {
      if (i.external) continue;
      const p = path.resolve(dir, i.path);
      if (!seen.has(p)) {
        seen.add(p);
        stack.push(p);
      }
    }
  }
  seen.delete(file);
  return [...seen];
}

/**
 * Whether a file refers to `import.meta` (to find a sibling file, say). From the cache folder that would name
 * the transpiled copy, so such a file goes through tsx, where it is the file itself.
 */
function usesImportMeta(file: string): boolean {
  try {
    return readFileSync(file, 'utf8').includes('import.meta');
  } catch {
    return false;
  }
}

function readHelpers(file: string): string[] {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

function writeQuietly(file: string, text: string): boolean {
  try {
    writeFileSync(file, text);
    return true;
  } catch {
    return false;
  }
}

/** Deletes cached code of files that changed or went away (call after a run that transpiled something). */
export function pruneCode(dir: string, live: PluginFile[]): void {
  const keep = new Set(live.map(keyOf));
  keep.add('node_modules');
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names) {
    if (keep.has(n.replace(/\.(?:mjs|deps)$/, ''))) continue;
    try {
      rmSync(path.join(dir, n), { force: true });
    } catch {
      // another process may be writing; the next run prunes again
    }
  }
}
