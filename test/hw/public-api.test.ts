// Built-in plugins use exactly the public API a third party gets: nothing from src/ but the entry points.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../helpers/paths.js';

/** The files a package entry point is built from, relative to the repository. */
const ENTRY_POINTS = new Set(['src/index.ts', 'src/kernel.ts', 'src/rewrite.ts']);

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...tsFiles(p));
    else if (/\.m?ts$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => (m[1] ?? m[2])!);
}

/** Where a relative import of `file` lands, as a repository path of its TypeScript source. */
function target(file: string, spec: string): string {
  return path.relative(repoRoot, path.resolve(path.dirname(file), spec)).replace(/\.js$/, '.ts').split(path.sep).join('/');
}

test('built-in kernels and transforms import nothing from src/ but brainsmith, brainsmith/kernel and brainsmith/rewrite', () => {
  const offenders: string[] = [];
  let checked = 0;
  for (const root of ['kernels', 'transforms']) {
    for (const file of tsFiles(path.join(repoRoot, root))) {
      for (const spec of importsOf(file)) {
        if (!spec.startsWith('.')) continue;
        const t = target(file, spec);
        checked++;
        if (t.startsWith('src/') && !ENTRY_POINTS.has(t)) offenders.push(`${path.relative(repoRoot, file)} → ${t}`);
      }
    }
  }
  assert.ok(checked > 200, `only ${checked} relative imports found: the scan is broken`);
  assert.deepEqual(offenders, []);
});

test('helpers in a stage\'s _lib/ are not borrowed by another stage, and kernels do not reach into transforms', () => {
  const offenders: string[] = [];
  for (const root of ['kernels', 'transforms']) {
    for (const file of tsFiles(path.join(repoRoot, root))) {
      const rel = path.relative(repoRoot, file).split(path.sep);
      for (const spec of importsOf(file)) {
        if (!spec.startsWith('.')) continue;
        const t = target(file, spec).split('/');
        if (rel[0] === 'kernels' && t[0] === 'transforms') offenders.push(`${rel.join('/')} → ${t.join('/')}`);
        if (rel[0] === 'transforms' && t[0] === 'transforms' && t.includes('_lib') && t[1] !== rel[1]) offenders.push(`${rel.join('/')} → ${t.join('/')}`);
        if (rel[0] === 'transforms' && t[0] === 'kernels') offenders.push(`${rel.join('/')} → ${t.join('/')}`);
      }
    }
  }
  assert.deepEqual(offenders, []);
});

test('the outside plugin fixture imports only the package and its documented entry points', () => {
  const dir = path.join(repoRoot, 'test', 'fixtures', 'plugins', 'abs-kernel');
  const specs = tsFiles(dir).flatMap(importsOf).filter((s) => !s.startsWith('.'));
  assert.ok(specs.length >= 5);
  for (const s of specs) assert.match(s, /^brainsmith(\/(kernel|rewrite))?$/, s);
});

test('package.json exports exactly the documented entry points, and each one is built', async () => {
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
  assert.deepEqual(Object.keys(pkg.exports).sort(), ['.', './host', './kernel', './package.json', './rewrite']);
  for (const sub of ['index', 'kernel', 'rewrite', 'host']) {
    const mod = (await import(path.join(repoRoot, 'dist', 'src', `${sub}.js`))) as Record<string, unknown>;
    assert.ok(Object.keys(mod).length > 10, `${sub} exports ${Object.keys(mod).length} names`);
  }
  // Host internals stay out of the plugin API.
  const api = (await import(path.join(repoRoot, 'dist', 'src', 'index.js'))) as Record<string, unknown>;
  for (const hostOnly of ['openRegistry', 'runPlan', 'compile', 'decodeModelProto', 'Registry', 'estimateModel']) assert.equal(api[hostOnly], undefined, hostOnly);
});
