import * as fs from 'node:fs';
import * as path from 'node:path';
import { BrainsmithError } from '../errors.js';
import { Model } from '../ir/model.js';
import { DECODE_TRUNCATED, decodeModelProto, ProtobufDecodeError } from './codec.js';
import { checkExternalData, isExternalTensor, E_EXTERNAL_DATA_MISSING } from './external-data.js';
import { int64ToNumber } from './int64.js';
import type { ModelProto } from './proto-types.js';
import { forEachModelTensor } from './tensor-walk.js';
import { checkTensorSizes } from './tensor-sizes.js';

/**
 * Loading an ONNX model file. The file is read into one Buffer and decoded in place: tensor raw_data are
 * views into that buffer, so a model costs about its file size in memory. Every failure is a BrainsmithError
 * with a stable code and a one-line message naming the file.
 */

export const E_FILE_NOT_FOUND = 'E_FILE_NOT_FOUND';
export const E_IS_DIRECTORY = 'E_IS_DIRECTORY';
export const E_FILE_UNREADABLE = 'E_FILE_UNREADABLE';
export const E_NOT_ONNX = 'E_NOT_ONNX';
export const E_MODEL_TRUNCATED = 'E_MODEL_TRUNCATED';
export const E_MODEL_TOO_LARGE = 'E_MODEL_TOO_LARGE';

/** Largest IR version we consider plausible (13 is current); beyond it the bytes are not a real model. */
const MAX_PLAUSIBLE_IR_VERSION = 1000;
/** protobuf cannot represent a message of 2 GiB or more. */
const PROTOBUF_LIMIT = 2 ** 31;

export interface LoadOptions {
  /** Name used in error messages when loading from bytes (default 'model bytes'). */
  name?: string;
  /** Folder external data is relative to, when loading from bytes (default: none; external data is refused). */
  baseDir?: string;
  /** Check that every external-data reference is safe and present (default true). */
  checkExternalData?: boolean;
}

export async function loadModel(pathOrBytes: string | Uint8Array, opts: LoadOptions = {}): Promise<Model> {
  if (typeof pathOrBytes !== 'string') return parseModel(pathOrBytes, opts);
  const file = pathOrBytes;
  statModelFile(file);
  let bytes: Buffer;
  try {
    bytes = await fs.promises.readFile(file);
  } catch (e) {
    throw readError(file, e);
  }
  return parseModel(bytes, { ...opts, name: file, baseDir: path.dirname(path.resolve(file)), path: file });
}

export function loadModelSync(pathOrBytes: string | Uint8Array, opts: LoadOptions = {}): Model {
  if (typeof pathOrBytes !== 'string') return parseModel(pathOrBytes, opts);
  const file = pathOrBytes;
  statModelFile(file);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw readError(file, e);
  }
  return parseModel(bytes, { ...opts, name: file, baseDir: path.dirname(path.resolve(file)), path: file });
}

function statModelFile(file: string): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    throw readError(file, e);
  }
  if (st.isDirectory()) {
    throw new BrainsmithError(E_IS_DIRECTORY, `${file}: is a directory, not an ONNX model file`, { file });
  }
  if (!st.isFile()) throw new BrainsmithError(E_NOT_ONNX, `${file}: is not a regular file`, { file });
  if (st.size === 0) throw new BrainsmithError(E_NOT_ONNX, `${file}: is empty, not an ONNX model`, { file });
  if (st.size >= PROTOBUF_LIMIT) {
    throw new BrainsmithError(E_MODEL_TOO_LARGE, `${file}: is ${st.size} bytes; an ONNX model file must be under 2 GiB (larger weights belong in external data)`, { file });
  }
}

function readError(file: string, e: unknown): BrainsmithError {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new BrainsmithError(E_FILE_NOT_FOUND, `${file}: file not found`, { file, cause: e });
  }
  if (code === 'EISDIR') return new BrainsmithError(E_IS_DIRECTORY, `${file}: is a directory, not an ONNX model file`, { file, cause: e });
  const reason = e instanceof Error ? e.message : String(e);
  return new BrainsmithError(E_FILE_UNREADABLE, `${file}: cannot read: ${reason}`, { file, cause: e });
}

