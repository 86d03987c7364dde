/** ONNX model IO: lossless protobuf codec, loading, saving and external data. */
export {
  decodeModelProto, encodeModelProto, encodeModelProtoChunks, decodeTensorProto, encodeTensorProto, decodeSequenceProto,
  encodeSequenceProto, decodeMapProto, encodeMapProto, decodeOptionalProto, encodeOptionalProto,
  DECODE_TRUNCATED, DECODE_INVALID, ENCODE_FAILED, ProtobufDecodeError,
} from './codec.js';
export {
  loadModel, loadModelSync, parseModel, type LoadOptions,
  E_FILE_NOT_FOUND, E_IS_DIRECTORY, E_FILE_UNREADABLE, E_NOT_ONNX, E_MODEL_TRUNCATED, E_MODEL_TOO_LARGE,
} from './load.js';
export { saveModel, type SaveOptions, type ExternalDataOptions, E_SAVE_FAILED, E_SAVE_DIR_NOT_FOUND, PROTOBUF_LIMIT } from './save.js';
export {
  readExternalData, checkExternalData, resolveExternalDataPath, externalDataRef, isExternalTensor,
  type ExternalDataRef, DATA_LOCATION_EXTERNAL,
  E_EXTERNAL_DATA_PATH, E_EXTERNAL_DATA_MISSING, E_EXTERNAL_DATA_TRUNCATED, E_EXTERNAL_DATA_INVALID,
} from './external-data.js';
export { mapModelTensors, forEachModelTensor, type TensorSite, type TensorMapper } from './tensor-walk.js';
export { onnxType, onnxRoot } from './schema.js';
