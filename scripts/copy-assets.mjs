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

// Built-in blueprints, parsed now so that a compile need not parse YAML (src/pipeline/blueprint-precompiled.ts).
{
  const { readFileSync, writeFileSync } = await import('node:fs');
  const { parse } = await import('yaml');
  mkdirSync(join('dist', 'blueprints'), { recursive: true });
  for (const name of readdirSync('blueprints')) {
    if (!/\.(ya?ml|json)$/i.test(name)) continue;
    const text = readFileSync(join('blueprints', name), 'utf8');
    writeFileSync(join('dist', 'blueprints', name.replace(/\.(ya?ml|json)$/i, '.json')), JSON.stringify({ text, value: parse(text) }));
  }
}
