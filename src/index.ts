/**
 * The public API of the `brainsmith` package: what plugins and scripts import. The kernel kit is
 * `brainsmith/kernel`, graph-rewrite helpers are `brainsmith/rewrite`, and what only a host program needs
 * (registry, compile, codecs) is `brainsmith/host`.
 */
export { BrainsmithError, isBrainsmithError, errorMessage, type ErrorKind } from './errors.js';
export { Model, type ModelSource } from './ir/model.js';
export type * from './onnx/proto-types.js';
export { AttributeType } from './onnx/proto-types.js';
export { type Int64, Long, int64ToNumber, int64ToBigInt, numberToInt64, bigIntToInt64 } from './onnx/int64.js';
export { loadModel, loadModelSync, type LoadOptions } from './onnx/load.js';
export { saveModel, type SaveOptions, type ExternalDataOptions, PROTOBUF_LIMIT } from './onnx/save.js';
export * from './ir/index.js';
export * from './datatype/index.js';
export { ElemType, elemTypeName, elemTypeFromName, elemTypeInfo, type ElemTypeInfo } from './tensor/element-type.js';
export {
  type TensorValue, type TensorData, type NumericArray, makeTensor, numElements, tensorFromProto, tensorToProto, tensorToNumbers,
} from './tensor/tensor-value.js';
export * from './plugins/index.js';
// Two modules name a type Severity: the plugin diagnostics keep the name (in brainsmith/host), the verifier's is VerifySeverity.
export type { Severity as VerifySeverity } from './ir/verify.js';
export type { TensorMap, OpContext, OpImpl, OpResolver, ExecuteOptions, ExecuteResult } from './exec/types.js';
export { executeModel } from './exec/execute.js';
export { readNpy, writeNpy } from './exec/npy.js';
export type { HwApi, BoundNode, BindOptions, NodesOptions, BackendChoice, BackendPreferences } from './hw/types.js';
