/**
 * The fast path for importing plugin files: esbuild (the transpiler tsx uses) turns every cold file into
 * a plain ES module in one batched call, with `brainsmith` rewritten to the running compiler's URL, and
 * the result is kept in the cache folder. Importing those needs no loader hooks, which is where most of
 * the time of a cold start with many plugins went (each import crossing to tsx's hook thread).
 *
 * Only self-contained files take this path: their imports are `brainsmith` and Node built-ins. A file
 * importing anything else (a sibling helper, a package) is imported through tsx as before, because from
 * the cache folder its relative and package imports would not resolve the same way. Code cache entries
 * are keyed by path, size, mtime and host version, like the metadata cache.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { PluginFile } from './discovery.js';

/** The subset of esbuild's API used here (esbuild comes with tsx; it is not a direct dependency). */
interface EsbuildMessage {
  location?: { file?: string } | null;
}
interface EsbuildPluginBuild {
  onResolve(
    opts: { filter: RegExp },
    cb: (args: { path: string; importer: string; kind: string }) => { path?: string; external?: boolean } | undefined,
  ): void;
}
interface Esbuild {
  build(opts: Record<string, unknown>): Promise<{ outputFiles?: { path: string; text: string }[]; errors: EsbuildMessage[] }>;
}

let esbuildModule: Esbuild | undefined;
function esbuild(): Esbuild {
  esbuildModule ??= createRequire(fileURLToPath(import.meta.resolve('tsx/esm/api')))('esbuild') as Esbuild;
  return esbuildModule;
}

const HOST_URL = new URL('../index.js', import.meta.url).href;

/** Where the code of `f` is cached; `.mjs` for a transpiled module, `.deps` marks one that goes through tsx. */
function cacheBase(dir: string, f: PluginFile, host: string): string {
  const key = createHash('sha1').update(`${f.path}\0${f.size}\0${f.mtimeMs}\0${host}`).digest('hex').slice(0, 20);
  return path.join(dir, key);
}

export interface Prepared {
  /** Files that import as plain modules: plugin file → file URL of the transpiled module. */
  urls: Map<string, string>;
  /** Files that need tsx: their non-`brainsmith`, non-built-in imports (for the report and the cache key). */
  external: Map<string, string[]>;
}

/**
 * Makes sure each file has transpiled code in `dir` when it is self-contained. Files with syntax errors
 * or other imports are left out of `urls` (the caller imports them through tsx, which reports errors
 * with the usual diagnostics). Never throws: a failure here only means the slow path.
 */
export async function prepareFiles(files: PluginFile[], dir: string, host: string): Promise<Prepared> {
  const out: Prepared = { urls: new Map(), external: new Map() };
  const todo: { f: PluginFile; base: string }[] = [];
  for (const f of files) {
    const base = cacheBase(dir, f, host);
    if (existsSync(`${base}.mjs`)) out.urls.set(f.path, pathToFileURL(`${base}.mjs`).href);
    else if (!existsSync(`${base}.deps`)) todo.push({ f, base });
  }
  if (!todo.length) return out;
  try {
    mkdirSync(dir, { recursive: true });
  } catch {
    return out;
  }
  let batch = todo;
  // A file with a syntax error fails the whole build: drop the files esbuild names and try once more.
  for (let attempt = 0; attempt < 2 && batch.length; attempt++) {
    const imports = new Map<string, string[]>();
    try {
      const r = await esbuild().build({
        entryPoints: batch.map(({ f, base }) => ({ in: f.path, out: path.basename(base) })),
        outdir: dir,
        outExtension: { '.js': '.mjs' },
        bundle: true,
        write: false,
        format: 'esm',
        platform: 'node',
        target: 'node20',
        sourcemap: 'inline',
        logLevel: 'silent',
        plugins: [
          {
            name: 'brainsmith-plugin-imports',
            setup(b: EsbuildPluginBuild) {
              b.onResolve({ filter: /.*/ }, (a) => {
                if (a.kind === 'entry-point') return undefined;
                if (a.path === 'brainsmith') return { path: HOST_URL, external: true };
                if (isBuiltin(a.path)) return { path: a.path, external: true };
                const list = imports.get(a.importer) ?? [];
                list.push(a.path);
                imports.set(a.importer, list);
                return { path: a.path, external: true };
              });
            },
          },
        ],
      });
      const byOut = new Map((r.outputFiles ?? []).map((o) => [o.path, o.text]));
      for (const { f, base } of batch) {
        const ext = imports.get(f.path);
        if (ext) {
          out.external.set(f.path, ext);
          writeQuietly(`${base}.deps`, JSON.stringify(ext));
          continue;
        }
        const code = byOut.get(`${base}.mjs`);
        if (code === undefined || !writeQuietly(`${base}.mjs`, code)) continue;
        out.urls.set(f.path, pathToFileURL(`${base}.mjs`).href);
      }
      return out;
    } catch (e) {
      const bad = new Set(((e as { errors?: EsbuildMessage[] }).errors ?? []).map((m) => m.location?.file).filter((x): x is string => !!x).map((x) => path.resolve(x)));
      if (!bad.size) return out;
      batch = batch.filter(({ f }) => !bad.has(f.path));
    }
  }
  return out;
}

function writeQuietly(file: string, text: string): boolean {
  try {
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, file);
    return true;
  } catch {
    return false;
  }
}
