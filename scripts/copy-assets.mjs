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

// Built-in blueprints, parsed and validated now so that a compile need neither parse YAML nor run the schema
// (src/pipeline/blueprint-precompiled.ts). `data` is the schema's output, when it survives JSON as it is.
{
  const { readFileSync, writeFileSync } = await import('node:fs');
  const { isDeepStrictEqual } = await import('node:util');
  const { parse } = await import('yaml');
  const { blueprintSchema } = await import(new URL('../dist/src/pipeline/blueprint-schema.js', import.meta.url).href);
  mkdirSync(join('dist', 'blueprints'), { recursive: true });
  for (const name of readdirSync('blueprints')) {
    if (!/\.(ya?ml|json)$/i.test(name)) continue;
    const text = readFileSync(join('blueprints', name), 'utf8');
    const value = parse(text);
    const r = blueprintSchema.safeParse(value);
    const data = r.success && isDeepStrictEqual(JSON.parse(JSON.stringify(r.data)), r.data) ? r.data : undefined;
    writeFileSync(join('dist', 'blueprints', name.replace(/\.(ya?ml|json)$/i, '.json')), JSON.stringify({ text, value, data }));
  }
}
