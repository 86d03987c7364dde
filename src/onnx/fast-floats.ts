import protobuf from 'protobufjs';
import { endianness } from 'node:os';
import { generateDecoder, onnxType } from './schema.js';

/**
 * Fast decoding of TensorProto's packed float_data and double_data. protobufjs decodes a packed run into a
 * number[] one element at a time (about 0.4 s for 64 MB); here the run is copied as one block into a
 * Float32Array / Float64Array. Bits are kept exactly (NaN payloads included), and the encoder writes typed
 * arrays back as the same bytes.
 *
 * How: the readers we create get their own `floats`/`doubles` methods, and TensorProto's generated decoder is
 * wrapped so that inside a TensorProto those methods set packed runs aside; after the tensor is decoded the
 * runs become its float_data/double_data. Runs are only set aside while the field is still empty, so all of
 * them precede any element added later (unpacked elements or further runs appended the ordinary way).
 */

interface TensorReader extends protobuf.Reader {
  $inTensor: boolean;
  $floats: Float32Array[];
  $doubles: Float64Array[];
}

type NumberArray = ArrayLike<number>;
type Msg = Record<string, unknown>;

const LITTLE_ENDIAN_HOST = endianness() === 'LE';
let hookInstalled = false;

/** A protobufjs Reader over `bytes` that decodes TensorProto float/double runs in blocks. */
export function createTensorReader(bytes: Uint8Array): protobuf.Reader {
  installTensorDecodeHook();
  const r = protobuf.Reader.create(bytes) as TensorReader;
  r.$inTensor = false;
  r.$floats = [];
  r.$doubles = [];
  if (LITTLE_ENDIAN_HOST) {
    r.floats = fastFloats;
    r.doubles = fastDoubles;
  }
  return r;
}

function isTensorReader(r: unknown): r is TensorReader {
  return typeof r === 'object' && r !== null && '$floats' in r;
}

function installTensorDecodeHook(): void {
  if (hookInstalled) return;
  hookInstalled = true;
  const type = onnxType('TensorProto');
  const generated = generateDecoder(type) as unknown as (this: protobuf.Type, ...args: unknown[]) => Msg;
  const decodeTensor = function (this: protobuf.Type, r: unknown, ...rest: unknown[]): Msg {
    if (!isTensorReader(r)) return generated.call(this, r, ...rest);
    const outer = { inTensor: r.$inTensor, floats: r.$floats, doubles: r.$doubles };
    r.$inTensor = true;
    r.$floats = [];
    r.$doubles = [];
    try {
      const m = generated.call(this, r, ...rest);
      if (r.$floats.length) m['float_data'] = join(Float32Array, r.$floats, m['float_data'] as NumberArray);
      if (r.$doubles.length) m['double_data'] = join(Float64Array, r.$doubles, m['double_data'] as NumberArray);
      return m;
    } finally {
      r.$inTensor = outer.inTensor;
      r.$floats = outer.floats;
      r.$doubles = outer.doubles;
    }
  };
  type.decode = decodeTensor as unknown as typeof type.decode;
}

/** The runs set aside, followed by whatever was appended to the field afterwards. */
function join<T extends Float32Array | Float64Array>(
  Ctor: { new (n: number): T }, runs: T[], tail: NumberArray | undefined,
): T {
  const tailLength = tail?.length ?? 0;
  if (runs.length === 1 && tailLength === 0) return runs[0]!;
  let total = tailLength;
  for (const run of runs) total += run.length;
  const out = new Ctor(total);
  let at = 0;
  for (const run of runs) {
    out.set(run, at);
    at += run.length;
  }
  for (let i = 0; i < tailLength; i++) out[at + i] = tail![i]!;
  return out;
}

/** Reads a packed run of `width`-byte values as one block; the same bounds errors as protobufjs. */
function readRun(r: TensorReader, width: number): Uint8Array {
  const len = r.size();
  const start = r.pos;
  const end = start + len;
  if (end > r.len) throw RangeError(`index out of range: ${start} + ${len} > ${r.len}`);
  if (len % width !== 0) throw RangeError(`index out of range: ${end - (len % width)} + ${width} > ${end}`);
  r.pos = end;
  return r.buf.subarray(start, end);
}

function fastFloats(this: TensorReader, array: number[]): number[] {
  if (!this.$inTensor || array.length) return protobuf.Reader.prototype.floats.call(this, array);
  const bytes = readRun(this, 4);
  const run = new Float32Array(bytes.length / 4);
  new Uint8Array(run.buffer).set(bytes);
  this.$floats.push(run);
  return array;
}

function fastDoubles(this: TensorReader, array: number[]): number[] {
  if (!this.$inTensor || array.length) return protobuf.Reader.prototype.doubles.call(this, array);
  const bytes = readRun(this, 8);
  const run = new Float64Array(bytes.length / 8);
  new Uint8Array(run.buffer).set(bytes);
  this.$doubles.push(run);
  return array;
}
