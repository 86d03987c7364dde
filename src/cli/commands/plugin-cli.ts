/** Shared by the plugin commands: opening the registry for the CLI, and plain-text tables. */
import type { Logger } from 'pino';
import type { Registry } from '../../plugins/registry.js';

export async function openCliRegistry(log: Logger, opts: { strict?: boolean } = {}): Promise<Registry> {
  const { openRegistry } = await import('../../plugins/registry.js');
  const { enableLifecycle } = await import('../../plugins/runtime.js');
  const reg = await openRegistry({ log, strict: opts.strict });
  await enableLifecycle(reg);
  return reg;
}

/** Columns padded to the widest cell; the last column is not padded. */
export function textTable(rows: string[][], indent = '  '): string {
  if (rows.length === 0) return '';
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => indent + r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}

/** One line about plugins that failed, for the end of a listing. */
export function failedNote(reg: Registry): string | undefined {
  const failed = reg.plugins.filter((p) => p.status === 'failed' || p.status === 'unmet');
  if (!failed.length) return undefined;
  return `${failed.length} plugin(s) not loaded (see brainsmith plugins list):\n${failed.map((p) => `  ${p.id}: ${p.reason}`).join('\n')}`;
}

export function failedJson(reg: Registry): { plugin: string; status: string; reason?: string }[] {
  return reg.plugins.filter((p) => p.status === 'failed' || p.status === 'unmet').map((p) => ({ plugin: p.id, status: p.status, reason: p.reason }));
}
