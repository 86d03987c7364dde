/** The 13 plugin-system bugs of issue 15, one test each, each in a temp project with brainsmith_plugins/. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { openRegistry, applyTransform, closeRegistry, enableLifecycle, EventBus } from '../../src/host.js';
import { normalizeStage } from '../../src/plugins/schemas.js';
import { checkPlugins } from '../../src/plugins/check.js';
import { runPlan } from '../../src/pipeline/pass-manager.js';
import { buildPlan } from '../../src/pipeline/plan.js';
import { loadBlueprint } from '../../src/pipeline/blueprint-load.js';
import { loadModel } from '../../src/onnx/load.js';
import { runCli } from '../helpers/cli.js';
import { projectFixtures, shared, skipNoShared } from '../helpers/paths.js';
import { tempProject, transformSrc } from './helpers.js';

const noBuiltins = { builtinDirs: [] as string[], pluginPath: '' };

/** A transform whose setup/teardown append to a shared log (globalThis, shared by every plugin module). */
const hookSrc = (name: string): string =>
  `import { defineTransform } from 'brainsmith';\nconst log = (globalThis.__hooks ??= []);\nexport default defineTransform({ name: '${name}', stage: 'cleanup', setup() { log.push('setup ${name}'); }, teardown() { log.push('teardown ${name}'); }, apply() { return false; } });\n`;
const hooks = (): string[] => ((globalThis as { __hooks?: string[] }).__hooks ??= []);

test('bug 1: an eager plugin runs its setup (before teardown), once', async () => {
  hooks().length = 0;
  const p = tempProject();
  p.write('brainsmith_plugins/early/brainsmith-plugin.json', JSON.stringify({ id: 'early', eager: true }));
  p.write('brainsmith_plugins/early/e.ts', hookSrc('EagerOne'));
  const reg = await openRegistry({ projectDir: p.dir, home: p.home, ...noBuiltins });
  await enableLifecycle(reg);
  assert.deepEqual(hooks(), ['setup EagerOne']);
  await reg.transforms.EagerOne.load();
  await closeRegistry(reg);
  assert.deepEqual(hooks(), ['setup EagerOne', 'teardown EagerOne']);
});

test('bug 2: compile warns once per broken plugin, and fails when a broken plugin overrides a transform it runs', { skip: skipNoShared }, () => {
  const p = tempProject();
  for (let i = 0; i < 3; i++) p.write(`brainsmith_plugins/broken${i}.ts`, `import { defineTransform } from 'brainsmith';\nthrow new Error('kaput ${i}');\n`);
  const env = { HOME: p.home, BRAINSMITH_PLUGIN_PATH: '' };
  const model = shared('finn', 'tfc_w1a1', 'model.onnx');
  const r = runCli(['compile', model, '--stop-after', 'cleanup', '-o', 'out'], { cwd: p.dir, env });
  assert.equal(r.code, 0, r.stderr);
  for (let i = 0; i < 3; i++) assert.equal(r.errLines.filter((l) => l.includes(`plugin project/broken${i} was not loaded`)).length, 1, r.stderr);
  const log = readFileSync(path.join(p.dir, 'out', 'compile.log'), 'utf8');
  assert.match(log, /plugin project\/broken0 was not loaded: .*kaput 0/);
  // A broken replacement of a transform the default blueprint runs: the compile must not quietly use the built-in.
  p.write('brainsmith_plugins/my-rio.ts', `import { defineTransform } from 'brainsmith';\nexport default defineTransform({ name: 'RemoveIdentityOps', stage: 'cleanup', overrides: 'brainsmith:RemoveIdentityOps', apply() { return false; } });\nthrow new Error('half-written');\n`);
  const bad = runCli(['compile', model, '--stop-after', 'cleanup', '-o', 'out2'], { cwd: p.dir, env });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /the plan runs brainsmith:RemoveIdentityOps, which plugin project\/my-rio .*overrides, but that plugin failed to load: .*half-written/);
});

