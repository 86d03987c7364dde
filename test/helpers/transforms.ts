// Shared by the transform test suites: the built-in plugins' registry and applying transforms by name.
import { assertGraphValid, type Model } from '../../src/index.js';
import { applyTransform, openRegistry, type Registry } from '../../src/host.js';
import { tempDir } from './tmp.js';

let registry: Promise<Registry> | undefined;

/**
 * The package's built-in plugins only (an empty temp project and home, no plugin path), opened once per test
 * file (kernel and backend plugins are reached through `reg.hw`).
 */
export function builtinRegistry(): Promise<Registry> {
  registry ??= openRegistry({ projectDir: tempDir('bs-proj-'), home: tempDir('bs-home-'), pluginPath: '' }).then((r) => {
    return r;
  });
  return registry;
}

/**
 * Applies transforms in order, each until it reports no change (at most 20 times), verifying the graph after
 * each application; returns the names of those that changed the model.
 */
export async function applyAll(model: Model, names: readonly string[], options: Record<string, Record<string, unknown>> = {}): Promise<string[]> {
  const reg = await builtinRegistry();
  const changed: string[] = [];
  for (const name of names) {
    for (let round = 0; round < 20; round++) {
      const r = await applyTransform(reg, name, model, options[name] ?? {});
      assertGraphValid(model.graph, `after ${name}`);
      if (!r.changed) break;
      if (round === 0) changed.push(name);
    }
  }
  return changed;
}
