import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openRegistry, type Registry } from '../../src/plugins/registry.js';
import { loadBlueprint } from '../../src/pipeline/blueprint-load.js';
import { buildPlan } from '../../src/pipeline/plan.js';
import { pipelineProject } from './support.js';

const noEnv = { pluginPath: '' };

async function setup(): Promise<{ p: ReturnType<typeof pipelineProject>; reg: Registry }> {
  const p = pipelineProject();
  const reg = await openRegistry({ projectDir: p.dir, home: p.home, cache: false, ...noEnv });
  return { p, reg };
}

const names = (plan: Awaited<ReturnType<typeof buildPlan>>, stage: number): string[] => plan.stages[stage]!.items.map((i) => i.entry.name);

test('the built-in default blueprint loads and every name in it resolves through the registry', async () => {
  const { reg } = await setup();
  const bp = loadBlueprint();
  assert.equal(bp.name, 'default');
  const plan = await buildPlan(reg, bp);
  assert.ok(plan.stages[0]!.items.length > 0, 'cleanup has transforms');
  assert.ok(plan.stages[1]!.items.length > 0, 'topology has transforms');
  for (const st of plan.stages) for (const i of st.items) assert.equal(i.entry.namespace, 'brainsmith');
});

test('extends: a child replaces the stages it names, keeps the others, merges target and verify; aliases accepted', async () => {
  const { p, reg } = await setup();
  p.write('base.yaml', 'name: base\nstages:\n  cleanup: [RemoveIdentityOps, GiveUniqueNodeNames]\n  topology: [Tolerant]\ntarget: { board: Pynq-Z2, clock_ns: 10 }\nverify: { rtol: 0.01 }\n');
  const child = p.write('child.json', JSON.stringify({ name: 'child', extends: 'base.yaml', stages: { topology_optimization: [{ name: 'Tolerant', options: { tol: 0.5 } }, 'PrefixOneNode'] }, target: { clock_ns: 5 }, verify: { atol: 0.1 } }));
  const bp = loadBlueprint(child);
  assert.equal(bp.name, 'child');
  assert.deepEqual(bp.target, { board: 'Pynq-Z2', clock_ns: 5 });
  assert.deepEqual(bp.verify, { rtol: 0.01, atol: 0.1 });
  const plan = await buildPlan(reg, bp);
  assert.deepEqual(names(plan, 0), ['RemoveIdentityOps', 'GiveUniqueNodeNames']);
  assert.deepEqual(names(plan, 1), ['Tolerant', 'PrefixOneNode']);
  assert.deepEqual(plan.stages[1]!.items[0]!.options, { tol: 0.5 });
  // extends by built-in name
  p.write('from-default.yaml', 'extends: default\nstages:\n  kernel_mapping: []\n');
  assert.deepEqual(names(await buildPlan(reg, loadBlueprint(p.write('x.yaml', 'extends: from-default.yaml\n'))), 0), names(await buildPlan(reg, loadBlueprint()), 0));
});

test('extends cycles are errors naming the chain', () => {
  const p = pipelineProject();
  p.write('a.yaml', 'extends: b.yaml\n');
  p.write('b.yaml', 'extends: a.yaml\n');
  assert.throws(() => loadBlueprint(`${p.dir}/a.yaml`), (e: Error) => /extends cycle: .*a\.yaml -> .*b\.yaml -> .*a\.yaml/.test(e.message));
});