test('bug 3: a manifest may not take the reserved id brainsmith; the built-ins stay', async () => {
  const p = tempProject();
  p.write('brainsmith_plugins/evil/brainsmith-plugin.json', JSON.stringify({ id: 'brainsmith' }));
  p.write('brainsmith_plugins/evil/rio.ts', transformSrc('RemoveIdentityOps'));
  const reg = await openRegistry({ projectDir: p.dir, home: p.home, pluginPath: '' });
  const evil = reg.plugins.find((x) => x.root.endsWith('evil'))!;
  assert.equal(evil.status, 'failed');
  assert.match(evil.reason!, /evil\/brainsmith-plugin\.json: id: id is reserved/);
  assert.equal(reg.plugin('brainsmith')!.status, 'ok');
  assert.equal(reg.plugin('brainsmith')!.source, 'builtin');
  assert.equal(reg.transforms.get('RemoveIdentityOps').plugin.source, 'builtin');
});

test('bug 4: a plugin that failed (here as a duplicate) contributes nothing', async () => {
  const p = tempProject();
  p.write('brainsmith_plugins/qonnx/brainsmith-plugin.json', JSON.stringify({ id: 'qonnx', version: '1.0.0' }));
  p.write('brainsmith_plugins/qonnx/a.ts', transformSrc('QShared'));
  p.write(path.join(p.home, '.brainsmith/plugins/qonnx/brainsmith-plugin.json'), JSON.stringify({ id: 'qonnx', version: '2.0.0' }));
  p.write(path.join(p.home, '.brainsmith/plugins/qonnx/a.ts'), transformSrc('QShared'));
  p.write(path.join(p.home, '.brainsmith/plugins/qonnx/b.ts'), transformSrc('QOnlyV2'));
  const reg = await openRegistry({ projectDir: p.dir, home: p.home, ...noBuiltins });
  const v2 = reg.plugins.find((x) => x.id === 'qonnx' && x.version === '2.0.0')!;
  assert.equal(v2.status, 'failed');
  assert.match(v2.reason!, /declared twice/);
  assert.deepEqual(v2.components, []);
  assert.equal(reg.transforms.tryGet('QOnlyV2'), undefined);
  assert.throws(() => reg.transforms.get('QOnlyV2'), /no transform named 'QOnlyV2'.*failed to load/);
  assert.equal(reg.transforms.get('QShared').plugin.version, '1.0.0');
});

test('bug 5: requires on a disabled or failed plugin is not satisfied', async () => {
  const p = tempProject();
  const plugin = (id: string, extra: object, src: string): void => {
    p.write(`brainsmith_plugins/${id}/brainsmith-plugin.json`, JSON.stringify({ id, version: '1.0.0', ...extra }));
    p.write(`brainsmith_plugins/${id}/t.ts`, src);
  };
  plugin('off', { enabled: false }, transformSrc('Off'));
  plugin('broken', {}, `import { defineTransform } from 'brainsmith';\nthrow new Error('kaput');\n`);
  plugin('needs-off', { requires: { off: '^1.0.0' } }, transformSrc('NeedsOff'));
  plugin('needs-broken', { requires: { broken: '^1.0.0' } }, transformSrc('NeedsBroken'));
  plugin('needs-needs', { requires: { 'needs-broken': '^1.0.0' } }, transformSrc('NeedsNeeds'));
  const reg = await openRegistry({ projectDir: p.dir, home: p.home, ...noBuiltins });
  assert.equal(reg.plugin('needs-off')!.status, 'unmet');
  assert.match(reg.plugin('needs-off')!.reason!, /requires plugin off, which is disabled/);
  assert.equal(reg.plugin('needs-broken')!.status, 'unmet');
  assert.match(reg.plugin('needs-broken')!.reason!, /requires plugin broken, which is failed/);
  assert.equal(reg.plugin('needs-needs')!.status, 'unmet', 'transitively');
  for (const n of ['NeedsOff', 'NeedsBroken', 'NeedsNeeds']) assert.equal(reg.transforms.tryGet(n), undefined, n);
});

test('bug 6: the same folder reached twice (plugins.paths, BRAINSMITH_PLUGIN_PATH, a symlink) loads once', async () => {
  const p = tempProject();
  p.write('brainsmith_plugins/one.ts', transformSrc('OnlyOnce'));
  p.write('brainsmith.config.json', JSON.stringify({ plugins: { paths: ['./brainsmith_plugins'] } }));
  symlinkSync(path.join(p.dir, 'brainsmith_plugins'), path.join(p.dir, 'linked'));
  const reg = await openRegistry({ projectDir: p.dir, home: p.home, builtinDirs: [], pluginPath: [path.join(p.dir, 'brainsmith_plugins'), path.join(p.dir, 'linked')].join(path.delimiter) });
  assert.deepEqual(reg.diagnostics.filter((d) => d.severity === 'error'), []);
  assert.equal(reg.transforms.get('OnlyOnce').plugin.status, 'ok');
  assert.deepEqual(reg.plugins.filter((x) => x.source !== 'builtin').map((x) => x.id), ['project/one']);
});

