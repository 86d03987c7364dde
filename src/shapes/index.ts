export type { ShapeContext, ShapeResolver, ShapeRule, TensorInfo } from './types.js';
export { inferShapes, type InferShapesOptions, type InferShapesResult } from './infer.js';
export { builtinShapeOps, builtinShapeRule } from './table.js';
export { broadcast, MAX_PROPAGATED_ELEMENTS } from './util.js';
export { matmulShape } from './rules-nn.js';
export { evaluationOrder } from './infer.js';
