import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { defineTransform } from '../../src/index.js';
import { openRegistry, applyTransform, enableLifecycle, closeRegistry, EventBus } from '../../src/host.js';
import { runCli } from '../helpers/cli.js';
import { tempProject, transformSrc } from './helpers.js';

const noBuiltins = { builtinDirs: [] as string[], pluginPath: '' };

test('define and decorator forms load from a project with namespace project; user plugins are user', async () => {
  const p = tempProject();
  p.write('brainsmith_plugins/my_cleanup.ts', transformSrc('MyCleanup', 'graph_cleanup'));
  p.write(
    'brainsmith_plugins/opt.ts',
    `import { transform } from 'brainsmith';\n@transform({ name: 'CustomOptimizer', stage: 'optimization' })\nexport class CustomOptimizer { apply(model: unknown): boolean { return false; } }\n`,
  );
  p.write(path.join(p.home, '.brainsmith/plugins/mine.mjs'), transformSrc('UserThing', 'topology'));
  const reg = await openRegistry({ projectDir: p.dir, home: p.home, ...noBuiltins });
  assert.equal(reg.transforms.get('MyCleanup').namespace, 'project');
  assert.equal(reg.transforms.MyCleanup.meta.stage, 'cleanup', 'alias graph_cleanup normalized');
  assert.equal(reg.transforms['CustomOptimizer'].meta.stage, 'optimization');
  assert.equal(reg.transforms.UserThing.qualifiedName, 'user:UserThing');
  assert.equal(reg.transforms.project.MyCleanup.name, 'MyCleanup');
  assert.equal(reg.transforms.get('user:UserThing').plugin.source, 'user');
  assert.deepEqual(reg.transforms.find({ stage: 'cleanup' }).map((e) => e.name), ['MyCleanup']);
  assert.equal(reg.transforms.all().length, 3);
  assert.equal(reg.transforms.tryGet('Nope'), undefined);
  assert.throws(() => reg.transforms.get('MyCleanp'), /no transform named 'MyCleanp' \(did you mean MyCleanup\?\)/);
  const r = await applyTransform(reg, 'CustomOptimizer', { graph: { nodeCount: 3 } } as never);
  assert.equal(r.changed, false);
});

test('metadata is validated at declaration with file and line', async () => {
  const p = tempProject();
  p.write('brainsmith_plugins/nostage.ts', `import { defineTransform } from 'brainsmith';\n\nexport default defineTransform({ name: 'A', apply() { return false; } } as never);\n`);
  p.write('brainsmith_plugins/badstage.ts', transformSrc('B', 'nonsense'));
  p.write('brainsmith_plugins/emptyname.ts', transformSrc('', 'cleanup'));
  p.write('brainsmith_plugins/unknownkey.ts', transformSrc('D', 'cleanup', ` descripton: 'typo',`));
  p.write('brainsmith_plugins/good.ts', transformSrc('Good'));
  p.write('brainsmith_plugins/noapply.ts', `import { transform } from 'brainsmith';\n\n@transform({ name: 'NoApply', stage: 'cleanup' })\nexport class NoApply {}\n`);
  const reg = await openRegistry({ projectDir: p.dir, home: p.home, ...noBuiltins });
  const reason = (id: string) => reg.plugin(id)!.reason ?? '';
  // The decorator's line in the plugin file, not a line of the compiler's own decorator code (the CLI, which
  // maps its own stack frames to src/ through source maps, too).
  const site = /@transform 'NoApply' at [^ ]*brainsmith_plugins\/noapply\.ts:3: class NoApply has no apply\(\) method/;
  assert.match(reason('project/noapply'), site);
  const cli = runCli(['transforms', 'list'], { cwd: p.dir, env: { HOME: p.home, BRAINSMITH_PLUGIN_PATH: '' } });
  assert.match(cli.stdout + cli.stderr, site);
  assert.match(reason('project/nostage'), /nostage\.ts:3: stage: is required/);
  assert.match(reason('project/badstage'), /badstage\.ts:2: stage: unknown stage 'nonsense'/);
  assert.match(reason('project/emptyname'), /emptyname\.ts:2: name: name must not be empty/);
  assert.match(reason('project/unknownkey'), /unknown key 'descripton'/);
  for (const id of ['project/nostage', 'project/badstage', 'project/emptyname', 'project/unknownkey']) {
    assert.equal(reg.plugin(id)!.status, 'failed');
    assert.equal(reg.plugin(id)!.diagnostics[0]!.code, 'E_PLUGIN_METADATA');
  }
  assert.equal(reg.transforms.Good.plugin.status, 'ok', 'the other plugins keep working');
  assert.throws(() => defineTransform({ name: 'X', stage: 'cleanup', apply: () => false, extra: 1 } as never), /registry\.test\.js:\d+: unknown key 'extra'/);
});