test('bug 7: kernel:mapped is published for each node kernel mapping creates', { skip: skipNoShared }, async () => {
  const p = tempProject();
  const events = new EventBus();
  const mapped: { node: string; transform: string; stage: string }[] = [];
  events.subscribe('kernel:mapped', (e) => mapped.push(e as (typeof mapped)[number]));
  const reg = await openRegistry({ projectDir: p.dir, home: p.home, pluginPath: '', events });
  await enableLifecycle(reg);
  const bp = loadBlueprint(p.write('bp.yaml', 'extends: default\nstages:\n  optimization: []\n'));
  const plan = await buildPlan(reg, bp);
  const run = await runPlan(reg, plan, await loadModel(shared('finn', 'tfc_w1a1', 'model.onnx')));
  const hw = run.model.graph.nodeList().filter((n) => n.domain.startsWith('finn.custom_op.fpgadataflow'));
  assert.ok(hw.length > 0, 'the default kernel mapping produced hardware nodes');
  assert.ok(mapped.length >= hw.length, `${mapped.length} events for ${hw.length} hardware nodes`);
  for (const n of hw) assert.ok(mapped.some((m) => m.node === n.name), `kernel:mapped for ${n.name}`);
  assert.ok(mapped.every((m) => m.stage === 'kernel_mapping' && m.transform.includes(':')));
});

test('bug 8: setup order follows requires (provider first), eager or lazy', async () => {
  hooks().length = 0;
  const p = tempProject();
  // Discovery order puts the consumer (a-consumer) before the provider (z-provider).
  p.write('brainsmith_plugins/a-consumer/brainsmith-plugin.json', JSON.stringify({ id: 'a-consumer', version: '1.0.0', eager: true, requires: { 'z-provider': '^1.0.0' } }));
  p.write('brainsmith_plugins/a-consumer/c.ts', hookSrc('Consumer'));
  p.write('brainsmith_plugins/z-provider/brainsmith-plugin.json', JSON.stringify({ id: 'z-provider', version: '1.0.0', eager: true }));
  p.write('brainsmith_plugins/z-provider/p.ts', hookSrc('Provider'));
  const reg = await openRegistry({ projectDir: p.dir, home: p.home, ...noBuiltins });
  await enableLifecycle(reg);
  assert.deepEqual(hooks(), ['setup Provider', 'setup Consumer']);
  // Lazy: loading the consumer first still sets the provider up first.
  hooks().length = 0;
  for (const f of ['a-consumer', 'z-provider']) p.write(`brainsmith_plugins/${f}/brainsmith-plugin.json`, readFileSync(path.join(p.dir, `brainsmith_plugins/${f}/brainsmith-plugin.json`), 'utf8').replace('"eager":true', '"eager":false'));
  const lazy = await openRegistry({ projectDir: p.dir, home: p.home, ...noBuiltins, cache: false });
  await enableLifecycle(lazy);
  assert.deepEqual(hooks(), []);
  await lazy.transforms.Consumer.load();
  assert.deepEqual(hooks(), ['setup Provider', 'setup Consumer']);
});

test('bug 9: manifest version and requires/brainsmith ranges must be semver', async () => {
  const p = tempProject();
  p.write('brainsmith_plugins/v/brainsmith-plugin.json', JSON.stringify({ id: 'v', version: 'banana' }));
  p.write('brainsmith_plugins/v/t.ts', transformSrc('V'));
  p.write('brainsmith_plugins/r/brainsmith-plugin.json', JSON.stringify({ id: 'r', version: '1.0.0', requires: { v: 'latest' } }));
  p.write('brainsmith_plugins/r/t.ts', transformSrc('R'));
  p.write('brainsmith_plugins/ok/brainsmith-plugin.json', JSON.stringify({ id: 'ok', version: '1.2.3-beta.1', brainsmith: '>=0.1.0 <1', requires: {} }));
  p.write('brainsmith_plugins/ok/t.ts', transformSrc('Fine'));
  const reg = await openRegistry({ projectDir: p.dir, home: p.home, ...noBuiltins });
  const bad = reg.diagnostics.filter((d) => d.code === 'E_MANIFEST_INVALID').map((d) => d.message);
  assert.ok(bad.some((m) => /version: is not a semver version/.test(m)), bad.join('\n'));
  assert.ok(bad.some((m) => /requires\.v: is not a semver range/.test(m)), bad.join('\n'));
  assert.equal(reg.plugin('ok')!.status, 'ok');
});

