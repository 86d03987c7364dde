import { BrainsmithError } from '../errors.js';
import { encodeMessage, encodeMessageChunks } from './encoder.js';
import { createTensorReader } from './fast-floats.js';
import { onnxType, type OnnxMessageName } from './schema.js';
import type { MapProto, ModelProto, OptionalProto, SequenceProto, TensorProto } from './proto-types.js';

/**
 * Binary encode/decode of ONNX messages. Decoding keeps everything the bytes carry: fields unknown to the
 * schema are kept as raw bytes (protobufjs `$unknowns`) and written back; `bytes` fields such as raw_data are
 * views into the input (never copies), so the input buffer must not be reused while the result is alive.
 *
 * TensorProto float_data and double_data stored packed (as onnx.proto declares them) decode to a
 * Float32Array / Float64Array copied in one block, rather than a number[] built element by element: the
 * same values, exact bits, and about ten times faster for large tensors. Both forms encode identically.
 */

/** Codes of decode failures; callers (e.g. the model loader) may map them to their own. */
export const DECODE_TRUNCATED = 'E_PROTOBUF_TRUNCATED';
export const DECODE_INVALID = 'E_PROTOBUF_INVALID';
export const ENCODE_FAILED = 'E_PROTOBUF_ENCODE';

function decodeAs<T>(name: OnnxMessageName, bytes: Uint8Array, source: string | undefined): T {
  if (!(bytes instanceof Uint8Array)) {
    throw new BrainsmithError(DECODE_INVALID, `${source ?? 'input'}: expected bytes to decode as ${name}`, {
      kind: 'work', file: source,
    });
  }
  try {
    const reader = createTensorReader(bytes);
    reader.discardUnknown = false; // keep fields this schema does not know, so re-encoding loses nothing
    return onnxType(name).decode(reader) as unknown as T;
  } catch (e) {
    throw decodeError(name, bytes.length, source, e);
  }
}

/** A decode failure; `detail` says what is wrong with the bytes, without naming the source. */
export class ProtobufDecodeError extends BrainsmithError {
  readonly detail: string;
  constructor(code: string, message: string, detail: string, opts: { file?: string; cause?: unknown }) {
    super(code, message, opts);
    this.detail = detail;
  }
}

function decodeError(name: string, size: number, source: string | undefined, cause: unknown): ProtobufDecodeError {
  const where = source ?? 'input';
  const reason = cause instanceof Error ? cause.message : String(cause);
  const opts = { file: source, cause };
  // protobufjs reports reading past the end as "index out of range: <pos> + <n> > <end>".
  if (cause instanceof RangeError && /index out of range/.test(reason)) {
    const m = /(\d+) \+ (\d+) > (\d+)/.exec(reason);
    const detail = m
      ? `a field at byte ${m[1]} needs ${m[2]} bytes but its enclosing message ends at byte ${m[3]} (${size} bytes in all)`
      : `a field runs past the end of the data (${size} bytes)`;
    return new ProtobufDecodeError(DECODE_TRUNCATED, `${where}: not a complete ${name}: ${detail}`, detail, opts);
  }
  const detail = cause instanceof RangeError && /call stack/i.test(reason) ? 'messages nested too deeply' : reason;
  return new ProtobufDecodeError(DECODE_INVALID, `${where}: not a valid ${name}: ${detail}`, detail, opts);
}

function encodeAs(name: OnnxMessageName, message: object): Uint8Array {
  try {
    return encodeMessage(onnxType(name), message);
  } catch (e) {
    throw encodeError(name, e);
  }
}

function encodeError(name: string, e: unknown): BrainsmithError {
  const reason = e instanceof Error ? e.message : String(e);
  return new BrainsmithError(ENCODE_FAILED, `cannot encode ${name}: ${reason}`, { kind: 'work', cause: e });
}

/** `source` (a file name) is only used in error messages. */
export function decodeModelProto(bytes: Uint8Array, source?: string): ModelProto {
  return decodeAs<ModelProto>('ModelProto', bytes, source);
}
export function encodeModelProto(p: ModelProto): Uint8Array {
  return encodeAs('ModelProto', p);
}

/**
 * The encoding of a model as consecutive chunks (for writing to a file): large raw_data and float arrays are
 * views of the model's own data instead of being copied into one big buffer. `size` is the total length.
 */
export function encodeModelProtoChunks(p: ModelProto): { chunks: Uint8Array[]; size: number } {
  try {
    return encodeMessageChunks(onnxType('ModelProto'), p);
  } catch (e) {
    throw encodeError('ModelProto', e);
  }
}

export function decodeTensorProto(bytes: Uint8Array, source?: string): TensorProto {
  return decodeAs<TensorProto>('TensorProto', bytes, source);
}
export function encodeTensorProto(p: TensorProto): Uint8Array {
  return encodeAs('TensorProto', p);
}

export function decodeSequenceProto(bytes: Uint8Array, source?: string): SequenceProto {
  return decodeAs<SequenceProto>('SequenceProto', bytes, source);
}
export function encodeSequenceProto(p: SequenceProto): Uint8Array {
  return encodeAs('SequenceProto', p);
}

export function decodeMapProto(bytes: Uint8Array, source?: string): MapProto {
  return decodeAs<MapProto>('MapProto', bytes, source);
}
export function encodeMapProto(p: MapProto): Uint8Array {
  return encodeAs('MapProto', p);
}

export function decodeOptionalProto(bytes: Uint8Array, source?: string): OptionalProto {
  return decodeAs<OptionalProto>('OptionalProto', bytes, source);
}
export function encodeOptionalProto(p: OptionalProto): Uint8Array {
  return encodeAs('OptionalProto', p);
}
