// Copies the non-TypeScript files that built-in plugins ship (HDL sources, templates, memory files) into
// dist/, beside the compiled modules that find them at run time. tsc copies only what it compiles.
import { cpSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';

const ROOTS = ['kernels', 'transforms', 'src'];
const ASSET_EXTS = new Set(['.v', '.sv', '.vh', '.svh', '.hex', '.tcl', '.cpp', '.hpp', '.h', '.tpl']);

function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (ASSET_EXTS.has(extname(name))) {
      const out = join('dist', p);
      mkdirSync(dirname(out), { recursive: true });
      cpSync(p, out);
    }
  }
}
for (const r of ROOTS) walk(r);
