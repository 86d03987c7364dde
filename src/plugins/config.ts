/**
 * The project: its folder and the `plugins` section of `brainsmith.config.json`. Only that section is
 * ours; writing keeps every other key as it was.
 */
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { BrainsmithError } from '../errors.js';
import { readJsonFile } from './json-file.js';
import { formatZodError, pluginSchemas, type PluginConfig } from './schemas.js';

export const CONFIG_FILE = 'brainsmith.config.json';
export const PROJECT_PLUGIN_DIR = 'brainsmith_plugins';

/** The nearest folder at or above `cwd` with a config file or a plugin folder; `cwd` when there is none. */
export function findProjectDir(cwd: string = process.cwd()): string {
  let dir = path.resolve(cwd);
  for (;;) {
    if (existsSync(path.join(dir, CONFIG_FILE)) || existsSync(path.join(dir, PROJECT_PLUGIN_DIR))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return path.resolve(cwd);
    dir = up;
  }
}

export interface ProjectConfig {
  file: string;
  exists: boolean;
  /** The whole document, to write back unchanged apart from `plugins`. */
  raw: Record<string, unknown>;
  plugins: PluginConfig;
}

export function readProjectConfig(projectDir: string): ProjectConfig {
  const file = path.join(projectDir, CONFIG_FILE);
  if (!existsSync(file)) return { file, exists: false, raw: {}, plugins: {} };
  const raw = readJsonFile(file, 'E_CONFIG_INVALID');
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new BrainsmithError('E_CONFIG_INVALID', `${file}: expected a JSON object`, { file });
  }
  const r = pluginSchemas().pluginConfigSchema.safeParse((raw as Record<string, unknown>).plugins ?? {});
  if (!r.success) {
    throw new BrainsmithError('E_CONFIG_INVALID', `${file}: plugins: ${formatZodError(r.error)}`, { file });
  }
  return { file, exists: true, raw: raw as Record<string, unknown>, plugins: r.data };
}

export function writeProjectConfig(cfg: ProjectConfig, plugins: PluginConfig): void {
  const doc = { ...cfg.raw, plugins };
  const tmp = `${cfg.file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(doc, null, 2)}\n`);
  renameSync(tmp, cfg.file);
}

/** Absolute plugin folders listed in the config (relative entries are relative to the config file). */
export function configuredPluginDirs(projectDir: string, cfg: PluginConfig): string[] {
  return (cfg.paths ?? []).map((p) => path.resolve(projectDir, p));
}
