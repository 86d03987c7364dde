/**
 * Calls a kernel or backend hook with errors wrapped one way everywhere: the stable code (the hook's own
 * BrainsmithError code, else E_PLUGIN_HOOK), the plugin, the hook, the component and the node, with the
 * original error kept as `cause` for `--log-level debug`.
 */
import { BrainsmithError, errorMessage } from '../errors.js';
import type { ComponentEntry } from '../plugins/entry.js';

/** Marks an error this module already wrapped, so a hook calling another hook is not named twice. */
const WRAPPED = Symbol('brainsmith.hookWrapped');

export function hookError(entry: ComponentEntry, hook: string, node: string, e: unknown): BrainsmithError {
  if (e instanceof BrainsmithError && (e as unknown as Record<symbol, unknown>)[WRAPPED]) return e;
  const where = `plugin ${entry.plugin.id}, ${hook}() of ${entry.kind} ${entry.qualifiedName}${node ? ` at node '${node}'` : ''}`;
  const err = e instanceof BrainsmithError
    ? new BrainsmithError(e.code, `${where}: ${e.message}`, { kind: e.kind, file: e.file, cause: e })
    : new BrainsmithError('E_PLUGIN_HOOK', `${where} threw: ${errorMessage(e)}`, { kind: 'work', file: entry.file, cause: e });
  Object.defineProperty(err, WRAPPED, { value: true });
  return err;
}

export function callHook<T>(entry: ComponentEntry, hook: string, node: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw hookError(entry, hook, node, e);
  }
}

export async function callHookAsync<T>(entry: ComponentEntry, hook: string, node: string, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw hookError(entry, hook, node, e);
  }
}
