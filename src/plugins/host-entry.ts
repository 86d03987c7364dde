/**
 * Which module is "the brainsmith package" in this process, and the built-in plugin modules a bundled host
 * carries. Unbundled (dist/src, as tests and library users load it) the package is dist/src/index.js and
 * built-ins are imported from dist/transforms and dist/kernels. The bundled CLI (scripts/bundle.mjs)
 * registers itself here, so that plugins importing 'brainsmith' get the very module instance that runs, and
 * built-ins come out of the bundle instead of being imported file by file.
 */
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

type ModuleLoader = () => Promise<Record<string, unknown>>;

let entryUrl: string | undefined;
let bundleFile: string | undefined;
let builtins: ReadonlyMap<string, ModuleLoader> | undefined;
/** dist/: the key of a bundled built-in is its compiled file's path relative to this. */
const distRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The package's entry points besides `brainsmith` itself: `brainsmith/kernel`, … */
export const HOST_SUBPATHS = ['kernel', 'rewrite', 'host'] as const;
export type HostSubpath = (typeof HOST_SUBPATHS)[number];

/** The URL that `import 'brainsmith'` (or `'brainsmith/<sub>'`) must resolve to in plugins. */
export function hostEntryUrl(sub?: HostSubpath): string {
  if (entryUrl) return sub ? new URL(`./${sub}.mjs`, entryUrl).href : entryUrl;
  return new URL(`../${sub ?? 'index'}.js`, import.meta.url).href;
}

/** Every entry point's URL, keyed by subpath ('' for the package itself). */
export function hostEntryUrls(): Record<string, string> {
  return Object.fromEntries([['', hostEntryUrl()], ...HOST_SUBPATHS.map((s) => [s, hostEntryUrl(s)])]);
}

/** Whether the running host is the bundle (then its own stack frames are in one file, not under dist/src). */
export function bundledHostFile(): string | undefined {
  return bundleFile;
}

/**
 * Called once by the bundle's entry module (`bundle`, its URL). `api` is the module re-exporting the
 * public API from inside the bundle; `modules` maps `transforms/…/x.js` to a lazy import.
 */
export function useBundledHost(bundle: string, api: string, modules: Record<string, ModuleLoader>): void {
  bundleFile = fileURLToPath(bundle);
  entryUrl = api;
  builtins = new Map(Object.entries(modules));
}

/** The bundled module of a built-in plugin file (a path under dist/), if this host carries it. */
export function bundledBuiltin(file: string): ModuleLoader | undefined {
  if (!builtins) return undefined;
  return builtins.get(path.relative(distRoot, file).split(path.sep).join('/'));
}

/**
 * The built-in plugin files this bundled host carries (their dist/ paths, in discovery order), each stamped
 * with the bundle's own size and mtime: the code that runs is the bundle's, so a rebuilt bundle is what makes
 * their cached metadata stale. Discovery then needs no walk of dist/ and no stat per file. Undefined when the
 * host is not the bundle.
 */
export function bundledBuiltinFiles(): { path: string; size: number; mtimeMs: number }[] | undefined {
  if (!builtins || !bundleFile) return undefined;
  let st;
  try {
    st = statSync(bundleFile);
  } catch {
    return undefined;
  }
  const { size, mtimeMs } = st;
  return [...builtins.keys()].map((k) => ({ path: path.join(distRoot, ...k.split('/')), size, mtimeMs }));
}
