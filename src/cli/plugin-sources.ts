/**
 * Whether a command may run plugin code other than the built-ins, decided from a few stats before anything
 * loads. The worker thread (supervisor.ts) is there to stop plugin code that loops, exits or hangs; a command
 * that can only run the built-ins runs in the main thread instead, which saves starting and ending a
 * second Node environment (a good part of a short compile). In doubt, the answer is yes.
 *
 * It follows discovery (src/plugins/discovery.ts) source by source: BRAINSMITH_PLUGIN_PATH, the user folder
 * ~/.brainsmith/plugins, a project (brainsmith.config.json or brainsmith_plugins at or above the working
 * folder), and npm dependencies with a `brainsmith` field. No imports beyond node: bin/brainsmith.js loads it
 * before the compiler.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** Commands that run built-in components only when no other plugin source exists. */
const BUILTIN_ONLY_COMMANDS = new Set(['compile', 'inspect', 'transforms', 'estimate', 'report', 'convert']);

export function mayRunPluginCode(argv: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; home?: string } = {}): boolean {
  const env = opts.env ?? process.env;
  const command = argv.find((a) => !a.startsWith('-'));
  if (!command || !BUILTIN_ONLY_COMMANDS.has(command)) return true;
  if ((env.BRAINSMITH_PLUGIN_PATH ?? '').split(path.delimiter).some(Boolean)) return true;
  const home = opts.home ?? env.HOME;
  if (!home || existsSync(path.join(home, '.brainsmith', 'plugins'))) return true;
  const cwd = path.resolve(opts.cwd ?? process.cwd());
  for (let dir = cwd; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'brainsmith.config.json')) || existsSync(path.join(dir, 'brainsmith_plugins'))) return true;
    if (path.dirname(dir) === dir) break;
  }
  return npmPluginPresent(cwd);
}

/** A dependency of the working folder's package.json with a `brainsmith` field (or one that cannot be read). */
function npmPluginPresent(projectDir: string): boolean {
  const pkgFile = path.join(projectDir, 'package.json');
  if (!existsSync(pkgFile)) return false;
  try {
    const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as Record<string, Record<string, string> | undefined>;
    const deps = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})]);
    for (const name of deps) {
      for (let dir = projectDir; ; dir = path.dirname(dir)) {
        const file = path.join(dir, 'node_modules', name, 'package.json');
        if (existsSync(file)) {
          if ((JSON.parse(readFileSync(file, 'utf8')) as { brainsmith?: unknown }).brainsmith !== undefined) return true;
          break;
        }
        if (path.dirname(dir) === dir) break;
      }
    }
    return false;
  } catch {
    return true;
  }
}
