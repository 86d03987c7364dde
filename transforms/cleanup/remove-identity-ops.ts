// Built-in plugin, written with the same API third parties use. Imports the package's public entry by
// relative path, which at run time is the very module `import ... from 'brainsmith'` resolves to.
import { defineTransform } from '../../src/index.js';

/** ONNX Identity nodes: consumers read the input directly. Identities that produce graph outputs stay. */
export default defineTransform({
  name: 'RemoveIdentityOps',
  stage: 'cleanup',
  description: 'Remove Identity nodes, rewiring their consumers to the input',
  apply(model, ctx) {
    const graph = model.graph;
    let removed = 0;
    for (const node of graph.nodesByOpType('Identity')) {
      if (node.domain !== '' && node.domain !== 'ai.onnx') continue;
      const input = node.inputs[0];
      const output = node.outputs[0];
      if (!input || !output || node.outputs.length !== 1 || graph.isGraphOutput(output)) continue;
      const uses = graph.consumers(output);
      graph.removeNode(node);
      for (const use of uses) graph.setInput(use.node, use.index, input);
      graph.removeValueInfo(output);
      removed++;
    }
    if (removed) ctx.log.debug({ removed }, 'removed Identity nodes');
    return removed > 0;
  },
});
