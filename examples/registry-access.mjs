// The plugin registry from a script: every access pattern of docs/PLUGINS.md, on the built-ins and on a
// component registered from code. Run it from the repository after `npm run build`:
//
//   node examples/registry-access.mjs
//
// `brainsmith` resolves to this package (a package may import itself by name).
import { fileURLToPath } from 'node:url';
import { defineTransform, loadModel } from 'brainsmith';
import { openRegistry, applyTransform, closeRegistry, enableLifecycle } from 'brainsmith/host';

// A transform declared in memory, registered while the registry opens (namespace `code`).
const countNodes = defineTransform({
  name: 'CountNodes',
  stage: 'cleanup',
  description: 'Logs the node count; changes nothing',
  apply(model, ctx) {
    ctx.log.info(`${model.graph.nodeCount} nodes`);
    return false;
  },
});

const reg = await openRegistry({ components: [countNodes] });
await enableLifecycle(reg);

// Another one in a namespace of its own, registered later: reg.transforms.qonnx.X finds it.
reg.register(defineTransform({ name: 'FoldQuantScale', stage: 'topology', apply: () => false }), { namespace: 'qonnx' });

const show = (label, value) => console.log(`${label.padEnd(44)} ${value}`);
show('reg.transforms.RemoveIdentityOps', reg.transforms.RemoveIdentityOps.qualifiedName);
show("reg.transforms['GemmToMatMul'].meta.stage", reg.transforms['GemmToMatMul'].meta.stage);
show("reg.transforms.get('brainsmith:FoldConstants')", reg.transforms.get('brainsmith:FoldConstants').file);
show('reg.transforms.brainsmith.InferShapes', reg.transforms.brainsmith.InferShapes.qualifiedName);
show('reg.transforms.qonnx.FoldQuantScale', reg.transforms.qonnx.FoldQuantScale.qualifiedName);
show('reg.transforms.code.CountNodes', reg.transforms.code.CountNodes.description);
show("reg.transforms.find({ stage: 'cleanup' })", `${reg.transforms.find({ stage: 'cleanup' }).length} transforms`);
show('reg.transforms.all()', `${reg.transforms.all().length} transforms`);
show("reg.backends.forKernel('MVAU')", reg.backends.forKernel('MVAU').map((b) => b.name).join(', '));
show('reg.transforms.NoSuchThing', String(reg.transforms.NoSuchThing));
try {
  reg.transforms.get('RemoveIdentityOp');
} catch (e) {
  show("reg.transforms.get('RemoveIdentityOp')", e.message);
}

// Running one on a model: the path a compile takes (options validated, setup run, events published).
const model = await loadModel(fileURLToPath(new URL('../fixtures/tfc-mlp-w2a2.onnx', import.meta.url)));
const result = await applyTransform(reg, 'CountNodes', model);
show("applyTransform(reg, 'CountNodes', model)", `changed: ${result.changed}, ${result.nodesAfter} nodes`);
await closeRegistry(reg);