test('broken plugins are isolated with file, line and cause', async () => {
  const p = tempProject();
  p.write('brainsmith_plugins/syntax.ts', `import { defineTransform } from 'brainsmith';\nconst x: number = ;\n`);
  p.write('brainsmith_plugins/syntax.mjs', `const a = 1;\nexport default function (\n`);
  p.write('brainsmith_plugins/throws.ts', `import { defineTransform } from 'brainsmith';\n\nthrow new Error('boom at import');\n`);
  p.write('brainsmith_plugins/missing.ts', `import { defineTransform } from 'brainsmith';\nimport 'no-such-package-xyz';\n`);
  p.write('brainsmith_plugins/shape.ts', `export default { name: 'Plain', apply() { return false; } };\n`);
  p.write('brainsmith_plugins/nothing.ts', `export const helper = 1;\n`);
  p.write('brainsmith_plugins/ok.ts', transformSrc('StillWorks'));
  const reg = await openRegistry({ projectDir: p.dir, home: p.home, ...noBuiltins });
  const d = (id: string) => reg.plugin(id)!.diagnostics[0]!;
  assert.equal(reg.plugin('project/syntax'), undefined, 'ids keep the extension when two files share a stem');
  assert.equal(d('project/syntax.ts').code, 'E_PLUGIN_SYNTAX');
  assert.equal(d('project/syntax.ts').line, 2);
  assert.match(d('project/syntax.ts').message, /syntax\.ts:2: syntax error/);
  const mjs = reg.plugins.find((x) => x.files[0]!.endsWith('syntax.mjs'))!;
  assert.equal(mjs.diagnostics[0]!.code, 'E_PLUGIN_SYNTAX');
  assert.match(mjs.reason!, /syntax\.mjs:3: syntax error: Expected identifier but found end of file/);
  assert.equal(d('project/throws').code, 'E_PLUGIN_IMPORT');
  assert.match(d('project/throws').message, /throws\.ts:3: threw while loading: boom at import/);
  assert.equal(d('project/missing').code, 'E_PLUGIN_MISSING_MODULE');
  assert.match(d('project/missing').message, /missing\.ts:2: .*no-such-package-xyz/);
  assert.equal(d('project/shape').code, 'E_PLUGIN_EXPORT');
  assert.match(d('project/nothing').message, /exports no component/);
  assert.equal(reg.transforms.StillWorks.plugin.status, 'ok');
  assert.throws(() => reg.transforms.get('Missing'), /plugin\(s\) failed to load and may define it/);
  await assert.rejects(openRegistry({ projectDir: p.dir, home: p.home, ...noBuiltins, strict: true }), /failed to load \(--strict-plugins\)/);
});

test('cache: warm open imports nothing; add, change, delete and config change invalidate exactly that', async () => {
  const p = tempProject();
  p.write('brainsmith_plugins/a.ts', transformSrc('A'));
  p.write('brainsmith_plugins/b.ts', transformSrc('B'));
  const open = () => openRegistry({ projectDir: p.dir, home: p.home, ...noBuiltins });
  let reg = await open();
  assert.equal(reg.stats.imported, 2);
  reg = await open();
  assert.equal(reg.stats.imported, 0, 'warm: nothing imported');
  assert.equal(reg.stats.cacheHits, 2);
  assert.equal(reg.transforms.B.plugin.imported, false, 'lookup does not import');
  p.write('brainsmith_plugins/c.ts', transformSrc('C'));
  reg = await open();
  assert.equal(reg.stats.imported, 1, 'only the new file');
  assert.ok(reg.transforms.C);
  const bFile = p.write('brainsmith_plugins/b.ts', transformSrc('B2'));
  utimesSync(bFile, new Date(), new Date(Date.now() + 5000));
  reg = await open();
  assert.equal(reg.stats.imported, 1, 'only the changed file');
  assert.ok(reg.transforms.B2);
  assert.equal(reg.transforms.B, undefined);
  rmSync(path.join(p.dir, 'brainsmith_plugins/a.ts'));
  reg = await open();
  assert.equal(reg.stats.imported, 0);
  assert.equal(reg.transforms.A, undefined, 'deleted file is gone');
  p.write('vendor/extra/e.ts', transformSrc('E'));
  writeFileSync(path.join(p.dir, 'brainsmith.config.json'), JSON.stringify({ plugins: { paths: ['./vendor/extra'] } }));
  reg = await open();
  assert.equal(reg.stats.imported, 1, 'config change: only the added folder');
  assert.equal(reg.transforms.E.namespace, 'project');
  writeFileSync(path.join(p.dir, 'brainsmith.config.json'), JSON.stringify({ plugins: { paths: [] } }));
  reg = await open();
  assert.equal(reg.transforms.E, undefined);
  reg = await openRegistry({ projectDir: p.dir, home: p.home, ...noBuiltins, hostVersion: '9.9.9' });
  assert.equal(reg.stats.imported, 2, 'another host version misses the cache');
  // The loaded implementation matches the cached metadata.
  const d = await reg.transforms.C.load();
  assert.equal(d.kind, 'transform');
});

