/**
 * `brainsmith/rewrite`: what transforms share beyond the core graph API. Constant and pattern helpers for
 * graph rewrites, layout permutations, nearest-neighbour Resize forms, the shape and datatype inference
 * passes, evaluation order, native op lookup, and the folding algorithms the optimization transforms wrap.
 * Built-in transforms use exactly this.
 */
export * from './rewrite/consts.js';
export * from './rewrite/graph-edit.js';
export * from './rewrite/layout.js';
export * from './rewrite/resize.js';
export * from './rewrite/hw-node.js';
export { inferShapes, evaluationOrder, type InferShapesOptions, type InferShapesResult } from './shapes/index.js';
export type { ShapeContext, ShapeResolver, ShapeRule, TensorInfo } from './shapes/index.js';
export { inferDataTypes, type InferDataTypesOptions, type InferDataTypesResult } from './datatype-inference/index.js';
export type { DatatypeContext, DatatypeResolver, DatatypeRule } from './datatype-inference/index.js';
export { nativeOpForNode } from './exec/registry.js';
export { hasSubgraphs } from './ir/subgraphs.js';
export * from './folding/index.js';
