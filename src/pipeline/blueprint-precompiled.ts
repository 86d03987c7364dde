/**
 * Built-in blueprints parsed and validated at build time (scripts/copy-assets.mjs writes
 * dist/blueprints/<name>.json): parsing YAML, and running the schema, are a good part of a short compile.
 * An entry holds the text it was made from (compared as it is: hashing would load node:crypto for a few
 * kB), so an edited blueprint without a rebuild is simply parsed again.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const DIR = fileURLToPath(new URL('../../blueprints/', import.meta.url));

export interface PrecompiledBlueprint {
  /** The parsed text. */
  value: unknown;
  /** What the blueprint schema made of it at build time (absent when it did not validate). */
  data?: unknown;
}

/** `file` (a built-in blueprint whose text is `text`) as parsed at build time, or undefined. */
export function precompiledBlueprint(file: string, text: string): PrecompiledBlueprint | undefined {
  try {
    const doc = JSON.parse(readFileSync(path.join(DIR, `${path.basename(file).replace(/\.(ya?ml|json)$/i, '')}.json`), 'utf8')) as { text?: string } & PrecompiledBlueprint;
    return doc.text === text ? { value: doc.value, data: doc.data } : undefined;
  } catch {
    return undefined;
  }
}