test('shadowing resolves by priority, is reported, and overrides silences it; duplicate qualified names are errors', async () => {
  const p = tempProject();
  p.write('brainsmith_plugins/x.ts', transformSrc('Fold'));
  p.write(path.join(p.home, '.brainsmith/plugins/x.ts'), transformSrc('Fold'));
  p.write('brainsmith_plugins/y.ts', transformSrc('Quiet', 'cleanup', ` overrides: 'user:Quiet',`));
  p.write(path.join(p.home, '.brainsmith/plugins/y.ts'), transformSrc('Quiet'));
  p.write('brainsmith_plugins/dup1.ts', transformSrc('Twice'));
  p.write('brainsmith_plugins/sub/dup2.ts', transformSrc('Twice'));
  const warnings: string[] = [];
  const log = { warn: (m: string) => warnings.push(m), debug() {}, info() {}, child() { return log; } } as never;
  const reg = await openRegistry({ projectDir: p.dir, home: p.home, ...noBuiltins, log });
  assert.equal(reg.transforms.Fold.qualifiedName, 'project:Fold');
  assert.equal(reg.transforms.get('user:Fold').shadowedBy!.qualifiedName, 'project:Fold');
  reg.transforms.get('Fold');
  reg.transforms.get('Fold');
  assert.equal(warnings.length, 1, 'warned once');
  assert.match(warnings[0]!, /project:Fold and user:Fold; using project:Fold/);
  reg.transforms.get('Quiet');
  assert.equal(warnings.length, 1, 'overrides: no warning');
  const shadowed = reg.diagnostics.filter((d) => d.code === 'W_PLUGIN_SHADOWED');
  assert.equal(shadowed.length, 1);
  const dup = reg.diagnostics.find((d) => d.code === 'E_PLUGIN_DUPLICATE')!;
  assert.match(dup.message, /project:Twice is declared twice: .*dup1\.ts:2 and .*dup2\.ts:2/);
});

test('manifests: namespace from id, host range, requires, disabled, invalid manifest, npm packages', async () => {
  const p = tempProject();
  const manifest = (dir: string, m: object) => p.write(`brainsmith_plugins/${dir}/brainsmith-plugin.json`, JSON.stringify(m));
  manifest('qonnx', { id: 'qonnx', version: '1.0.0', brainsmith: '>=0.1.0' });
  p.write('brainsmith_plugins/qonnx/fold.ts', transformSrc('FoldConstants'));
  manifest('future', { id: 'future', brainsmith: '>=5.0.0' });
  p.write('brainsmith_plugins/future/f.ts', transformSrc('Future'));
  manifest('needy', { id: 'needy', requires: { qonnx: '^2.0.0', absent: '*' } });
  p.write('brainsmith_plugins/needy/n.ts', transformSrc('Needy'));
  manifest('off', { id: 'off', enabled: false });
  p.write('brainsmith_plugins/off/o.ts', transformSrc('Off'));
  p.write('brainsmith_plugins/broken/brainsmith-plugin.json', '{ "id": "broken", ');
  manifest('badschema', { id: 'badschema', capabilities: ['fs:delete'] });
  p.write('package.json', JSON.stringify({ dependencies: { 'bs-acme': '1.0.0', 'not-a-plugin': '1.0.0' } }));
  p.write('node_modules/bs-acme/package.json', JSON.stringify({ name: 'bs-acme', version: '1.2.3', brainsmith: { id: 'acme', modules: ['k.mjs'] } }));
  p.write('node_modules/bs-acme/k.mjs', `import { defineKernel, defineBackend } from 'brainsmith';\nexport const k = defineKernel({ name: 'MVAU', inferFrom: ['MatMul'] });\nexport default [defineBackend({ name: 'MVAU_rtl', kernel: 'MVAU', language: 'rtl' }), defineBackend({ name: 'MVAU_hls', kernel: 'acme:MVAU', language: 'hls' })];\n`);
  p.write('node_modules/not-a-plugin/package.json', JSON.stringify({ name: 'not-a-plugin' }));
  const reg = await openRegistry({ projectDir: p.dir, home: p.home, ...noBuiltins, hostVersion: '0.1.0' });
  assert.equal(reg.transforms.qonnx.FoldConstants.qualifiedName, 'qonnx:FoldConstants');
  assert.equal(reg.transforms.get('qonnx:FoldConstants').plugin.version, '1.0.0');
  assert.equal(reg.plugin('future')!.status, 'unmet');
  assert.equal(reg.plugin('future')!.reason, 'needs brainsmith >=5.0.0, found 0.1.0');
  assert.equal(reg.plugin('needy')!.reason, 'requires plugin qonnx ^2.0.0, found 1.0.0');
  assert.equal(reg.transforms.Needy, undefined, 'unmet plugins are not loaded');
  assert.equal(reg.plugin('off')!.status, 'disabled');
  assert.equal(reg.transforms.Off, undefined);
  assert.match(reg.plugin('broken')!.reason!, /brainsmith-plugin\.json(:\d+)?: invalid JSON/);
  assert.match(reg.plugin('badschema')!.reason!, /capabilities\.0: Invalid option/);
  assert.equal(reg.kernels.acme.MVAU.plugin.source, 'npm');
  assert.deepEqual(reg.backends.forKernel('MVAU', { language: 'rtl' }).map((e) => e.name), ['MVAU_rtl']);
  assert.deepEqual(reg.backends.forKernel('acme:MVAU').map((e) => e.name), ['MVAU_hls']);
  assert.equal(reg.plugin('not-a-plugin'), undefined);
});

