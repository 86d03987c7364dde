import { defineTransform, normalizeDomain } from '../../src/index.js';
import { inferShapes } from '../../src/rewrite.js';

/**
 * FINN/QONNX InferShapes: value_info (shape and element type) for every tensor a node produces, from the
 * per-op rules in src/shapes (standard ONNX, QONNX ops) and, for hardware nodes, their kernel plugins'
 * `inferShapes`. Ops no rule knows keep their declarations; the pass goes on.
 */
export default defineTransform({
  name: 'InferShapes',
  stage: 'cleanup',
  description: 'Infer shapes and element types of all intermediate tensors (ONNX, QONNX and registered custom ops)',
  async apply(model, ctx) {
    const opsets = new Map<string, number>();
    for (const [domain, version] of model.opsets) opsets.set(normalizeDomain(domain), version);
    const r = inferShapes(model.graph, {
      opsets,
      resolvers: [await ctx.hw.shapeResolver(model)],
      debug: (fields, message) => ctx.log.debug(fields, message),
    });
    if (r.unknownOps.length) ctx.log.debug({ ops: r.unknownOps }, 'op types without a shape rule');
    if (r.failures.length) ctx.log.debug({ failures: r.failures }, 'shape rules that failed');
    return r.changed;
  },
});
