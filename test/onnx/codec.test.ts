import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { BrainsmithError } from '../../src/errors.js';
import {
  decodeModelProto, decodeTensorProto, encodeModelProto, encodeModelProtoChunks, encodeTensorProto,
} from '../../src/onnx/codec.js';
import { Long } from '../../src/onnx/int64.js';
import type { TensorProto } from '../../src/onnx/proto-types.js';
import { floatDataTensor, modelWithInitializers, rawFloatTensor } from './synthetic.js';
import { protoDiff } from './proto-equal.js';

/** Hand-built protobuf pieces, to feed the decoder layouts our encoder would not produce. */
function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}
function packedFloats(field: number, xs: number[]): number[] {
  const body = Buffer.alloc(xs.length * 4);
  xs.forEach((x, i) => body.writeFloatLE(x, i * 4));
  return [...varint((field << 3) | 2), ...varint(body.length), ...body];
}
function unpackedFloat(field: number, x: number): number[] {
  const b = Buffer.alloc(4);
  b.writeFloatLE(x);
  return [...varint((field << 3) | 5), ...b];
}

test('raw_data decodes as a view into the input bytes', () => {
  const bytes = Buffer.from(encodeTensorProto(rawFloatTensor('w', 1000)));
  const t = decodeTensorProto(bytes);
  assert.equal(t.raw_data!.buffer, bytes.buffer);
  assert.equal(t.raw_data!.length, 4000);
  const plain = new Uint8Array(bytes); // a plain Uint8Array (not a Buffer) is viewed too
  assert.equal(decodeTensorProto(plain).raw_data!.buffer, plain.buffer);
});

test('int64 values decode as exact Long values', () => {
  const big = Long.fromString('9007199254740993'); // 2^53 + 1: not representable as a number
  const t = decodeTensorProto(encodeTensorProto({ dims: [big, -1], data_type: 7, int64_data: [Long.fromString('-9223372036854775808')] }));
  assert.ok(Long.isLong(t.dims![0]));
  assert.equal(t.dims![0]!.toString(), '9007199254740993');
  assert.equal(t.dims![1]!.toString(), '-1');
  assert.equal(t.int64_data![0]!.toString(), '-9223372036854775808');
});

test('packed float_data and double_data decode to typed arrays with exact bits', () => {
  const t = decodeTensorProto(encodeTensorProto({ data_type: 1, float_data: [1.5, -2, 3.25], double_data: [Math.PI] }));
  assert.ok(t.float_data instanceof Float32Array);
  assert.deepEqual(Array.from(t.float_data as unknown as Float32Array), [1.5, -2, 3.25]);
  assert.ok(t.double_data instanceof Float64Array);
  assert.equal((t.double_data as unknown as Float64Array)[0], Math.PI);

  // A NaN with a payload (and a signalling NaN) survive decode and encode bit for bit.
  const bytes = Uint8Array.from([0x22, 0x08, 0x01, 0x00, 0xc0, 0x7f, 0x01, 0x00, 0x80, 0x7f]);
  assert.deepEqual([...encodeTensorProto(decodeTensorProto(bytes))], [...bytes]);
});

test('mixed packed runs and unpacked elements keep their order', () => {
  const bytes = Uint8Array.from([
    ...packedFloats(4, [1, 2]), ...unpackedFloat(4, 3), ...packedFloats(4, [4, 5]), ...packedFloats(4, [6]), ...unpackedFloat(4, 7),
  ]);
  const t = decodeTensorProto(bytes);
  assert.deepEqual(Array.from(t.float_data as ArrayLike<number>), [1, 2, 3, 4, 5, 6, 7]);
  const twoRuns = decodeTensorProto(Uint8Array.from([...packedFloats(4, [1, 2]), ...packedFloats(4, [3])]));
  assert.deepEqual(Array.from(twoRuns.float_data as ArrayLike<number>), [1, 2, 3]);
  // AttributeProto.floats is not a tensor field: a packed run there stays a number[].
  const attr = decodeModelProto(encodeModelProto({
    ir_version: 8, graph: { node: [{ op_type: 'X', attribute: [{ name: 'a', type: 6, floats: [0.5, 0.25] }] }] },
  }));
  assert.deepEqual(attr.graph!.node![0]!.attribute![0]!.floats, [0.5, 0.25]);
});

test('a packed float run of a length that is not a multiple of 4 is rejected', () => {
  const bytes = Uint8Array.from([0x22, 0x05, 0, 0, 0x80, 0x3f, 0]);
  assert.throws(() => decodeTensorProto(bytes, 'bad.pb'), (e: unknown) =>
    e instanceof BrainsmithError && e.code === 'E_PROTOBUF_TRUNCATED' && e.message.startsWith('bad.pb:'));
});

test('decoded typed float_data and number[] float_data encode the same', () => {
  const asNumbers = floatDataTensor('f', 5000);
  const bytes = encodeTensorProto(asNumbers);
  const decoded = decodeTensorProto(bytes);
  assert.ok(decoded.float_data instanceof Float32Array);
  assert.deepEqual(Buffer.from(encodeTensorProto(decoded)), Buffer.from(bytes));
  assert.equal(protoDiff(decoded, asNumbers), undefined);
});

test('chunked encoding equals the single-buffer encoding and references large blocks', () => {
  const bigRaw = rawFloatTensor('big', 100_000);
  const typed = decodeTensorProto(encodeTensorProto(floatDataTensor('typed', 50_000)));
  const tensors: TensorProto[] = [rawFloatTensor('a', 10), bigRaw, typed, rawFloatTensor('b', 20_000), rawFloatTensor('c', 3)];
  const model = modelWithInitializers(tensors);
  const whole = encodeModelProto(model);
  const { chunks, size } = encodeModelProtoChunks(model);
  assert.equal(size, whole.length);
  assert.deepEqual(Buffer.concat(chunks), Buffer.from(whole));
  assert.ok(chunks.includes(bigRaw.raw_data!), 'large raw_data is passed through, not copied');
  assert.equal(decodeModelProto(whole).graph!.initializer!.length, 5);
});

test('fields explicitly set to defaults, empty strings and empty bytes survive', () => {
  const t: TensorProto = { name: '', doc_string: '', data_type: 0, data_location: 0, raw_data: new Uint8Array(0), dims: [0] };
  const bytes = encodeTensorProto(t);
  const back = decodeTensorProto(bytes);
  for (const k of ['name', 'doc_string', 'data_type', 'data_location', 'raw_data'] as const) assert.ok(Object.hasOwn(back, k), k);
  assert.deepEqual(Buffer.from(encodeTensorProto(back)), Buffer.from(bytes));
});
