import { defineTransform } from '../../src/index.js';

/** Initializers no node reads, and value_info entries and quantization annotations of tensors that no longer exist. */
export default defineTransform({
  name: 'RemoveUnusedTensors',
  stage: 'cleanup',
  description: 'Remove initializers that nothing reads, and value_info and annotations of tensors no node uses',
  apply(model, ctx) {
    const graph = model.graph;
    // Tensors read inside subgraphs count as used: they may name outer initializers.
    const subgraphUses = new Set<string>();
    for (const n of graph.subgraphNodes()) for (const i of n.inputs) subgraphUses.add(i);
    const used = (t: string): boolean =>
      graph.hasConsumers(t) || graph.isGraphOutput(t) || graph.producer(t) !== undefined || subgraphUses.has(t);
    let removed = 0;
    for (const name of graph.initializerNames()) {
      if (!graph.hasConsumers(name) && !graph.isGraphOutput(name) && !subgraphUses.has(name) && graph.removeInitializer(name)) removed++;
    }
    for (const vi of graph.valueInfos()) {
      const name = vi.name ?? '';
      if (!used(name) && !graph.isGraphInput(name) && graph.removeValueInfo(name)) removed++;
    }
    for (const name of graph.annotatedTensors()) {
      if (used(name) || graph.isGraphInput(name) || graph.isInitializer(name)) continue;
      for (const key of [...(graph.annotationsOf(name)?.keys() ?? [])]) graph.setAnnotation(name, key, undefined);
      removed++;
    }
    if (removed) ctx.log.debug({ removed }, 'removed unused tensors');
    return removed > 0;
  },
});
