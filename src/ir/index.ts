/** The graph IR: a mutable graph over ONNX protos, node attributes, operator domains and the verifier. */
export { Graph, type Consumer, type LoadDefects } from './graph.js';
export { Node, makeNode, describeNode, type NodeInit } from './node.js';
export * from './attributes.js';
export * from './domains.js';
export { verifyGraph, assertGraphValid, type VerifyFinding, type Severity } from './verify.js';
export {
  FINN_DATATYPE_KEY, TENSOR_LAYOUT_KEY, TENSOR_SPARSITY_KEY, parseTensorLayout, formatTensorLayout,
} from './annotations.js';
export {
  type Dim, UNKNOWN_DIM, shapeOfType, elemTypeOfType, makeTensorType, makeValueInfo, shapesCompatible,
} from './shape.js';
export { subgraphsOf, implicitInputs } from './subgraphs.js';
