import { defineTransform } from '../../src/index.js';

/** FINN-style names `<OpType>_<n>`, numbered per op type in graph order; a second run changes nothing. */
export default defineTransform({
  name: 'GiveUniqueNodeNames',
  stage: 'cleanup',
  description: 'Name every node <OpType>_<n>, counting per op type in graph order',
  apply(model) {
    const graph = model.graph;
    const counters = new Map<string, number>();
    let changed = false;
    for (const node of graph.nodeList()) {
      const n = counters.get(node.opType) ?? 0;
      counters.set(node.opType, n + 1);
      const name = `${node.opType}_${n}`;
      if (node.name !== name) {
        graph.setNodeName(node, name);
        changed = true;
      }
    }
    return changed;
  },
});