test('step insertion: before, after, replace and remove', async () => {
  const { p, reg } = await setup();
  const f = p.write(
    'steps.yaml',
    'stages:\n  cleanup: [RemoveIdentityOps, RemoveUnusedTensors, GiveUniqueNodeNames]\n  topology: [Tolerant, PrefixOneNode]\nsteps:\n  - { before: RemoveUnusedTensors, step: MarkStep }\n  - { after: GiveUniqueNodeNames, step: MarkStep }\n  - { replace: Tolerant, step: MarkStep }\n  - { remove: RemoveIdentityOps }\n',
  );
  const plan = await buildPlan(reg, loadBlueprint(f));
  assert.deepEqual(names(plan, 0), ['MarkStep', 'RemoveUnusedTensors', 'GiveUniqueNodeNames', 'MarkStep']);
  assert.deepEqual(names(plan, 1), ['MarkStep', 'PrefixOneNode']);
  assert.equal(plan.stages[0]!.items[0]!.kind, 'step');
  const bad = p.write('bad-step.yaml', 'stages:\n  cleanup: [RemoveIdentityOps]\nsteps:\n  - { after: PrefixOneNode, step: MarkStep }\n');
  await assert.rejects(buildPlan(reg, loadBlueprint(bad)), /bad-step\.yaml: steps\[0\]\.after: transform 'PrefixOneNode' is not in any stage/);
});

