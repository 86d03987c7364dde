import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../helpers/tmp.js';

/** A temp project folder and a temp HOME; `write` creates files (and folders) under the project. */
export function tempProject(): { dir: string; home: string; write: (rel: string, text: string) => string } {
  const root = tempDir('bs-plugins-');
  const dir = path.join(root, 'proj');
  const home = path.join(root, 'home');
  mkdirSync(dir, { recursive: true });
  mkdirSync(home, { recursive: true });
  const write = (rel: string, text: string): string => {
    const p = path.isAbsolute(rel) ? rel : path.join(dir, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, text);
    return p;
  };
  return { dir, home, write };
}

export const transformSrc = (name: string, stage = 'cleanup', extra = ''): string =>
  `import { defineTransform } from 'brainsmith';\nexport default defineTransform({ name: '${name}', stage: '${stage}', description: '${name} demo',${extra} apply(model, ctx) { return false; } });\n`;