test('runtime: options, capabilities, events with wildcards, services, hooks wrapped with plugin and hook names', async () => {
  const p = tempProject();
  p.write('brainsmith_plugins/caps/brainsmith-plugin.json', JSON.stringify({ id: 'caps', capabilities: ['events:publish', 'services', 'fs:write'] }));
  p.write(
    'brainsmith_plugins/caps/t.ts',
    `import { defineTransform, z } from 'brainsmith';
export default defineTransform({ name: 'Caps', stage: 'cleanup', options: z.object({ n: z.number().default(1) }),
  setup(ctx) { ctx.services.register('counter', { n: 0 }); },
  apply(model, ctx) { ctx.events.publish('caps:ran', { n: ctx.options.n }); ctx.services.get<{ n: number }>('counter').n++;
    if (ctx.options.n > 5) return ctx.fs.writeFile('/dev/null', 'x').then(() => true); return false; } });
`,
  );
  p.write('brainsmith_plugins/hooky.ts', `import { defineTransform } from 'brainsmith';\nexport default defineTransform({ name: 'Hooky', stage: 'cleanup', apply() { const e = new Error('bad node'); (e as any).node = 'Conv_3'; throw e; }, teardown() { throw new Error('no'); } });\n`);
  p.write('brainsmith.config.json', JSON.stringify({ plugins: { capabilities: { caps: ['events:publish', 'services'] } } }));
  const events = new EventBus();
  const seen: string[] = [];
  events.subscribe('caps:*', (_p, e) => seen.push(e));
  events.subscribe('transform:applied', (pl) => seen.push(`applied:${(pl as { transform: string }).transform}`));
  const reg = await openRegistry({ projectDir: p.dir, home: p.home, ...noBuiltins, events });
  enableLifecycle(reg);
  const model = { graph: { nodeCount: 0 } } as never;
  assert.equal((await applyTransform(reg, 'Caps', model)).changed, false);
  assert.deepEqual(seen, ['caps:ran', 'applied:caps:Caps']);
  assert.equal(reg.services.get<{ n: number }>('counter').n, 1);
  await assert.rejects(applyTransform(reg, 'Caps', model, { n: 9 }), (e: Error & { code?: string }) => {
    // A denial keeps its documented code, with the hook context in front (issue 15, bug 10).
    assert.equal(e.code, 'E_CAPABILITY_DENIED');
    assert.match(e.message, /plugin caps, apply\(\) of transform caps:Caps: plugin caps was not granted capability 'fs:write'/);
    return true;
  });
  await assert.rejects(applyTransform(reg, 'Caps', model, { m: 1 }), /unknown key 'm' \(known: n\)/);
  await assert.rejects(applyTransform(reg, 'Caps', model, { n: 'x' }), /options: n: /);
  await assert.rejects(applyTransform(reg, 'Hooky', model), /plugin project\/hooky, apply\(\) of transform project:Hooky at node 'Conv_3' threw: bad node/);
  // The loose project file was granted nothing: its ctx.events would fail; teardown errors are wrapped.
  await assert.rejects(closeRegistry(reg), /teardown\(\) of transform project:Hooky threw: no/);
});
