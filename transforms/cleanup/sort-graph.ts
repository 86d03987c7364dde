import { defineTransform } from '../../src/index.js';

/** Topological order, staying as close to the current order as the data allows; a cycle is an error. */
export default defineTransform({
  name: 'SortGraph',
  stage: 'cleanup',
  description: 'Sort the nodes topologically (producers before consumers)',
  apply(model) {
    return model.graph.topologicalSort();
  },
});
