/** Plugin manifests: `brainsmith-plugin.json`, or the `brainsmith` field of a package.json. */
import * as path from 'node:path';
import { BrainsmithError } from '../errors.js';
import { readJsonFile } from './json-file.js';
import { formatZodError, pluginSchemas, type PluginManifest } from './schemas.js';

export const MANIFEST_FILE = 'brainsmith-plugin.json';

export function parseManifest(value: unknown, file: string, where = ''): PluginManifest {
  const r = pluginSchemas().manifestSchema.safeParse(value);
  if (!r.success) throw new BrainsmithError('E_MANIFEST_INVALID', `${file}: ${where}${formatZodError(r.error)}`, { file });
  return r.data;
}

export function readManifestFile(file: string): PluginManifest {
  return parseManifest(readJsonFile(file, 'E_MANIFEST_INVALID'), file);
}

export interface PackageInfo {
  name: string;
  version?: string;
  manifest?: PluginManifest;
}

/** Reads a package.json; `manifest` is set when it has a `brainsmith` field (which makes it a plugin). */
export function readPackagePlugin(pkgFile: string): PackageInfo {
  const pkg = readJsonFile(pkgFile, 'E_MANIFEST_INVALID') as { name?: unknown; version?: unknown; brainsmith?: unknown };
  const name = typeof pkg.name === 'string' ? pkg.name : path.basename(path.dirname(pkgFile));
  const version = typeof pkg.version === 'string' ? pkg.version : undefined;
  if (pkg.brainsmith === undefined) return { name, version };
  const manifest = parseManifest(pkg.brainsmith, pkgFile, 'brainsmith: ');
  return { name, version, manifest };
}
