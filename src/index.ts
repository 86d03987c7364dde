/**
 * The public API of the `brainsmith` package: what plugins and scripts import.
 */
export { BrainsmithError, isBrainsmithError, errorMessage, type ErrorKind } from './errors.js';
export { Model, type ModelSource } from './ir/model.js';
export type * from './onnx/proto-types.js';
export { AttributeType } from './onnx/proto-types.js';
export { type Int64, Long, int64ToNumber, int64ToBigInt, numberToInt64, bigIntToInt64 } from './onnx/int64.js';
export * from './onnx/index.js';
export * from './ir/index.js';
export * from './datatype/index.js';
export { ElemType, elemTypeName, elemTypeFromName, elemTypeInfo, type ElemTypeInfo } from './tensor/element-type.js';
export {
  type TensorValue, type TensorData, type NumericArray, makeTensor, numElements, tensorFromProto, tensorToProto, tensorToNumbers,
} from './tensor/tensor-value.js';
export { summarizeModel, type ModelSummary } from './inspect/summary.js';
export * from './plugins/index.js';
// Two modules name a type Severity: the plugin diagnostics keep the name, the verifier's is VerifySeverity.
export type { Severity } from './plugins/index.js';
export type { Severity as VerifySeverity } from './ir/verify.js';
export type { TensorMap, OpContext, OpImpl, OpResolver, ExecuteOptions, ExecuteResult } from './exec/types.js';
export { executeModel } from './exec/execute.js';
export { readNpy, writeNpy, decodeNpy, encodeNpy } from './exec/npy.js';
export { compile, type CompileOptions, type CompileSummary } from './pipeline/compile.js';
export { loadBlueprint } from './pipeline/blueprint-load.js';
export type { Blueprint } from './pipeline/blueprint-schema.js';
export { buildPlan, type Plan } from './pipeline/plan.js';
export { runPlan } from './pipeline/pass-manager.js';
// Shape and datatype inference: kernel plugins add their rules through these resolver services.
export {
  inferShapes, SHAPE_RESOLVERS_SERVICE, DATATYPE_RESOLVERS_SERVICE, resolverList,
  type ShapeContext, type ShapeResolver, type ShapeRule, type TensorInfo,
} from './shapes/index.js';
export { inferDataTypes, type DatatypeContext, type DatatypeResolver, type DatatypeRule } from './datatype-inference/index.js';
