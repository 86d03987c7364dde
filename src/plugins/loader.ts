/**
 * Imports plugin files. TypeScript goes through tsx (esbuild, no type checking); the `brainsmith`
 * specifier goes to the running package (see resolve-hook.ts). Hooks are registered on the first import
 * only, so listing from a warm cache never pays for them.
 */
import { rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { register } from 'node:module';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BrainsmithError, errorMessage, isBrainsmithError } from '../errors.js';
import { hostEntryUrls } from './host-entry.js';
import { lineInFile } from './site.js';
import { bundlesDisabled, guardPluginCall, hungImport, importTimeLimitMs, safeMessage, seconds } from './isolation.js';
import type { ColdBundle } from './transpile.js';

let hooksReady: Promise<void> | undefined;

async function installHooks(): Promise<void> {
  const { register: registerTsx } = await import('tsx/esm/api');
  registerTsx();
  // Registered after tsx so that it runs first in the resolve chain.
  register(new URL('./resolve-hook.js', import.meta.url), {
    data: { targets: hostEntryUrls() },
  });
}

export function ensureLoaderHooks(): Promise<void> {
  hooksReady ??= installHooks();
  return hooksReady;
}

/** Transpiled code (transpile.ts) carries an inline source map: stacks then name the plugin file and line. */
function enableSourceMaps(): void {
  if (!process.sourceMapsEnabled) process.setSourceMapsEnabled(true);
}

/**
 * Imports a chunk's bundle (transpile.ts bundleColdFiles): plugin file → its namespace; undefined when any
 * file in it throws at import (the caller then imports them one by one). The bundle file is deleted: only
 * this run uses it; later runs read the metadata cache and import single files on first use.
 */
export async function importBundle(b: ColdBundle): Promise<Map<string, Record<string, unknown>> | undefined> {
  enableSourceMaps();
  try {
    // A bundle that hung before, or holds a file that did: import file by file, so the hung one is found.
    if (bundlesDisabled() || [...b.exports.keys()].some(hungImport)) return undefined;
    const files = [...b.exports.keys()];
    const mod = await guardPluginCall({ plugin: `${files[0]} (and ${files.length - 1} more, bundled)`, hook: 'import' }, () => import(b.url) as Promise<Record<string, Record<string, unknown>>>, { files, limitMs: importTimeLimitMs() });
    const out = new Map<string, Record<string, unknown>>();
    for (const [file, name] of b.exports) if (mod[name]) out.set(file, mod[name]);
    return out;
  } catch {
    return undefined;
  } finally {
    rmSync(b.file, { force: true });
  }
}

/**
 * Imports `file` as a fresh module when `stamp` (size and mtime) changed, else returns the module
 * Node already has. Errors come back as one-line BrainsmithErrors with file and line.
 */
export async function importPluginFile(file: string, stamp: string, transpiledUrl?: string): Promise<Record<string, unknown>> {
  enableSourceMaps();
  if (!transpiledUrl) await ensureLoaderHooks();
  const url = transpiledUrl ?? `${pathToFileURL(file).href}?bsplugin=${encodeURIComponent(stamp)}`;
  // An earlier attempt of this command stopped here (see src/cli/supervisor.ts): a failed plugin now.
  if (hungImport(file)) {
    throw new BrainsmithError('E_PLUGIN_IMPORT', `${file}: import did not finish within ${seconds(importTimeLimitMs())} (an endless loop at the top level?); plugin skipped`, { file });
  }
  try {
    return await guardPluginCall({ plugin: file, hook: 'import', file }, () => import(url) as Promise<Record<string, unknown>>, { limitMs: importTimeLimitMs() });
  } catch (e) {
    throw await describeImportError(e, file);
  }
}

interface EsbuildLike {
  transformSync(src: string, opts: { loader: string; format: string; sourcefile: string }): unknown;
}

/** Node's SyntaxError for ES modules carries no position: esbuild (tsx's parser) finds it. */
async function syntaxErrorLine(file: string): Promise<{ line?: number; text?: string }> {
  try {
    const req = createRequire(fileURLToPath(import.meta.resolve('tsx/esm/api')));
    const esbuild = req('esbuild') as EsbuildLike;
    const src = await readFile(file, 'utf8');
    esbuild.transformSync(src, { loader: /\.m?ts$/.test(file) ? 'ts' : 'js', format: 'esm', sourcefile: file });
  } catch (e) {
    const first = (e as { errors?: { text?: string; location?: { line?: number } }[] }).errors?.[0];
    if (first) return { line: first.location?.line, text: first.text };
  }
  return {};
}

function firstLine(s: string): string {
  return s.split('\n').find((l) => l.trim() !== '')?.trim() ?? s;
}

export async function describeImportError(e: unknown, file: string): Promise<BrainsmithError> {
  if (isBrainsmithError(e) && (e.code === 'E_PLUGIN_METADATA' || e.code === 'E_PLUGIN_EXPORT')) return e;
  if (isBrainsmithError(e) && e.code === 'E_PLUGIN_EXIT') {
    const what = /called (.*?);/.exec(e.message)?.[1] ?? 'process.exit()';
    return new BrainsmithError('E_PLUGIN_IMPORT', `${file}: called ${what} while loading (plugins must throw an error instead); plugin skipped`, { file, cause: e });
  }
  const msg = safeMessage(e);
  const code = (e as { code?: string }).code;
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
    const line = await importLine(file, msg);
    return new BrainsmithError('E_PLUGIN_MISSING_MODULE', `${file}${line ? `:${line}` : ''}: ${firstLine(msg)}`, { file, cause: e });
  }
  // esbuild: "Transform failed with 1 error:\n<file>:<line>:<col>: ERROR: <text>"
  const esb = /:(\d+):\d+: ERROR: (.*)/.exec(msg);
  if (esb) {
    return new BrainsmithError('E_PLUGIN_SYNTAX', `${file}:${esb[1]}: syntax error: ${esb[2]}`, { file, cause: e });
  }
  if (e instanceof SyntaxError) {
    const loc = await syntaxErrorLine(file);
    const line = loc.line ?? lineInFile(e, file);
    return new BrainsmithError('E_PLUGIN_SYNTAX', `${file}${line ? `:${line}` : ''}: syntax error: ${loc.text ?? firstLine(msg)}`, { file, cause: e });
  }
  const line = lineInFile(e, file);
  return new BrainsmithError('E_PLUGIN_IMPORT', `${file}${line ? `:${line}` : ''}: threw while loading: ${firstLine(msg)}`, { file, cause: e });
}

/** The line that imports the missing module, found by searching the source for its name. */
async function importLine(file: string, msg: string): Promise<number | undefined> {
  const m = /Cannot find (?:package|module) '([^']+)'/.exec(msg);
  if (!m) return undefined;
  try {
    const src = await readFile(file, 'utf8');
    const name = m[1]!.replace(/^.*\//, '');
    const idx = src.split('\n').findIndex((l) => /\bimport\b|\bfrom\b|require\(/.test(l) && l.includes(name.replace(/\.[mc]?[jt]s$/, '')));
    return idx >= 0 ? idx + 1 : undefined;
  } catch {
    return undefined;
  }
}
