/** Blueprint `steps:` edits for transforms (insert/replace/remove through extends), optional and fallback. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { openRegistry, type Registry } from '../../src/plugins/registry.js';
import { loadBlueprint } from '../../src/pipeline/blueprint-load.js';
import { buildPlan } from '../../src/pipeline/plan.js';
import { loadModel } from '../../src/onnx/load.js';
import { runCli } from '../helpers/cli.js';
import { shared, skipNoShared } from '../helpers/paths.js';
import { pipelineProject } from './support.js';

/** Counts its applications in the model's metadata, so a test can tell it ran exactly once. */
const MY_TRANSFORM = `import { defineTransform } from 'brainsmith';
export default defineTransform({ name: 'MyTransform', stage: 'topology', description: 'marks the model', apply(model) {
  model.proto.metadata_props = [...(model.proto.metadata_props ?? []), { key: 'my_transform', value: 'ran' }];
  return false;
} });
`;

async function setup(): Promise<{ p: ReturnType<typeof pipelineProject>; reg: Registry }> {
  const p = pipelineProject();
  p.write('brainsmith_plugins/my-transform.ts', MY_TRANSFORM);
  p.write('brainsmith_plugins/broken.ts', `import { defineTransform } from 'brainsmith';\nexport default defineTransform({ name: 'Broken', stage: 'cleanup', apply() { return false; } });\nthrow new Error('kaput');\n`);
  const reg = await openRegistry({ projectDir: p.dir, home: p.home, cache: false, pluginPath: '' });
  return { p, reg };
}

const names = (plan: Awaited<ReturnType<typeof buildPlan>>, stage: number): string[] => plan.stages[stage]!.items.map((i) => i.entry.name);

test('after/before/replace/remove take transforms and apply to the default stages through extends', async () => {
  const { p, reg } = await setup();
  const def = await buildPlan(reg, loadBlueprint());
  const topo = names(def, 1);
  const gi = topo.indexOf('GemmToMatMul');
  assert.ok(gi >= 0 && gi < topo.length - 1);
  const f = p.write('mine.yaml', 'extends: default\nsteps:\n  - { after: GemmToMatMul, insert: MyTransform }\n');
  const plan = await buildPlan(reg, loadBlueprint(f));
  assert.deepEqual(names(plan, 1), [...topo.slice(0, gi + 1), 'MyTransform', ...topo.slice(gi + 1)]);
  assert.equal(plan.stages[1]!.items[gi + 1]!.kind, 'transform');
  assert.deepEqual([names(plan, 0), names(plan, 2), names(plan, 3)], [names(def, 0), names(def, 2), names(def, 3)], 'other stages untouched');

  // Through two levels of extends, with options on the inserted transform, and every edit form.
  p.write('mid.yaml', 'extends: default\nsteps:\n  - { before: GemmToMatMul, insert: { name: Tolerant, options: { tol: 0.5 } } }\n');
  const kid = p.write('kid.yaml', 'extends: mid.yaml\nsteps:\n  - { replace: Tolerant, with: PrefixOneNode }\n  - { remove: RemoveIdentityOps }\n  - { after: PrefixOneNode, insert: MarkStep }\n');
  const k = await buildPlan(reg, loadBlueprint(kid));
  const kt = names(k, 1);
  assert.deepEqual(kt.slice(gi, gi + 3), ['PrefixOneNode', 'MarkStep', 'GemmToMatMul']);
  assert.equal(k.stages[1]!.items[gi + 1]!.kind, 'step', 'insert: takes a step too');
  assert.ok(!names(k, 0).includes('RemoveIdentityOps'));
  const mid = await buildPlan(reg, loadBlueprint(path.join(p.dir, 'mid.yaml')));
  assert.deepEqual(mid.stages[1]!.items[gi]!.options, { tol: 0.5 });
});

