import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModel } from '../../src/onnx/load.js';
import { openRegistry, type Registry } from '../../src/plugins/registry.js';
import { enableLifecycle } from '../../src/plugins/runtime.js';
import { loadBlueprint } from '../../src/pipeline/blueprint-load.js';
import { buildPlan } from '../../src/pipeline/plan.js';
import { runPlan } from '../../src/pipeline/pass-manager.js';
import { shared, skipNoShared } from '../helpers/paths.js';
import { pipelineProject } from './support.js';

const TFC = (): string => shared('finn', 'tfc_w1a1', 'model.onnx');

async function setup(blueprint: string): Promise<{ reg: Registry; plan: Awaited<ReturnType<typeof buildPlan>> }> {
  const p = pipelineProject();
  const reg = await openRegistry({ projectDir: p.dir, home: p.home, cache: false, pluginPath: '' });
  enableLifecycle(reg);
  const plan = await buildPlan(reg, loadBlueprint(p.write('bp.yaml', blueprint)));
  return { reg, plan };
}

test('a fixpoint transform repeats until it reports no change', { skip: skipNoShared }, async () => {
  const { reg, plan } = await setup('stages:\n  cleanup: [{ name: PrefixOneNode, repeat: true }]\n');
  const model = await loadModel(TFC());
  const n = model.graph.nodeCount;
  const r = await runPlan(reg, plan, model);
  assert.equal(r.stages[0]!.items[0]!.runs, n + 1, 'one application per node, plus the one that changed nothing');
  assert.ok(r.model.graph.nodeList().every((x) => x.name.startsWith('p_')));
});

test('a transform that never settles is an error naming it and where the blueprint lists it', { skip: skipNoShared }, async () => {
  const { reg, plan } = await setup('stages:\n  cleanup: [RemoveIdentityOps, Restless]\n');
  await assert.rejects(runPlan(reg, plan, await loadModel(TFC())), (e: Error & { code?: string }) => {
    assert.equal(e.code, 'E_FIXPOINT');
    assert.match(e.message, /transform project:Restless \(stage cleanup, .*bp\.yaml: stages\.cleanup\[1\]\) still changed the model after 50 applications/);
    return true;
  });
  const bounded = await setup('stages:\n  cleanup: [{ name: PrefixOneNode, repeat: 3 }]\n');
  await assert.rejects(runPlan(bounded.reg, bounded.plan, await loadModel(TFC())), /PrefixOneNode .* after 3 applications/);
});

test('the graph verifier runs after every transform and names the one that broke the graph', { skip: skipNoShared }, async () => {
  const { reg, plan } = await setup('stages:\n  cleanup: [RemoveIdentityOps, GiveUniqueNodeNames]\n  topology: [Tolerant, BreakGraph, PrefixOneNode]\n');
  await assert.rejects(runPlan(reg, plan, await loadModel(TFC())), (e: Error & { code?: string }) => {
    assert.equal(e.code, 'E_GRAPH_INVALID');
    assert.match(e.message, /^after transform project:BreakGraph \(stage topology\): /);
    return true;
  });
});

test('a transform that breaks the graph but reports no change is still named', { skip: skipNoShared }, async () => {
  const { reg, plan } = await setup('stages:\n  topology: [Tolerant, BreakGraphQuietly]\n');
  await assert.rejects(runPlan(reg, plan, await loadModel(TFC())), (e: Error & { code?: string }) => {
    assert.equal(e.code, 'E_GRAPH_INVALID');
    assert.match(e.message, /^after transform project:BreakGraphQuietly \(stage topology\): /);
    return true;
  });
});

test('host events in order; per-transform timing; --stop-after a transform or stage; --start-from a stage', { skip: skipNoShared }, async () => {
  const { reg, plan } = await setup('stages:\n  cleanup: [RemoveIdentityOps, GiveUniqueNodeNames]\n  topology: [Tolerant, PrefixOneNode, RemoveUnusedTensors]\nsteps:\n  - { after: GiveUniqueNodeNames, step: MarkStep }\n');
  const events: string[] = [];
  reg.events.subscribe('*', (payload, ev) => {
    if (ev === 'transform:applied') events.push(`${ev} ${(payload as { transform: string }).transform}`);
    else if (ev.startsWith('stage:')) events.push(`${ev} ${(payload as { stage: string }).stage}`);
    else events.push(ev);
  });
  const r = await runPlan(reg, plan, await loadModel(TFC()), { stopAfter: 'PrefixOneNode' });
  assert.deepEqual(events, [
    'pipeline:start',
    'stage:start cleanup',
    'transform:applied brainsmith:RemoveIdentityOps',
    'transform:applied brainsmith:GiveUniqueNodeNames',
    'stage:end cleanup',
    'stage:start topology',
    'transform:applied project:Tolerant',
    'transform:applied project:PrefixOneNode',
    'stage:end topology',
    'pipeline:end',
  ]);
  assert.equal(r.stoppedAfter, 'PrefixOneNode');
  assert.equal(r.stages[1]!.partial, true);
  assert.deepEqual(r.stages[0]!.items.map((i) => i.name), ['brainsmith:RemoveIdentityOps', 'brainsmith:GiveUniqueNodeNames', 'project:MarkStep']);
  assert.ok(r.stages[0]!.items.every((i) => i.ms >= 0 && i.runs === 1));
  assert.equal(r.model.proto.metadata_props?.find((m) => m.key === 'mark')?.value, 'step ran');
  assert.equal(r.model.graph.nodeList()[0]!.name.startsWith('p_'), true);

  const onlyCleanup = await runPlan(reg, plan, await loadModel(TFC()), { stopAfter: 'graph_cleanup' });
  assert.deepEqual(onlyCleanup.stages.map((s) => s.stage), ['cleanup']);
  const fromTopology = await runPlan(reg, plan, await loadModel(TFC()), { startFrom: 'topology' });
  assert.deepEqual(fromTopology.stages.map((s) => s.stage), ['topology', 'kernel_mapping', 'optimization']);
  await assert.rejects(runPlan(reg, plan, await loadModel(TFC()), { stopAfter: 'Nothing' }), /--stop-after 'Nothing' is neither a stage .* nor a transform of the blueprint/);
  await assert.rejects(runPlan(reg, plan, await loadModel(TFC()), { stopAfter: 'cleanup', startFrom: 'topology' }), /comes before --start-from/);
});
