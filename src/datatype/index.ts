export {
  DataType, IntType, BipolarType, TernaryType, FixedPointType, ScaledIntType, Float32Type, Float16Type, ArbPrecFloatType,
  MAX_INT_BITS, type DataTypeKind,
} from './datatype.js';
export { DataTypes, parseDataType, tryParseDataType } from './registry.js';
export { smallestDataType, smallestDataTypeFor, smallestCandidates } from './smallest.js';
