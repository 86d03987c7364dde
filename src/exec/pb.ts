import { readRegularFile, DATA_FILE_LIMIT } from '../util/safe-read.js';
import { BrainsmithError } from '../errors.js';
import { decodeTensorProto, encodeTensorProto } from '../onnx/codec.js';
import { tensorFromProto, tensorToProto, type TensorValue } from '../tensor/tensor-value.js';
import { writeFileAtomic } from './npy.js';

/** Serialized ONNX `TensorProto` files (`.pb`, as in the ONNX backend test data). */

export interface NamedTensor {
  /** The proto's `name`, '' when unnamed. */
  name: string;
  value: TensorValue;
}

export function readTensorPb(file: string): NamedTensor {
  let bytes: Buffer;
  try {
    bytes = readRegularFile(file, { what: '.pb tensor file', maxBytes: DATA_FILE_LIMIT });
  } catch (e) {
    throw new BrainsmithError('E_PB', (e as Error).message, { file });
  }
  try {
    const proto = decodeTensorProto(bytes, file);
    return { name: proto.name ?? '', value: tensorFromProto(proto) };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new BrainsmithError('E_PB', msg.startsWith(file) ? msg : `${file}: ${msg}`, { file, cause: e });
  }
}

export function writeTensorPb(file: string, value: TensorValue, name?: string): void {
  writeFileAtomic(file, encodeTensorProto(tensorToProto(value, name)));
}
