import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** Repository root, from the compiled location dist/test/helpers/paths.js (or the source location). */
function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('package.json not found above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
}

export const repoRoot = findRoot();
/** `../shared` beside the repository: real models the project did not write (see its README). */
export const sharedDir = path.resolve(repoRoot, '..', 'shared');
export const sharedFixtures = path.join(sharedDir, 'fixtures');
export const hasShared = existsSync(sharedFixtures);
/** Pass as the `skip` option of node:test `test()`/`describe()` for tests that need ../shared. */
export const skipNoShared: string | false = hasShared ? false : 'needs ../shared/fixtures beside the repository (absent here)';
/** The project's own generated fixtures. */
export const projectFixtures = path.join(repoRoot, 'fixtures');
/** The CLI entry point. */
export const cliPath = path.join(repoRoot, 'bin', 'brainsmith.js');

export function shared(...parts: string[]): string {
  return path.join(sharedFixtures, ...parts);
}
