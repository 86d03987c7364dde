/**
 * Discovery: finds plugin folders and files in every source, without importing anything. Each plugin
 * (a manifest folder, an npm package, a loose file, or the built-ins) becomes a PluginUnit listing its
 * module files with size and mtime, which is what the cache is keyed on.
 */
import { existsSync, readdirSync, readFileSync, realpathSync, statSync, type Dirent } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorMessage, isBrainsmithError } from '../errors.js';
import { configuredPluginDirs, PROJECT_PLUGIN_DIR, type ProjectConfig } from './config.js';
import { diag, type Diagnostic } from './diagnostics.js';
import { bundledBuiltinFiles } from './host-entry.js';
import { MANIFEST_FILE, readManifestFile, readPackagePlugin } from './manifest.js';
import { RESERVED_IDS, type PluginManifest } from './schemas.js';

/** `code`: components handed to the registry by a script or test (Registry.register), not found on disk. */
export const SOURCE_KINDS = ['code', 'project', 'user', 'env', 'npm', 'builtin'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];
/** Lower is stronger: a short name defined in two sources resolves to the lower priority. */
export const SOURCE_PRIORITY: Readonly<Record<SourceKind, number>> = { code: -1, project: 0, user: 1, env: 2, npm: 3, builtin: 4 };
export const BUILTIN_NAMESPACE = 'brainsmith';

const PLUGIN_EXT = /\.(?:ts|mts|js|mjs)$/;
const NOT_PLUGIN = /\.d\.m?ts$|\.(?:test|spec)\.m?[jt]s$/;
const SKIP_DIRS = new Set(['node_modules', 'test', 'tests', '__tests__', 'dist']);

export interface PluginFile {
  path: string;
  size: number;
  mtimeMs: number;
}

export interface PluginUnit {
  /** Manifest id, package name, `brainsmith`, or `<source>/<relative path>` for a loose file. */
  id: string;
  namespace: string;
  source: SourceKind;
  priority: number;
  /** Folder of a manifest plugin or package; the file itself for a loose file. */
  root: string;
  manifestFile?: string;
  manifest?: PluginManifest;
  version?: string;
  files: PluginFile[];
  /** Problems found before loading (manifest, missing modules). */
  problems: Diagnostic[];
}

export interface SourceInfo {
  kind: SourceKind;
  path: string;
  exists: boolean;
}

export interface DiscoveryOptions {
  projectDir: string;
  config: ProjectConfig;
  /** Home folder for the user source; defaults to $HOME. */
  home?: string;
  /** Colon-separated list; defaults to $BRAINSMITH_PLUGIN_PATH. */
  pluginPath?: string;
  /** Folders of built-in plugins; defaults to the package's compiled transforms/ and kernels/. */
  builtinDirs?: string[];
  hostVersion: string;
}

export interface Discovery {
  sources: SourceInfo[];
  units: PluginUnit[];
  problems: Diagnostic[];
}

export function userHome(home?: string): string {
  return home ?? process.env.HOME ?? os.homedir();
}

export function userPluginDir(home?: string): string {
  return path.join(userHome(home), '.brainsmith', 'plugins');
}

/** The package's compiled built-ins: <package>/dist/{transforms,kernels}. */
export function defaultBuiltinDirs(): string[] {
  const distRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  return [path.join(distRoot, 'transforms'), path.join(distRoot, 'kernels')];
}

function statFile(p: string): PluginFile {
  const st = statSync(p);
  return { path: p, size: st.size, mtimeMs: st.mtimeMs };
}

function isPluginFileName(name: string): boolean {
  return PLUGIN_EXT.test(name) && !NOT_PLUGIN.test(name) && !name.startsWith('_') && !name.startsWith('.');
}

/**
 * Walks a folder. Plugin files are collected; a subfolder with its own manifest is reported separately
 * and not descended into. Folders and files starting with `_` or `.` hold helpers and are skipped.
 */
function walk(dir: string, files: string[], subPlugins: string[]): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (SKIP_DIRS.has(e.name) || e.name.startsWith('_') || e.name.startsWith('.')) continue;
      if (existsSync(path.join(p, MANIFEST_FILE))) subPlugins.push(p);
      else walk(p, files, subPlugins);
    } else if ((e.isFile() || e.isSymbolicLink()) && isPluginFileName(e.name)) {
      files.push(p);
    }
  }
}

