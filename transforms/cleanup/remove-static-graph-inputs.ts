import { defineTransform } from '../../src/index.js';

/** Graph inputs that are also initializers (old exporters list weights as inputs): they become plain weights. */
export default defineTransform({
  name: 'RemoveStaticGraphInputs',
  stage: 'cleanup',
  description: 'Remove graph inputs that are initializers',
  apply(model, ctx) {
    const graph = model.graph;
    const statics = graph.inputNames().filter((n) => graph.isInitializer(n));
    for (const name of statics) graph.removeInput(name);
    if (statics.length) ctx.log.debug({ removed: statics.length }, 'removed static graph inputs');
    return statics.length > 0;
  },
});
