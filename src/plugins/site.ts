/** Finds the plugin file and line that called into the plugin API, from the call stack. */
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import { bundledHostFile } from './host-entry.js';
import type { DeclarationSite } from './types.js';

const ownDir = path.dirname(fileURLToPath(import.meta.url));
/**
 * The host's core, compiled (dist/src) and, as stacks show it once source maps are on, as written (src):
 * never a plugin's declaration site. Built-in plugins (transforms/, kernels/) are sites like any other.
 */
const hostRoot = path.resolve(ownDir, '..', '..', '..');
const coreDirs = [ownDir, path.join(hostRoot, 'dist', 'src'), path.join(hostRoot, 'src')].map((d) => d + path.sep);

/** A file the FRAME pattern accepts: an absolute path or a file: URL. */
const ABSOLUTE = /^(?:file:\/\/)?\/|^[A-Za-z]:\\/;
/** `at fn (loc)` or `at loc`, where loc is `file:line:col`. */
const FRAME = /\bat (?:.*? \()?((?:file:\/\/)?\/[^():]+?|[A-Za-z]:\\[^():]+?)(?:\?[^:)]*)?:(\d+):\d+\)?$/;

export function toPath(fileOrUrl: string): string {
  const noQuery = fileOrUrl.replace(/\?.*$/, '');
  return noQuery.startsWith('file:') ? fileURLToPath(noQuery) : noQuery;
}

/**
 * Where a declaration comes from: its site, and whether every frame of the call is the bundled CLI's own
 * file (a built-in component declared inside dist/bundle, which scripts/bundle.mjs validated at build time).
 */
export function declarationOrigin(): { site: DeclarationSite; bundled: boolean } {
  if (process.sourceMapsEnabled) return { site: callerSite(), bundled: false };
  const frames = currentFrames();
  const bundle = bundledHostFile();
  const bundled = bundle !== undefined && frames.every((f) => {
    const name = f.getFileName();
    return !name || !ABSOLUTE.test(name) || toPath(name) === bundle;
  });
  return { site: siteOfFrames(frames), bundled };
}

/** The first frame outside the plugin framework itself. */
export function callerSite(stack?: string): DeclarationSite {
  if (stack === undefined && !process.sourceMapsEnabled) return siteOfFrames(currentFrames());
  for (const raw of (stack ?? new Error().stack ?? '').split('\n').slice(1)) {
    const m = FRAME.exec(raw.trim());
    if (!m) continue;
    const file = toPath(m[1]!);
    if (!isPluginFile(file)) continue;
    return { file, line: Number(m[2]) };
  }
  return {};
}

function isPluginFile(file: string): boolean {
  return !coreDirs.some((d) => file.startsWith(d)) && file !== bundledHostFile() && !file.includes(`${path.sep}node_modules${path.sep}`);
}

/**
 * The call stack as V8's frames, not as text. Without source maps a frame's file and line are what the
 * text would say; asking only the frames needed spares formatting them all (and computing the line
 * positions of the bundle, a 2 MB script, when the built-ins declare themselves from inside it).
 */
function currentFrames(): NodeJS.CallSite[] {
  const prepare = Error.prepareStackTrace;
  Error.prepareStackTrace = (_e, frames) => frames;
  try {
    const holder = {} as { stack: NodeJS.CallSite[] };
    Error.captureStackTrace(holder, currentFrames);
    return holder.stack;
  } finally {
    Error.prepareStackTrace = prepare;
  }
}

function siteOfFrames(frames: NodeJS.CallSite[]): DeclarationSite {
  for (const f of frames) {
    const name = f.getFileName();
    if (!name || !ABSOLUTE.test(name)) continue;
    const file = toPath(name);
    if (!isPluginFile(file)) continue;
    const line = f.getLineNumber();
    return line === null ? { file } : { file, line };
  }
  return {};
}

/** The line of `file` named in an error's stack or message (esbuild writes `file:line:col: ERROR`). */
export function lineInFile(e: unknown, file: string): number | undefined {
  const texts: string[] = [];
  if (e instanceof Error) {
    texts.push(e.stack ?? '', e.message);
  } else texts.push(String(e));
  const variants = [file, `file://${file}`];
  for (const t of texts) {
    for (const v of variants) {
      let i = t.indexOf(v);
      while (i >= 0) {
        const rest = t.slice(i + v.length);
        const m = /^(?:\?[^:\s)]*)?:(\d+)(?::\d+)?/.exec(rest);
        if (m) return Number(m[1]);
        i = t.indexOf(v, i + 1);
      }
    }
  }
  return undefined;
}

export function formatSite(site: DeclarationSite): string {
  if (!site.file) return 'unknown file';
  return site.line ? `${site.file}:${site.line}` : site.file;
}