function manifestUnit(
  dir: string,
  source: SourceKind,
  read: () => { manifest?: PluginManifest; name: string; version?: string; file: string },
): PluginUnit {
  const unit: PluginUnit = {
    id: path.basename(dir),
    namespace: path.basename(dir),
    source,
    priority: SOURCE_PRIORITY[source],
    root: dir,
    files: [],
    problems: [],
  };
  let info;
  try {
    info = read();
  } catch (e) {
    unit.manifestFile = isBrainsmithError(e) ? e.file : undefined;
    unit.problems.push(diag('E_MANIFEST_INVALID', errorMessage(e), { plugin: unit.id, file: unit.manifestFile }));
    return unit;
  }
  const m = info.manifest ?? {};
  unit.manifestFile = info.file;
  unit.manifest = m;
  unit.id = m.id ?? info.name;
  unit.namespace = unit.id;
  unit.version = m.version ?? info.version;
  if (RESERVED_IDS.has(unit.id.toLowerCase())) {
    // A plugin named like a host namespace would replace the built-ins; refuse it before anything loads.
    const claimed = unit.id;
    unit.id = unit.namespace = `${source}/${path.basename(dir)}`;
    unit.problems.push(diag('E_MANIFEST_INVALID', `${info.file}: plugin id '${claimed}' is reserved (${[...RESERVED_IDS].join(', ')} belong to brainsmith); set another id`, { plugin: unit.id, file: info.file }));
    unit.manifest = undefined;
    return unit;
  }
  if (m.modules) {
    for (const rel of m.modules) {
      const p = path.resolve(dir, rel);
      if (!isInside(dir, p)) {
        unit.problems.push(diag('E_MANIFEST_INVALID', `${info.file}: module '${rel}' is outside the plugin folder ${dir}`, { plugin: unit.id, file: info.file }));
        continue;
      }
      try {
        unit.files.push(statFile(p));
      } catch {
        unit.problems.push(diag('E_MANIFEST_MODULE_MISSING', `module '${rel}' listed in ${info.file} does not exist`, { plugin: unit.id, file: info.file }));
      }
    }
  } else {
    const files: string[] = [];
    walk(dir, files, []);
    for (const f of files) unit.files.push(statFile(f));
  }
  return unit;
}

/** True when `p` is `dir` or below it, following symlinks (a link out of the folder is outside). */
function isInside(dir: string, p: string): boolean {
  const real = (x: string): string => {
    try {
      return realpathSync(x);
    } catch {
      return path.resolve(x);
    }
  };
  const rel = path.relative(real(dir), real(p));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** A folder given as a plugin root: one manifest plugin, or loose files plus nested manifest plugins. */
function scanRoot(root: string, source: SourceKind, looseNamespace: string, out: PluginUnit[]): void {
  const manifestFile = path.join(root, MANIFEST_FILE);
  if (existsSync(manifestFile)) {
    out.push(manifestUnit(root, source, () => ({ manifest: readManifestFile(manifestFile), name: path.basename(root), file: manifestFile })));
    return;
  }
  const files: string[] = [];
  const subPlugins: string[] = [];
  const rootIsFile = statSync(root).isFile();
  if (rootIsFile) files.push(root);
  else walk(root, files, subPlugins);
  const base = rootIsFile ? path.dirname(root) : root;
  // Ids drop the extension, unless two files differ only by it (a.ts and a.mjs).
  const stem = (f: string): string => path.relative(base, f).replace(/\.[^.]+$/, '').split(path.sep).join('/');
  const stems = new Map<string, number>();
  for (const f of files) stems.set(stem(f), (stems.get(stem(f)) ?? 0) + 1);
  for (const f of files) {
    const rel = stems.get(stem(f))! > 1 ? path.relative(base, f).split(path.sep).join('/') : stem(f);
    out.push({
      id: `${looseNamespace}/${rel}`,
      namespace: looseNamespace,
      source,
      priority: SOURCE_PRIORITY[source],
      root: f,
      files: [statFile(f)],
      problems: [],
    });
  }
  for (const sub of subPlugins) {
    const mf = path.join(sub, MANIFEST_FILE);
    out.push(manifestUnit(sub, source, () => ({ manifest: readManifestFile(mf), name: path.basename(sub), file: mf })));
  }
}

/** node_modules/<name> for `name`, looking in `dir` and its parents like Node does. */
function findPackageDir(projectDir: string, name: string): string | undefined {
  let dir = projectDir;
  for (;;) {
    const p = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(p, 'package.json'))) return p;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

function npmUnits(projectDir: string, out: PluginUnit[], problems: Diagnostic[]): void {
  const pkgFile = path.join(projectDir, 'package.json');
  if (!existsSync(pkgFile)) return;
  let deps: string[];
  try {
    const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as Record<string, Record<string, string> | undefined>;
    deps = [...new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})])].sort();
  } catch (e) {
    problems.push(diag('E_MANIFEST_INVALID', `${pkgFile}: cannot read dependencies: ${errorMessage(e)}`, { file: pkgFile }));
    return;
  }
  for (const name of deps) {
    const dir = findPackageDir(projectDir, name);
    if (!dir) continue;
    const file = path.join(dir, 'package.json');
    let isPlugin = false;
    try {
      isPlugin = readPackagePlugin(file).manifest !== undefined;
    } catch {
      isPlugin = true; // a malformed brainsmith field: report it through manifestUnit
    }
    if (!isPlugin) continue;
    out.push(
      manifestUnit(dir, 'npm', () => {
        const info = readPackagePlugin(file);
        return { manifest: info.manifest, name: info.name, version: info.version, file };
      }),
    );
  }
}


