/**
 * Where plugins may write through ctx.fs: during a compile, only inside the build folder, so that a blueprint
 * option such as `output: /etc/x` or `${report_dir}/../../x.json` cannot make a transform write elsewhere.
 * Relative paths are taken inside it. Outside a compile (tests, `plugins check`) nothing is confined.
 */
import path from 'node:path';
import { BrainsmithError } from '../errors.js';
import { realWithin } from '../util/safe-write.js';

let root: string | undefined;

export function setWriteRoot(dir: string | undefined): void {
  root = dir === undefined ? undefined : path.resolve(dir);
}

/** Runs `fn` with plugin writes confined to `dir` (a nested build, e.g. a baseline), then restores the root. */
export async function withWriteRoot<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const saved = root;
  setWriteRoot(dir);
  try {
    return await fn();
  } finally {
    root = saved;
  }
}

/** The absolute path a plugin may write to, or an error naming the plugin and the path. */
export function confinedPath(p: string, plugin: string): string {
  if (root === undefined) return p;
  const abs = path.resolve(root, p);
  if (!realWithin(abs, root)) {
    throw new BrainsmithError('E_PLUGIN_WRITE_OUTSIDE', `plugin ${plugin} may write only inside the build folder; refused ${p}`, { kind: 'input' });
  }
  return abs;
}