test('bug 10: a capability denial surfaces as E_CAPABILITY_DENIED', async () => {
  const p = tempProject();
  p.write('brainsmith_plugins/w.ts', `import { defineTransform } from 'brainsmith';\nexport default defineTransform({ name: 'Writer', stage: 'cleanup', async apply(model, ctx) { await ctx.fs.writeFile('/tmp/x', 'y'); return false; } });\n`);
  const reg = await openRegistry({ projectDir: p.dir, home: p.home, ...noBuiltins });
  await enableLifecycle(reg);
  await assert.rejects(applyTransform(reg, 'Writer', { graph: { nodeCount: 0 } } as never), (e: Error & { code?: string }) => {
    assert.equal(e.code, 'E_CAPABILITY_DENIED');
    assert.match(e.message, /apply\(\) of transform project:Writer: plugin project\/w was not granted capability 'fs:write'/);
    return true;
  });
});

test('bug 11: kernel_optimization and graph_optimization are aliases of optimization', () => {
  assert.equal(normalizeStage('kernel_optimization'), 'optimization');
  assert.equal(normalizeStage('graph_optimization'), 'optimization');
  const p = tempProject();
  const bp = loadBlueprint(p.write('bp.yaml', 'stages:\n  kernel_optimization: [SetFolding]\n'));
  assert.equal(bp.stages.optimization.length, 1);
  assert.equal(bp.stages.kernel_mapping.length, 0);
});

test("bug 12: a plugin's runtime error names the plugin's own file and line", async () => {
  const p = tempProject();
  const file = p.write('brainsmith_plugins/thrower.ts', `import { defineTransform } from 'brainsmith';\nfunction deep(): never {\n  throw new Error('bad weights');\n}\nexport default defineTransform({ name: 'Thrower', stage: 'cleanup', apply() { deep(); return false; } });\n`);
  for (const cache of [true, false]) {
    const reg = await openRegistry({ projectDir: p.dir, home: p.home, ...noBuiltins, cache });
    await enableLifecycle(reg);
    await assert.rejects(applyTransform(reg, 'Thrower', { graph: { nodeCount: 0 } } as never), (e: Error) => {
      assert.ok(e.message.includes(`threw: bad weights (at ${file}:3)`), `cache ${cache}: ${e.message}`);
      return true;
    });
  }
});

test('bug 13: --strict-plugins fails on a missing plugin folder; a manifest module outside its folder is refused', async () => {
  const p = tempProject();
  p.write('brainsmith_plugins/ok.ts', transformSrc('Ok'));
  await assert.rejects(openRegistry({ projectDir: p.dir, home: p.home, builtinDirs: [], pluginPath: '/nonexistent-bs-plugins', strict: true }), /E_PLUGIN_FAILED|plugin folder \/nonexistent-bs-plugins .*does not exist/);
  const r = runCli(['transforms', 'list', '--strict-plugins'], { cwd: p.dir, env: { HOME: p.home, BRAINSMITH_PLUGIN_PATH: '/nonexistent-bs-plugins' } });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /plugin folder \/nonexistent-bs-plugins \(from BRAINSMITH_PLUGIN_PATH\) does not exist/);
  const outside = p.write('elsewhere/evil.ts', transformSrc('Evil'));
  p.write('brainsmith_plugins/m/brainsmith-plugin.json', JSON.stringify({ id: 'm', modules: ['../../elsewhere/evil.ts'] }));
  const reg = await openRegistry({ projectDir: p.dir, home: p.home, ...noBuiltins });
  assert.equal(reg.plugin('m')!.status, 'failed');
  assert.match(reg.plugin('m')!.reason!, /module '\.\.\/\.\.\/elsewhere\/evil\.ts' is outside the plugin folder/);
  assert.equal(reg.transforms.tryGet('Evil'), undefined);
  assert.ok(existsSync(outside));
  const report = await checkPlugins({ cwd: p.dir, projectDir: p.dir, home: p.home, ...noBuiltins });
  assert.ok(report.diagnostics.some((d) => d.code === 'E_MANIFEST_INVALID' && /outside the plugin folder/.test(d.message)));
});

void projectFixtures;
