import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { openRegistry, applyTransform, enableLifecycle, EventBus } from '../../src/host.js';
import { checkPlugins } from '../../src/plugins/check.js';
import { shared, skipNoShared } from '../helpers/paths.js';
import { tempProject, transformSrc } from './helpers.js';

const noBuiltins = { builtinDirs: [] as string[], pluginPath: '' };

test('eager: true imports at start; other plugins are not imported from a warm cache', async () => {
  const p = tempProject();
  p.write('brainsmith_plugins/early/brainsmith-plugin.json', JSON.stringify({ id: 'early', eager: true }));
  p.write('brainsmith_plugins/early/e.ts', transformSrc('Early'));
  p.write('brainsmith_plugins/lazy/brainsmith-plugin.json', JSON.stringify({ id: 'lazy' }));
  p.write('brainsmith_plugins/lazy/l.ts', transformSrc('Lazy'));
  await openRegistry({ projectDir: p.dir, home: p.home, ...noBuiltins }); // fills the cache
  const events = new EventBus();
  const loaded: string[] = [];
  events.subscribe('plugin:loaded', (payload) => loaded.push((payload as { plugin: string }).plugin));
  const reg = await openRegistry({ projectDir: p.dir, home: p.home, ...noBuiltins, events });
  assert.equal(reg.stats.imported, 0, 'warm: nothing imported to list');
  assert.deepEqual(loaded, ['early']);
  assert.equal(reg.plugin('early')!.imported, true);
  assert.equal(reg.plugin('lazy')!.imported, false);
  await reg.transforms.Lazy.load();
  assert.deepEqual(loaded, ['early', 'lazy']);
});

test('capabilities: check warns on asked-not-granted and granted-not-asked; denial names plugin and capability', async () => {
  const p = tempProject();
  p.write('brainsmith_plugins/cap/brainsmith-plugin.json', JSON.stringify({ id: 'cap', capabilities: ['events:publish', 'fs:write'] }));
  p.write(
    'brainsmith_plugins/cap/t.ts',
    `import { defineTransform } from 'brainsmith';\nexport default defineTransform({ name: 'Cap', stage: 'cleanup', apply(model, ctx) { ctx.services.register('x', 1); return false; } });\n`,
  );
  p.write(
    'brainsmith_plugins/loose.ts',
    `import { defineTransform } from 'brainsmith';\nexport default defineTransform({ name: 'Loose', stage: 'cleanup', apply(model, ctx) { ctx.events.subscribe('a:*', () => {}); return false; } });\n`,
  );
  p.write('brainsmith.config.json', JSON.stringify({ plugins: { capabilities: { cap: ['events:publish', 'services'] } } }));
  const report = await checkPlugins({ cwd: p.dir, projectDir: p.dir, home: p.home, ...noBuiltins });
  const codes = report.diagnostics.map((d) => `${d.code} ${d.message}`);
  assert.ok(codes.some((c) => /^W_CAPABILITY_NOT_GRANTED plugin cap asks for 'fs:write'/.test(c)), codes.join('\n'));
  assert.ok(codes.some((c) => /^W_CAPABILITY_NOT_ASKED .*grants 'services' to plugin cap/.test(c)), codes.join('\n'));
  assert.equal(report.errors, 0);
  const reg = await openRegistry({ projectDir: p.dir, home: p.home, ...noBuiltins });
  enableLifecycle(reg);
  assert.deepEqual([...reg.plugin('cap')!.granted], ['events:publish'], 'only what was asked and granted');
  const model = { graph: { nodeCount: 0 } } as never;
  await assert.rejects(applyTransform(reg, 'Cap', model), (e: Error & { code?: string }) => {
    assert.match(e.message, /plugin cap was not granted capability 'services'/);
    return true;
  });
  await assert.rejects(applyTransform(reg, 'Loose', model), /plugin project\/loose was not granted capability 'events:subscribe'/);
});

