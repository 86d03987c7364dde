// The topology transform lists the acceptance tests apply (the order proposed for the default blueprint).
export const STREAMLINE = [
  'ConvertSubToAdd', 'ConvertDivToMul', 'BatchNormToAffine', 'ConvertSignToThres', 'MoveMulPastMaxPool',
  'MoveScalarLinearPastInvariants', 'MoveLinearPastEltwiseAdd', 'AbsorbSignBiasIntoMultiThreshold', 'MoveAddPastMul', 'MoveScalarAddPastMatMul',
  'MoveAddPastConv', 'MoveScalarMulPastMatMul', 'MoveScalarMulPastConv', 'MoveAddPastMul', 'CollapseRepeatedAdd',
  'CollapseRepeatedMul', 'MoveMulPastMaxPool', 'AbsorbAddIntoMultiThreshold', 'FactorOutMulSignMagnitude',
  'AbsorbMulIntoMultiThreshold', 'Absorb1BitMulIntoMatMul', 'Absorb1BitMulIntoConv', 'RoundAndClipThresholds',
  'AbsorbScalarMulAddIntoTopK',
];

/** Lowering to the channels-last, Im2Col + MatMul form; followed by another STREAMLINE pass. */
export const LOWERING = [
  'LowerConvsToMatMul', 'MakeMaxPoolNHWC', 'AbsorbTransposeIntoMultiThreshold', 'AbsorbConsecutiveTransposes',
  'InferDataLayouts',
];

/** Other helpers' transforms that run before ours on QONNX models (cleanup, then QONNX → FINN). */
export const CLEANUP = [
  'NormalizeDomains', 'DoubleToSingleFloat', 'RemoveStaticGraphInputs', 'InferShapes', 'GiveUniqueParameterTensors',
  'FoldConstants', 'FoldTransposeIntoQuantInit', 'RemoveUnusedTensors', 'RemoveIdentityOps', 'SortGraph',
  'GiveUniqueNodeNames', 'GiveReadableTensorNames', 'InferShapes', 'InferDataTypes',
];
export const QONNX_TO_FINN = [
  'GemmToMatMul', 'ExtractConvBias', 'FoldQuantWeights', 'QuantActToMultiThreshold', 'AvgPoolTruncToQuantAvgPool',
  'InferShapes', 'InferDataTypes',
];
