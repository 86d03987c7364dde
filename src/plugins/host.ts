/** The running compiler's version, which plugin host ranges and the cache key are checked against. */
import { readFileSync } from 'node:fs';

let version: string | undefined;

export function hostVersion(): string {
  version ??= (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return version;
}