test('W_BACKEND_UNKNOWN_KERNEL: a backend of a kernel nobody declares', async () => {
  const p = tempProject();
  p.write(
    'brainsmith_plugins/be.ts',
    `import { defineBackend, defineKernel } from 'brainsmith';\nexport const k = defineKernel({ name: 'Known' });\nexport const a = defineBackend({ name: 'Known_hls', kernel: 'Known', language: 'hls' });\nexport const b = defineBackend({ name: 'Ghost_rtl', kernel: 'Ghost', language: 'rtl' });\n`,
  );
  const reg = await openRegistry({ projectDir: p.dir, home: p.home, ...noBuiltins });
  const w = reg.diagnostics.filter((d) => d.code === 'W_BACKEND_UNKNOWN_KERNEL');
  assert.equal(w.length, 1);
  assert.match(w[0]!.message, /backend project:Ghost_rtl implements kernel 'Ghost', which no plugin declares/);
  assert.equal(w[0]!.line, 4);
  const report = await checkPlugins({ cwd: p.dir, projectDir: p.dir, home: p.home, ...noBuiltins });
  assert.equal(report.warnings, 1);
  assert.equal(report.errors, 0);
});

test('check runs transform examples: apply, verify, second application, unchanged outputs; broken ones are reported', { skip: skipNoShared }, async () => {
  const p = tempProject();
  const model = shared('qonnx', 'eltwise_chanlast_testcase.onnx');
  const t = (name: string, body: string, examples = [model]) =>
    `import { defineTransform } from 'brainsmith';\nexport default defineTransform({ name: '${name}', stage: 'cleanup', examples: ${JSON.stringify(examples)},\n  apply(model, ctx) { ${body} } });\n`;
  // Idempotent: marks every node once (it does change the model); a second pass finds nothing to do.
  p.write('brainsmith_plugins/good.ts', t('NameNodes', `let changed = false; for (const n of model.graph.nodes()) if (n.proto.doc_string !== 'seen') { n.proto.doc_string = 'seen'; changed = true; } return changed;`));
  p.write('brainsmith_plugins/again.ts', t('AlwaysChanges', `return true;`));
  p.write('brainsmith_plugins/throws.ts', t('Throws', `throw new Error('cannot rewrite');`));
  p.write('brainsmith_plugins/breaks.ts', t('Breaks', `const first = [...model.graph.nodes()][0]; model.graph.removeNode(first); return true;`));
  p.write('brainsmith_plugins/nofile.ts', t('NoFile', `return false;`, ['missing.onnx']));
  // Valid graph and idempotent, but it negates the output: only the outputs comparison can catch it.
  p.write('brainsmith_plugins/negates.ts', t('NegatesOutput', `const g = model.graph; if (g.nodesByOpType('Neg').length) return false;
    const out = g.outputNames()[0]; const tmp = g.uniqueTensorName('pre_neg'); const prod = g.producer(out);
    g.setOutput(prod, prod.outputs.indexOf(out), tmp); g.addNode({ op_type: 'Neg', input: [tmp], output: [out] }); return true;`));
  const report = await checkPlugins({ cwd: p.dir, projectDir: p.dir, home: p.home, ...noBuiltins });
  const failed = report.diagnostics.filter((d) => d.code === 'E_EXAMPLE_FAILED');
  const msg = (name: string) => failed.filter((d) => d.message.startsWith(`project:${name}:`)).map((d) => d.message);
  assert.deepEqual(msg('NameNodes'), [], 'the idempotent transform passes');
  assert.match(msg('AlwaysChanges')[0] ?? '', /a second application changed the model again/);
  assert.match(msg('Throws')[0] ?? '', /cannot rewrite/);
  assert.equal(msg('Breaks').length, 1, 'the verifier catches a broken graph');
  assert.match(msg('NoFile')[0] ?? '', /missing\.onnx/);
  assert.match(msg('NegatesOutput')[0] ?? '', /changed the outputs: .*differ/);
  assert.equal(failed.length, 5);
  assert.deepEqual(report.diagnostics.filter((d) => d.code === 'W_EXAMPLE_NOT_EXECUTED'), [], 'the example executes natively');
  assert.equal(failed.find((d) => d.message.startsWith('project:Throws'))!.file, path.join(p.dir, 'brainsmith_plugins/throws.ts'));
});

