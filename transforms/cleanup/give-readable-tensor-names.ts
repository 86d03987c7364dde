import { defineTransform, type Graph } from '../../src/index.js';

/**
 * FINN-style target names: graph inputs `global_in` (then `global_in_1`, ...), graph outputs `global_out`
 * (`global_out_1`, ...), node outputs `<node>_out<i>`, initializers `<node>_param<i>` after their first reader
 * (i is the input slot). Nodes need unique names (run GiveUniqueNodeNames first); unnamed ones are skipped.
 */
function targetNames(graph: Graph): Map<string, string> {
  const target = new Map<string, string>();
  const claim = (tensor: string, name: string): void => {
    if (tensor && !target.has(tensor)) target.set(tensor, name);
  };
  graph.inputNames().forEach((t, i) => {
    if (!graph.isInitializer(t)) claim(t, i === 0 ? 'global_in' : `global_in_${i}`);
  });
  graph.outputNames().forEach((t, i) => claim(t, i === 0 ? 'global_out' : `global_out_${i}`));
  for (const node of graph.nodes()) {
    if (!node.name) continue;
    node.outputs.forEach((t, i) => claim(t, `${node.name}_out${i}`));
    node.inputs.forEach((t, i) => {
      if (graph.isInitializer(t)) claim(t, `${node.name}_param${i}`);
    });
  }
  return target;
}

export default defineTransform({
  name: 'GiveReadableTensorNames',
  stage: 'cleanup',
  description: 'Rename tensors FINN-style: global_in, global_out, <node>_out<i>, <node>_param<i>',
  apply(model, ctx) {
    const graph = model.graph;
    const pending = [...targetNames(graph)].filter(([from, to]) => from !== to);
    // Two names could be taken by each other (a ↔ b): move every tensor to a fresh name first.
    const staged: [string, string][] = [];
    const taken = new Set(pending.map(([, to]) => to));
    for (const [from, to] of pending) {
      if (!graph.hasTensor(to) && !taken.has(from)) {
        graph.renameTensor(from, to);
      } else {
        const tmp = graph.uniqueTensorName('readable_tmp');
        graph.renameTensor(from, tmp);
        staged.push([tmp, to]);
      }
    }
    for (const [tmp, to] of staged) {
      if (graph.hasTensor(to)) {
        // A name outside the renamed set (e.g. an unnamed node's tensor) holds it: leave this one staged.
        ctx.log.debug({ tensor: to }, 'readable name already used by another tensor');
        continue;
      }
      graph.renameTensor(tmp, to);
    }
    return pending.length > 0;
  },
});