test('schema errors name the file, line and path inside it', () => {
  const p = pipelineProject();
  const cases: [string, RegExp][] = [
    ['stages:\n  topology:\n    - A\n    - B\n    - C\n    - { name: D, option: {} }\n', /e0\.yaml:6: stages\.topology\[3\]: unknown key 'option'/],
    ['stages:\n  toplogy: [A]\n', /e1\.yaml:2: stages\.toplogy: unknown stage 'toplogy'/],
    ['target:\n  clock_ns: fast\n', /e2\.yaml:2: target\.clock_ns: /],
    ['nmae: x\n', /e3\.yaml:1: \(top level\): unknown key 'nmae'/],
    ['steps:\n  - { before: A }\n', /e4\.yaml:2: steps\[0\]: expected \{ before\|after\|replace/],
    ['stages: [\n', /e5\.yaml: line \d/],
    ['- just\n- a list\n', /e6\.yaml: a blueprint must be a mapping/],
  ];
  cases.forEach(([text, re], i) => {
    const f = p.write(`e${i}.yaml`, text);
    assert.throws(() => loadBlueprint(f), (e: Error) => re.test(e.message) || assert.fail(`case ${i}: ${e.message}`));
  });
  assert.throws(() => loadBlueprint('no-such-builtin'), /no built-in blueprint named 'no-such-builtin' \(built-in: default/);
});

test('unknown names are errors with near-match suggestions, before anything runs; option errors name the option path', async () => {
  const { p, reg } = await setup();
  const f = p.write('typo.yaml', 'stages:\n  cleanup: [RemoveIdentityOps, RemoveIdentiyOps]\n');
  await assert.rejects(buildPlan(reg, loadBlueprint(f)), /typo\.yaml: stages\.cleanup\[1\]: no transform named 'RemoveIdentiyOps' \(did you mean RemoveIdentityOps\?\)/);
  const s = p.write('step-as-transform.yaml', 'stages:\n  cleanup: [MarkStep]\n');
  await assert.rejects(buildPlan(reg, loadBlueprint(s)), /stages\.cleanup\[0\]: 'MarkStep' is not a transform \(it is a step/);
  const o = p.write('opts.yaml', 'stages:\n  topology: [A, B, C, { name: Tolerant, options: { tol: x } }]\n'.replace('A, B, C, ', 'PrefixOneNode, PrefixOneNode, PrefixOneNode, '));
  await assert.rejects(buildPlan(reg, loadBlueprint(o)), /opts\.yaml: stages\.topology\[3\]\.options\.tol: /);
  const u = p.write('opts2.yaml', 'stages:\n  topology: [{ name: Tolerant, options: { tolerance: 1 } }]\n');
  await assert.rejects(buildPlan(reg, loadBlueprint(u)), /stages\.topology\[0\]\.options\.tolerance: unknown option of transform project:Tolerant \(known: tol\)/);
  const n = p.write('noopts.yaml', 'stages:\n  cleanup: [{ name: PrefixOneNode, options: { x: 1 } }]\n');
  await assert.rejects(buildPlan(reg, loadBlueprint(n)), /stages\.cleanup\[0\]\.options: transform project:PrefixOneNode takes no options/);
});

test('repeat: true or a fixpoint tag makes a transform repeat; a number bounds it', async () => {
  const { p, reg } = await setup();
  const f = p.write('rep.yaml', 'stages:\n  cleanup: [{ name: PrefixOneNode, repeat: true }, Restless, { name: PrefixOneNode, repeat: 3 }, PrefixOneNode]\n');
  const items = (await buildPlan(reg, loadBlueprint(f))).stages[0]!.items;
  assert.deepEqual(items.map((i) => [i.fixpoint, i.maxRuns]), [[true, 50], [true, 50], [true, 3], [false, 1]]);
});

test('inherited step edits apply to the child; one whose transform the child dropped is skipped', async () => {
  const { p, reg } = await setup();
  p.write('parent.yaml', 'stages:\n  cleanup: [RemoveIdentityOps, GiveUniqueNodeNames]\nsteps:\n  - { after: RemoveIdentityOps, step: MarkStep }\n  - { before: GiveUniqueNodeNames, step: MarkStep }\n');
  const child = p.write('kid.yaml', 'extends: parent.yaml\nstages:\n  cleanup: [PrefixOneNode, GiveUniqueNodeNames]\nsteps:\n  - { remove: PrefixOneNode }\n');
  const plan = await buildPlan(reg, loadBlueprint(child));
  assert.deepEqual(names(plan, 0), ['MarkStep', 'GiveUniqueNodeNames']);
});

test('options: overlays set one option of a transform wherever the plan runs it, through extends; errors name the overlay', async () => {
  const { p, reg } = await setup();
  // The default blueprint with FINN's mvau_wwidth_max raised: no need to list the optimization stage again.
  const wide = p.write('wide.yaml', 'extends: default\noptions:\n  SetFolding: { mvau_wwidth_max: 64 }\n');
  const plan = await buildPlan(reg, loadBlueprint(wide), { target_fps: 1000 });
  const folding = plan.stages[3]!.items.find((i) => i.entry.name === 'SetFolding')!;
  assert.equal(folding.options.mvau_wwidth_max, 64);
  assert.equal(folding.options.target_fps, 1000, 'the options the stage list gives are kept');
  // Every occurrence, and a child's overlay wins key by key over its parent's.
  p.write('base.yaml', 'stages:\n  topology: [{ name: Tolerant, options: { tol: 1 } }, PrefixOneNode, Tolerant]\noptions:\n  Tolerant: { tol: 2 }\n');
  const kid = p.write('kid2.yaml', 'extends: base.yaml\noptions:\n  project:Tolerant: { tol: 3 }\n');
  assert.deepEqual((await buildPlan(reg, loadBlueprint(kid))).stages[1]!.items.filter((i) => i.entry.name === 'Tolerant').map((i) => i.options.tol), [3, 3]);
  const bad = p.write('bad-overlay.yaml', 'extends: default\noptions:\n  SetFolding: { mvau_wwidth_maximum: 64 }\n');
  await assert.rejects(buildPlan(reg, loadBlueprint(bad)), /bad-overlay\.yaml: options\.SetFolding\.mvau_wwidth_maximum: unknown option of transform brainsmith:SetFolding/);
  const badValue = p.write('bad-value.yaml', 'extends: default\noptions:\n  SetFolding: { mvau_wwidth_max: wide }\n');
  await assert.rejects(buildPlan(reg, loadBlueprint(badValue)), /bad-value\.yaml: options\.SetFolding\.mvau_wwidth_max: /);
  const absent = p.write('absent.yaml', 'stages:\n  cleanup: [RemoveIdentityOps]\noptions:\n  PrefixOneNode: {}\n');
  await assert.rejects(buildPlan(reg, loadBlueprint(absent)), /absent\.yaml: options\.PrefixOneNode: transform 'PrefixOneNode' is not in any stage/);
  const typo = p.write('typo-overlay.yaml', 'extends: default\noptions:\n  SetFoldng: { mvau_wwidth_max: 64 }\n');
  await assert.rejects(buildPlan(reg, loadBlueprint(typo)), /options\.SetFoldng: no transform named 'SetFoldng' \(did you mean SetFolding\?\)/);
});