export function discover(opts: DiscoveryOptions): Discovery {
  const sources: SourceInfo[] = [];
  const units: PluginUnit[] = [];
  const problems: Diagnostic[] = [];
  // The same folder reached twice (plugins add of brainsmith_plugins, an env path to it, a symlink) is
  // scanned once, by its strongest source: otherwise every file there would be a duplicate of itself.
  const scanned = new Set<string>();
  const addRoot = (kind: SourceKind, dir: string, looseNamespace: string, mustExist: boolean, origin: string): void => {
    const exists = existsSync(dir);
    sources.push({ kind, path: dir, exists });
    if (!exists) {
      if (mustExist) problems.push(diag('E_PLUGIN_PATH_MISSING', `plugin folder ${dir} (from ${origin}) does not exist`, { file: origin }));
      return;
    }
    const real = realpathSync(dir);
    if (scanned.has(real)) return;
    scanned.add(real);
    scanRoot(dir, kind, looseNamespace, units);
  };

  addRoot('project', path.join(opts.projectDir, PROJECT_PLUGIN_DIR), 'project', false, 'project');
  for (const dir of configuredPluginDirs(opts.projectDir, opts.config.plugins)) addRoot('project', dir, 'project', true, opts.config.file);
  addRoot('user', userPluginDir(opts.home), 'user', false, 'user');
  const envPath = opts.pluginPath ?? process.env.BRAINSMITH_PLUGIN_PATH ?? '';
  for (const dir of envPath.split(path.delimiter).filter(Boolean)) addRoot('env', path.resolve(dir), 'env', true, 'BRAINSMITH_PLUGIN_PATH');
  npmUnits(opts.projectDir, units, problems);
  if (units.some((u) => u.source === 'npm')) sources.push({ kind: 'npm', path: path.join(opts.projectDir, 'node_modules'), exists: true });

  const builtin: PluginUnit = {
    id: BUILTIN_NAMESPACE,
    namespace: BUILTIN_NAMESPACE,
    source: 'builtin',
    priority: SOURCE_PRIORITY.builtin,
    root: '',
    version: opts.hostVersion,
    files: [],
    problems: [],
  };
  // The bundled CLI carries its built-ins: their list comes with it (no walk of dist/, no stat per file).
  const carried = opts.builtinDirs ? undefined : bundledBuiltinFiles();
  for (const dir of opts.builtinDirs ?? defaultBuiltinDirs()) {
    const exists = existsSync(dir);
    sources.push({ kind: 'builtin', path: dir, exists });
    if (!exists) continue;
    builtin.root ||= dir;
    if (carried) continue;
    const files: string[] = [];
    walk(dir, files, []);
    for (const f of files) builtin.files.push(statFile(f));
  }
  if (carried) builtin.files.push(...carried);
  units.push(builtin);
  return { sources, units, problems };
}
