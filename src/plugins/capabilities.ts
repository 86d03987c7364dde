/**
 * Capabilities: which parts of the plugin API a plugin may call. This guards the API surface only; a
 * plugin is ordinary code in the compiler's process and can still import node:fs itself. It is not a
 * sandbox (see docs/PLUGINS.md).
 */
import { BrainsmithError } from '../errors.js';
import type { PluginConfig } from './schemas.js';
import { CAPABILITIES, type Capability } from './schemas.js';

export interface GrantSubject {
  id: string;
  namespace: string;
  source: string;
  /** Asked for in the manifest; undefined for loose files, which have none. */
  asked?: readonly Capability[];
}

/**
 * Built-ins get everything. Others get what the project config grants by plugin id or namespace,
 * limited to what their manifest asks for when they have one.
 */
export function grantedCapabilities(p: GrantSubject, cfg: PluginConfig): Set<Capability> {
  if (p.source === 'builtin') return new Set(CAPABILITIES);
  const grants = cfg.capabilities ?? {};
  const granted = new Set<Capability>([...(grants[p.id] ?? []), ...(p.namespace !== p.id ? (grants[p.namespace] ?? []) : [])]);
  if (p.asked === undefined) return granted;
  return new Set(p.asked.filter((c) => granted.has(c)));
}

export function capabilityDenied(plugin: string, cap: Capability): BrainsmithError {
  return new BrainsmithError(
    'E_CAPABILITY_DENIED',
    `plugin ${plugin} was not granted capability '${cap}' (ask for it in the manifest and grant it in brainsmith.config.json plugins.capabilities["${plugin}"])`,
    { kind: 'work' },
  );
}