test('an unknown anchor is an error naming it, with near names', async () => {
  const { p, reg } = await setup();
  const typo = p.write('typo.yaml', 'extends: default\nsteps:\n  - { after: GemToMatMul, insert: MyTransform }\n');
  await assert.rejects(buildPlan(reg, loadBlueprint(typo)), /typo\.yaml: steps\[0\]\.after: no transform or step named 'GemToMatMul' \(did you mean GemmToMatMul/);
  const absent = p.write('absent.yaml', 'stages:\n  cleanup: [RemoveIdentityOps, RemoveUnusedTensors]\nsteps:\n  - { before: RemoveUnusedTensor, insert: MyTransform }\n');
  await assert.rejects(buildPlan(reg, loadBlueprint(absent)), /absent\.yaml: steps\[0\]\.before: no transform or step named 'RemoveUnusedTensor' \(did you mean RemoveUnusedTensors/);
  const notInPlan = p.write('not-in-plan.yaml', 'stages:\n  cleanup: [RemoveIdentityOps]\nsteps:\n  - { replace: MyTransform, with: PrefixOneNode }\n');
  await assert.rejects(buildPlan(reg, loadBlueprint(notInPlan)), /steps\[0\]\.replace: transform 'MyTransform' is not in any stage of blueprint/);
  const badInsert = p.write('bad-insert.yaml', 'stages:\n  cleanup: [RemoveIdentityOps]\nsteps:\n  - { after: RemoveIdentityOps, insert: MyTransfrom }\n');
  await assert.rejects(buildPlan(reg, loadBlueprint(badInsert)), /steps\[0\]\.insert: no transform named 'MyTransfrom' \(did you mean MyTransform/);
  const form = p.write('form.yaml', 'steps:\n  - { after: A, with: B }\n');
  assert.throws(() => loadBlueprint(form), /form\.yaml:2: steps\[0\]: expected \{ before\|after\|replace/);
});

test('optional: skipped with a warning when missing or broken; fallback: used instead', async () => {
  const { p, reg } = await setup();
  const f = p.write(
    'opt.yaml',
    'stages:\n  cleanup:\n    - { name: NotInstalled, optional: true }\n    - { name: Broken, optional: true }\n    - RemoveIdentityOps\n    - { name: Broken, fallback: PrefixOneNode }\n    - { name: MyTransform, fallback: PrefixOneNode }\n',
  );
  const plan = await buildPlan(reg, loadBlueprint(f));
  assert.deepEqual(names(plan, 0), ['RemoveIdentityOps', 'PrefixOneNode', 'MyTransform']);
  // MyTransform is declared for topology: listing it in cleanup also earns the early-stage warning (4th).
  assert.equal(plan.warnings.length, 4, plan.warnings.join('\n'));
  assert.match(plan.warnings[3]!, /stages\.cleanup\[4\]: project:MyTransform is declared for stage 'topology'/);
  assert.match(plan.warnings[0]!, /opt\.yaml: stages\.cleanup\[0\]: skipping optional 'NotInstalled': no transform named 'NotInstalled'/);
  assert.match(plan.warnings[1]!, /stages\.cleanup\[1\]: skipping optional 'Broken': .*failed to load.*kaput/);
  assert.match(plan.warnings[2]!, /stages\.cleanup\[3\]: using fallback project:PrefixOneNode instead of 'Broken'/);
  const ins = p.write('opt-insert.yaml', 'extends: default\nsteps:\n  - { after: GemmToMatMul, insert: { name: Broken, optional: true } }\n');
  const pi = await buildPlan(reg, loadBlueprint(ins));
  assert.ok(!names(pi, 1).includes('Broken'));
  assert.equal(pi.warnings.length, 1);
  const strict = p.write('strict.yaml', 'stages:\n  cleanup: [Broken]\n');
  await assert.rejects(buildPlan(reg, loadBlueprint(strict)), /no transform named 'Broken'.*failed to load/);
});

test('acceptance: compile with extends: default and { after: GemmToMatMul, insert: MyTransform } runs it once, between the two, and times it', { skip: skipNoShared }, async () => {
  const p = pipelineProject();
  p.write('brainsmith_plugins/my-transform.ts', MY_TRANSFORM);
  const bp = p.write('mine.yaml', 'extends: default\nsteps:\n  - { after: GemmToMatMul, insert: MyTransform }\n');
  const r = runCli(['compile', shared('finn', 'tfc_w1a1', 'model.onnx'), '--config', bp, '--stop-after', 'topology', '-o', 'out', '--json'], { cwd: p.dir, env: { HOME: p.home, BRAINSMITH_PLUGIN_PATH: '' } });
  assert.equal(r.code, 0, r.stderr);
  const times = JSON.parse(readFileSync(path.join(p.dir, 'out', 'report', 'time_per_step.json'), 'utf8')) as { transforms: { stage: string; transform: string; runs: number; seconds: number }[] };
  const at = times.transforms.findIndex((t) => t.transform === 'project:MyTransform');
  assert.ok(at > 0, 'time_per_step.json lists MyTransform');
  assert.equal(times.transforms.filter((t) => t.transform === 'project:MyTransform').length, 1);
  assert.deepEqual([times.transforms[at]!.stage, times.transforms[at]!.runs], ['topology', 1]);
  assert.equal(times.transforms[at - 1]!.transform, 'brainsmith:GemmToMatMul');
  const def = await buildPlan(await openRegistry({ projectDir: p.dir, home: p.home, pluginPath: '' }), loadBlueprint());
  const topo = def.stages[1]!.items.map((i) => i.entry.qualifiedName);
  assert.equal(times.transforms[at + 1]!.transform, topo[topo.indexOf('brainsmith:GemmToMatMul') + 1]);
  const model = await loadModel(path.join(p.dir, 'out', 'model.onnx'));
  assert.equal((model.proto.metadata_props ?? []).filter((m) => m.key === 'my_transform').length, 1, 'applied exactly once');
});
