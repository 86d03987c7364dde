/** Registration from code: components declared in memory, with the rules files follow. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineTransform, defineStep, transform } from '../../src/index.js';
import { openRegistry, applyTransform, enableLifecycle } from '../../src/host.js';
import { tempProject, transformSrc } from './helpers.js';

const noBuiltins = { builtinDirs: [] as string[], pluginPath: '' };
const model = (): never => ({ graph: { nodeCount: 0 } }) as never;

test('register(): in-memory components list, resolve, run with setup, and win a short name with the usual warning', async () => {
  const p = tempProject();
  p.write('brainsmith_plugins/mine.ts', transformSrc('Mine'));
  const reg = await openRegistry({ projectDir: p.dir, home: p.home, ...noBuiltins });
  await enableLifecycle(reg);
  const calls: string[] = [];
  const entries = reg.register([
    defineTransform({ name: 'InMemory', stage: 'cleanup', setup() { calls.push('setup'); }, apply() { calls.push('apply'); return true; } }),
    defineStep({ name: 'MemStep', run() {} }),
  ]);
  assert.deepEqual(entries.map((e) => e.qualifiedName), ['code:InMemory', 'code:MemStep']);
  assert.equal(reg.transforms.InMemory!.plugin.source, 'code');
  assert.deepEqual(reg.transforms.find({ stage: 'cleanup' }).map((e) => e.name).sort(), ['InMemory', 'Mine']);
  assert.equal((await applyTransform(reg, 'InMemory', model())).changed, true);
  assert.deepEqual(calls, ['setup', 'apply']);
  // Shadowing: the in-memory one wins the short name over the project file; a warning unless it overrides.
  reg.register(defineTransform({ name: 'Mine', stage: 'cleanup', apply: () => false }));
  assert.equal(reg.transforms.get('Mine').qualifiedName, 'code:Mine');
  assert.ok(reg.diagnostics.some((d) => d.code === 'W_PLUGIN_SHADOWED' && /code:Mine \(code\) shadows project:Mine/.test(d.message)));
  const quiet = await openRegistry({ projectDir: p.dir, home: p.home, ...noBuiltins });
  quiet.register(defineTransform({ name: 'Mine', stage: 'cleanup', overrides: 'project:Mine', apply: () => false }), { namespace: 'tests' });
  assert.equal(quiet.transforms.get('Mine').qualifiedName, 'tests:Mine');
  assert.ok(!quiet.diagnostics.some((d) => d.code === 'W_PLUGIN_SHADOWED'), 'declared overrides: no warning');
  // Decorated classes too.
  @transform({ name: 'Decorated', stage: 'topology' })
  class Decorated {
    apply(): boolean {
      return false;
    }
  }
  reg.register(Decorated);
  assert.equal(reg.transforms.get('Decorated').meta.stage, 'topology');
});

test('register(): the same validation and duplicate rules as files', async () => {
  const p = tempProject();
  const reg = await openRegistry({ projectDir: p.dir, home: p.home, ...noBuiltins });
  assert.throws(() => defineTransform({ name: 'Bad', stage: 'nowhere', apply: () => false } as never), /E_PLUGIN_METADATA|unknown stage 'nowhere'/);
  assert.throws(() => reg.register({ name: 'Plain', stage: 'cleanup', apply: () => false }), (e: Error & { code?: string }) => e.code === 'E_PLUGIN_EXPORT' && /item 0 is not a declared component/.test(e.message));
  reg.register(defineTransform({ name: 'Twice', stage: 'cleanup', apply: () => false }));
  assert.throws(() => reg.register(defineTransform({ name: 'Twice', stage: 'cleanup', apply: () => false })), (e: Error & { code?: string }) => e.code === 'E_PLUGIN_DUPLICATE' && /transform code:Twice is declared twice/.test(e.message));
  assert.equal(reg.plugin('code')!.status, 'ok', 'a refused call does not fail the plugin');
  // Capabilities follow the project config, as for loose files.
  reg.register(defineTransform({ name: 'Spawner', stage: 'cleanup', async apply(_m, ctx) { await ctx.process.spawn('true', []); return false; } }));
  await assert.rejects(applyTransform(reg, 'Spawner', model()), /was not granted capability 'process:spawn'/);
});

test('openRegistry({ components }) registers them while opening', async () => {
  const p = tempProject();
  const reg = await openRegistry({ projectDir: p.dir, home: p.home, ...noBuiltins, components: [defineTransform({ name: 'Given', stage: 'optimization', apply: () => false })] });
  assert.equal(reg.transforms.get('Given').qualifiedName, 'code:Given');
  assert.equal(reg.counts().transform, 1);
});
