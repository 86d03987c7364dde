/**
 * Built-in blueprints parsed at build time (scripts/copy-assets.mjs writes dist/blueprints/<name>.json):
 * parsing YAML is a good part of a short compile's time. An entry holds the text it was made from (compared
 * as it is: hashing would load node:crypto for a few kB), so an edited blueprint without a rebuild is simply
 * parsed again.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const DIR = fileURLToPath(new URL('../../blueprints/', import.meta.url));

/** The parsed value of `file` (a built-in blueprint whose text is `text`), or undefined. */
export function precompiledBlueprint(file: string, text: string): unknown {
  try {
    const doc = JSON.parse(readFileSync(path.join(DIR, `${path.basename(file).replace(/\.(ya?ml|json)$/i, '')}.json`), 'utf8')) as { text?: string; value?: unknown };
    return doc.text === text ? doc.value : undefined;
  } catch {
    return undefined;
  }
}
