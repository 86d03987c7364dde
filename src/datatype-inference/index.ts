export type { DatatypeContext, DatatypeResolver, DatatypeRule } from './types.js';
export { inferDataTypes, type InferDataTypesOptions, type InferDataTypesResult } from './infer.js';
export { builtinDatatypeRule, defaultDatatype } from './rules.js';