/** Decodes and sanity-checks model bytes (already in memory). */
export function parseModel(bytes: Uint8Array, opts: LoadOptions & { path?: string } = {}): Model {
  const name = opts.name ?? 'model bytes';
  const file = opts.path;
  if (bytes.length === 0) throw new BrainsmithError(E_NOT_ONNX, `${name}: is empty, not an ONNX model`, { file });
  let proto: ModelProto;
  try {
    proto = decodeModelProto(bytes, name);
  } catch (e) {
    const detail = e instanceof ProtobufDecodeError ? e.detail : String(e);
    const truncated = e instanceof ProtobufDecodeError && e.code === DECODE_TRUNCATED && startsLikeOnnxModel(bytes);
    if (truncated) throw new BrainsmithError(E_MODEL_TRUNCATED, `${name}: truncated ONNX model: ${detail}`, { file, cause: e });
    throw new BrainsmithError(E_NOT_ONNX, `${name}: not an ONNX model (${detail})`, { file, cause: e });
  }
  checkModelShape(proto, name, file);
  const model = new Model(proto, { path: file, baseDir: opts.baseDir });
  if (opts.checkExternalData !== false) checkExternalTensors(proto, name, opts.baseDir, file);
  checkTensorSizes(proto, name, opts.checkExternalData === false ? undefined : opts.baseDir, file);
  return model;
}

/**
 * Random bytes can decode as some protobuf message by chance, so a decoded model must also look like one:
 * a plausible ir_version and a graph (and opset imports, required since IR 3).
 */
function checkModelShape(p: ModelProto, name: string, file: string | undefined): void {
  const irVersion = Object.hasOwn(p, 'ir_version') ? int64ToNumber(p.ir_version) : undefined;
  if (irVersion === undefined || irVersion < 1 || irVersion > MAX_PLAUSIBLE_IR_VERSION) {
    const found = irVersion === undefined ? 'no ir_version' : `ir_version ${irVersion}`;
    throw new BrainsmithError(E_NOT_ONNX, `${name}: not an ONNX model (${found})`, { file });
  }
  if (!p.graph) {
    throw new BrainsmithError(E_MODEL_TRUNCATED, `${name}: incomplete ONNX model: it has no graph (the file may be truncated)`, { file });
  }
  if (irVersion >= 3 && !(p.opset_import && p.opset_import.length > 0)) {
    throw new BrainsmithError(E_MODEL_TRUNCATED, `${name}: incomplete ONNX model: IR version ${irVersion} but no opset_import (the file may be truncated)`, { file });
  }
}

/**
 * Whether bytes begin with an ir_version field (tag 0x08 and a small varint, or the start of one when the
 * data ends first), as every ONNX file written by the protobuf library does. Used to tell a truncated model
 * from a file that never was one.
 */
function startsLikeOnnxModel(bytes: Uint8Array): boolean {
  if (bytes[0] !== 0x08) return false;
  let value = 0;
  for (let i = 1; i < 4; i++) {
    if (i >= bytes.length) return true; // cut inside the ir_version field
    const b = bytes[i]!;
    value |= (b & 0x7f) << (7 * (i - 1));
    if (!(b & 0x80)) return value >= 1 && value <= MAX_PLAUSIBLE_IR_VERSION;
  }
  return false;
}

function checkExternalTensors(p: ModelProto, name: string, baseDir: string | undefined, file: string | undefined): void {
  forEachModelTensor(p, (t) => {
    if (!isExternalTensor(t)) return;
    if (baseDir === undefined) {
      throw new BrainsmithError(E_EXTERNAL_DATA_MISSING, `${name}: tensor '${t.name ?? ''}' has external data, but the model was given as bytes without a folder to read it from`, { file });
    }
    try {
      checkExternalData(t, baseDir);
    } catch (e) {
      const code = e instanceof BrainsmithError ? e.code : E_EXTERNAL_DATA_MISSING;
      const reason = e instanceof Error ? e.message : String(e);
      throw new BrainsmithError(code, `${name}: ${reason}`, { file: file ?? (e as BrainsmithError).file, cause: e });
    }
  });
}