test('cache: a plugin importing a sibling helper is rescanned when the helper changes', async () => {
  const p = tempProject();
  p.write('brainsmith_plugins/_util.ts', `export const DESCRIPTION = 'first';\n`);
  p.write(
    'brainsmith_plugins/uses.ts',
    `import { defineTransform } from 'brainsmith';\nimport { DESCRIPTION } from './_util.ts';\nexport default defineTransform({ name: 'UsesHelper', stage: 'cleanup', description: DESCRIPTION, apply() { return false; } });\n`,
  );
  p.write('brainsmith_plugins/plain.ts', transformSrc('Plain'));
  let reg = await openRegistry({ projectDir: p.dir, home: p.home, ...noBuiltins });
  assert.equal(reg.transforms.UsesHelper.meta.description, 'first');
  reg = await openRegistry({ projectDir: p.dir, home: p.home, ...noBuiltins });
  assert.equal(reg.stats.imported, 0, 'warm');
  const util = path.join(p.dir, 'brainsmith_plugins/_util.ts');
  writeFileSync(util, `export const DESCRIPTION = 'second!';\n`);
  utimesSync(util, new Date(), new Date(Date.now() + 5000));
  reg = await openRegistry({ projectDir: p.dir, home: p.home, ...noBuiltins });
  assert.equal(reg.stats.imported, 1, 'exactly the plugin that imports the helper');
  // In this process Node keeps the helper module it already has; the listing is refreshed from a
  // new process (the CLI) — here the rescan itself is what is checked.
  assert.equal(reg.stats.cacheMisses, 1);
});

test('transpiled code is cached per file and pruned when files change', async () => {
  const p = tempProject();
  const f = p.write('brainsmith_plugins/a.ts', transformSrc('A'));
  p.write('brainsmith_plugins/b.ts', transformSrc('B'));
  await openRegistry({ projectDir: p.dir, home: p.home, ...noBuiltins });
  const cacheDir = path.join(p.dir, '.brainsmith', 'cache');
  const codeDir = path.join(cacheDir, readdirSync(cacheDir).find((n) => n.startsWith('code-'))!);
  const mjs = () => readdirSync(codeDir).filter((n) => n.endsWith('.mjs')).sort();
  const before = mjs();
  assert.equal(before.length, 2);
  writeFileSync(f, transformSrc('A2'));
  utimesSync(f, new Date(), new Date(Date.now() + 5000));
  const reg = await openRegistry({ projectDir: p.dir, home: p.home, ...noBuiltins });
  assert.equal(reg.transforms.A2.name, 'A2');
  assert.equal(reg.transforms.A, undefined);
  const after = mjs();
  assert.equal(after.length, 2, 'the old code of a.ts was pruned');
  assert.equal(after.filter((n) => before.includes(n)).length, 1, 'b.ts kept its code');
  assert.equal((await reg.transforms.A2.load()).kind, 'transform');
});

