/** Test projects for the pipeline: a temp project folder with test plugins and blueprints. */
import { tempProject } from '../plugins/helpers.js';

/** Test transforms, written as real plugin files in the project (loaded like any user plugin). */
export const TEST_PLUGINS: Record<string, string> = {
  // Renames one node per application: reaches a fixpoint after as many applications as there are nodes.
  'prefix-one.ts': `import { defineTransform } from 'brainsmith';
export default defineTransform({ name: 'PrefixOneNode', stage: 'cleanup', description: 'rename one node per run', apply(model) {
  for (const n of model.graph.nodeList()) if (!n.name.startsWith('p_')) { model.graph.setNodeName(n, 'p_' + n.name); return true; }
  return false;
} });
`,
  // Always claims a change: never settles.
  'restless.ts': `import { defineTransform } from 'brainsmith';
export default defineTransform({ name: 'Restless', stage: 'cleanup', description: 'always changed', tags: ['fixpoint'], apply() { return true; } });
`,
  // Removes the first node without rewiring its consumers: the graph verifier must catch it.
  'break-graph.ts': `import { defineTransform } from 'brainsmith';
export default defineTransform({ name: 'BreakGraph', stage: 'topology', description: 'deliberately broken', apply(model) {
  const g = model.graph; const n = g.nodeList()[0]; g.removeNode(n); return true;
} });
`,
  // Breaks the graph but reports no change: the pass manager must not take its word for it.
  'break-quietly.ts': `import { defineTransform } from 'brainsmith';
export default defineTransform({ name: 'BreakGraphQuietly', stage: 'topology', description: 'deliberately broken, says it changed nothing', apply(model) {
  const g = model.graph; const n = g.nodeList()[0]; g.removeNode(n); return false;
} });
`,
  // Throws: a failing compile must leave no complete-looking folder.
  'explode.ts': `import { defineTransform } from 'brainsmith';
export default defineTransform({ name: 'Explode', stage: 'topology', description: 'throws', apply() { throw new Error('boom'); } });
`,
  // Negates the weights of the last MatMul: changes the outputs (the verifier must name this transform).
  'negate-weights.ts': `import { defineTransform } from 'brainsmith';
export default defineTransform({ name: 'NegateLastWeights', stage: 'topology', description: 'deliberately wrong', apply(model) {
  const g = model.graph;
  const mm = g.nodesByOpType('MatMul').at(-1);
  if (!mm) return false;
  const w = g.getInitializer(mm.inputs[1]);
  const vals = new Float32Array(w.raw_data ? new Float32Array(new Uint8Array(w.raw_data).slice().buffer) : Float32Array.from(w.float_data));
  for (let i = 0; i < vals.length; i++) vals[i] = -vals[i];
  g.setInitializer({ ...w, raw_data: new Uint8Array(vals.buffer), float_data: [] });
  return true;
} });
`,
  // A transform with an options schema, for option-path errors.
  'with-options.ts': `import { defineTransform, z } from 'brainsmith';
export default defineTransform({ name: 'Tolerant', stage: 'topology', description: 'has options', options: z.object({ tol: z.number().default(1e-3) }), apply() { return false; } });
`,
  'a-step.ts': `import { defineStep } from 'brainsmith';
export default defineStep({ name: 'MarkStep', description: 'sets a metadata entry', run(model) {
  model.proto.metadata_props = [...(model.proto.metadata_props ?? []), { key: 'mark', value: 'step ran' }];
} });
`,
};

export function pipelineProject(): ReturnType<typeof tempProject> {
  const p = tempProject();
  for (const [file, src] of Object.entries(TEST_PLUGINS)) p.write(`brainsmith_plugins/${file}`, src);
  return p;
}

/** A slow transform, to interrupt a compile while it runs. */
TEST_PLUGINS['sleepy.ts'] = `import { defineTransform } from 'brainsmith';
export default defineTransform({ name: 'Sleepy', stage: 'topology', description: 'waits', async apply() { await new Promise((r) => setTimeout(r, 20000)); return false; } });
`;
