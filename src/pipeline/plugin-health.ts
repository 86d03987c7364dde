/**
 * What a compile says about broken plugins: one warning per plugin that did not load, and an error when
 * a broken plugin declares that it overrides a component the plan runs (the compile would otherwise
 * quietly run the component the user meant to replace).
 */
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { BrainsmithError } from '../errors.js';
import type { PluginRecord } from '../plugins/entry.js';
import type { Registry } from '../plugins/registry.js';
import type { Plan } from './plan.js';

function notLoaded(reg: Registry): PluginRecord[] {
  return reg.plugins.filter((p) => p.status === 'failed' || p.status === 'unmet');
}

/** Logs each plugin that failed to load or has an unmet dependency, once. */
export function warnBrokenPlugins(reg: Registry, log: Logger): void {
  for (const p of notLoaded(reg)) log.warn({ plugin: p.id, status: p.status }, `plugin ${p.id} was not loaded: ${p.reason}`);
}

/** `overrides: 'ns:Name'` written in a file: a broken file's metadata cannot be read any other way. */
function declaredOverrides(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return [...text.matchAll(/\boverrides\s*:\s*['"`]([^'"`\s]+)['"`]/g)].map((m) => m[1]!);
}

/** Throws when a plugin that did not load overrides a component of the plan. */
export function checkBrokenOverrides(reg: Registry, plan: Plan): void {
  const used = new Map<string, string>();
  for (const st of plan.stages) for (const i of st.items) used.set(i.entry.qualifiedName, i.origin);
  for (const p of notLoaded(reg)) {
    for (const file of p.files) {
      for (const target of declaredOverrides(file)) {
        const origin = used.get(target);
        if (!origin) continue;
        throw new BrainsmithError(
          'E_PLUGIN_FAILED',
          `${origin}: the plan runs ${target}, which plugin ${p.id} (${file}) overrides, but that plugin failed to load: ${p.reason}`,
          { kind: 'input', file },
        );
      }
    }
  }
}