test('a cold start with many files imports them as one bundle; failures stay per file; code is written on first use', async () => {
  const p = tempProject();
  for (let i = 0; i < 24; i++) p.write(`brainsmith_plugins/t${i}.ts`, transformSrc(`T${i}`));
  // A file that throws at import spoils its chunk's bundle: every other file must still load.
  p.write('brainsmith_plugins/throws.ts', `import { defineTransform } from 'brainsmith';\n\nthrow new Error('boom at import');\nexport default defineTransform({ name: 'Never', stage: 'cleanup', apply() { return false; } });\n`);
  // A file importing a sibling helper is left out of the bundle and goes through tsx.
  p.write('lib/helper.ts', `export const STAGE = 'topology' as const;\n`);
  p.write('brainsmith_plugins/with_helper.ts', `import { defineTransform } from 'brainsmith';\nimport { STAGE } from '../lib/helper.js';\n\nexport default defineTransform({\n  name: 'WithHelper',\n  stage: STAGE,\n  apply() { throw new Error('hook failed'); },\n});\n`);
  const reg = await openRegistry({ projectDir: p.dir, home: p.home, ...noBuiltins });
  for (let i = 0; i < 24; i++) assert.equal(reg.transforms.get(`T${i}`).name, `T${i}`);
  assert.equal(reg.transforms.WithHelper.meta.stage, 'topology');
  const failed = reg.plugins.filter((r) => r.status === 'failed');
  assert.deepEqual(failed.map((r) => r.id), ['project/throws']);
  assert.match(failed[0]!.reason ?? '', /boom at import/);
  assert.equal(reg.diagnostics.find((d) => d.plugin === 'project/throws')?.line, 3, 'the line of the throw in the plugin file');

  const cacheDir = path.join(p.dir, '.brainsmith', 'cache');
  const codeDir = path.join(cacheDir, readdirSync(cacheDir).find((n) => n.startsWith('code-'))!);
  assert.deepEqual(readdirSync(codeDir).filter((n) => n.startsWith('bundle-')), [], 'the bundle is removed once imported');

  // Without the throwing file the chunk imports as one bundle: declaration lines are those of the plugin files.
  const q = tempProject();
  for (let i = 0; i < 20; i++) q.write(`brainsmith_plugins/t${i}.ts`, `\n\n${transformSrc(`Q${i}`)}`);
  // The decorator form (esbuild inlines its decorator helpers) and a top-level await bundle too.
  const deco = q.write('brainsmith_plugins/deco.ts', `import { transform } from 'brainsmith';\nconst stage = await Promise.resolve('optimization' as const);\n@transform({ name: 'Deco', stage })\nexport class Deco {\n  apply(): boolean { return false; }\n}\n`);
  // A file that finds a sibling through import.meta.url is imported where it is (through tsx), not from the cache.
  q.write('brainsmith_plugins/settings.json', JSON.stringify({ stage: 'topology' }));
  q.write('brainsmith_plugins/meta.ts', `import { defineTransform } from 'brainsmith';\nimport { readFileSync } from 'node:fs';\nconst { stage } = JSON.parse(readFileSync(new URL('./settings.json', import.meta.url), 'utf8')) as { stage: 'topology' };\nexport default defineTransform({ name: 'FromSettings', stage, apply() { return false; } });\n`);
  const cold = await openRegistry({ projectDir: q.dir, home: q.home, ...noBuiltins });
  assert.equal(cold.stats.imported, 22);
  assert.equal(cold.transforms.FromSettings.meta.stage, 'topology');
  assert.deepEqual(cold.plugins.filter((r) => r.status !== 'ok').map((r) => r.reason), []);
  assert.equal(cold.transforms.Deco.meta.stage, 'optimization');
  assert.ok(cold.preloaded(deco), 'the decorated file came from the bundle, not through tsx');
  assert.equal(cold.transforms.Q7.meta.line, 4, 'declaration line mapped back through the source map');
  const qCache = path.join(q.dir, '.brainsmith', 'cache');
  const qCode = path.join(qCache, readdirSync(qCache).find((n) => n.startsWith('code-'))!);
  assert.deepEqual(readdirSync(qCode).filter((n) => n.endsWith('.mjs')), [], 'no per-file code until a plugin is used');
  const warm = await openRegistry({ projectDir: q.dir, home: q.home, ...noBuiltins });
  assert.equal(warm.stats.imported, 0, 'warm: nothing imported to list');
  assert.equal((await warm.transforms.Q7.load()).kind, 'transform');
  assert.equal(readdirSync(qCode).filter((n) => n.endsWith('.mjs')).length, 1, 'first use writes that file\'s code only');
  // In the cold process, loading a component reuses the bundle's module rather than importing it again.
  const d = await cold.transforms.Q3.load();
  assert.equal((d.declaration as { name: string }).name, 'Q3');
  assert.equal(readdirSync(qCode).filter((n) => n.endsWith('.mjs')).length, 1);
});

test('a single plugin file that reads a sibling through import.meta.url loads cold, warm and on use', async () => {
  const p = tempProject();
  p.write('brainsmith_plugins/settings.json', JSON.stringify({ stage: 'kernel_mapping' }));
  p.write('brainsmith_plugins/meta.ts', `import { defineTransform } from 'brainsmith';\nimport { readFileSync } from 'node:fs';\nconst { stage } = JSON.parse(readFileSync(new URL('./settings.json', import.meta.url), 'utf8')) as { stage: 'kernel_mapping' };\nexport default defineTransform({ name: 'FromSettings', stage, apply() { return false; } });\n`);
  const cold = await openRegistry({ projectDir: p.dir, home: p.home, ...noBuiltins });
  assert.equal(cold.transforms.FromSettings.meta.stage, 'kernel_mapping', JSON.stringify(cold.diagnostics));
  const warm = await openRegistry({ projectDir: p.dir, home: p.home, ...noBuiltins });
  assert.equal(warm.stats.imported, 0);
  assert.equal((await warm.transforms.FromSettings.load()).kind, 'transform');
});
