import { describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeModelProto, decodeTensorProto, encodeTensorProto } from '../../src/onnx/codec.js';
import { int64ToNumber } from '../../src/onnx/int64.js';
import type { ModelProto, TensorProto, ValueInfoProto } from '../../src/onnx/proto-types.js';
import { forEachModelTensor } from '../../src/onnx/tensor-walk.js';
import { ElemType, elemTypeFromName, elemTypeInfo } from '../../src/tensor/element-type.js';
import { encodeFloatArray, isFloatFormat, type E8M0RoundMode } from '../../src/tensor/float-formats.js';
import { unpackSubByte } from '../../src/tensor/sub-byte.js';
import { numElements, tensorFromProto, tensorToNumbers, tensorToProto, type TensorData, type TensorValue } from '../../src/tensor/tensor-value.js';
import { shared, skipNoShared } from '../helpers/paths.js';

const T = ElemType;

interface TensorFile { dir: string; file: string; path: string }

function bytesOf(d: TensorData): Uint8Array | string[] {
  return Array.isArray(d) ? d : new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
}

function readModel(file: string): ModelProto {
  return decodeModelProto(readFileSync(file), file);
}

/**
 * The test-data files of every node test, split by what the model says they hold: `input_i.pb` is
 * graph.input[i] and `output_i.pb` graph.output[i]; sequences, maps and optionals are not tensors.
 */
function listTestData(root: string): { tensors: TensorFile[]; nonTensors: TensorFile[] } {
  const tensors: TensorFile[] = [];
  const nonTensors: TensorFile[] = [];
  for (const dir of readdirSync(root)) {
    const graph = readModel(path.join(root, dir, 'model.onnx')).graph ?? {};
    for (const set of readdirSync(path.join(root, dir)).filter((s) => s.startsWith('test_data_set_'))) {
      for (const file of readdirSync(path.join(root, dir, set))) {
        const m = /^(input|output)_(\d+)\.pb$/.exec(file);
        if (m === null) continue;
        const infos: ValueInfoProto[] = (m[1] === 'input' ? graph.input : graph.output) ?? [];
        const entry = { dir, file: `${set}/${file}`, path: path.join(root, dir, set, file) };
        if (infos[Number(m[2])]?.type?.tensor_type !== undefined) tensors.push(entry);
        else nonTensors.push(entry);
      }
    }
  }
  return { tensors, nonTensors };
}

describe('ONNX backend test data', { skip: skipNoShared }, () => {
  const nodeRoot = shared('onnx-backend', 'node');

  test('every tensor decodes to prod(dims) elements and re-encodes to the same bytes', () => {
    const { tensors, nonTensors } = listTestData(nodeRoot);
    assert.ok(tensors.length > 6000, `found ${tensors.length} tensor files`);
    const perType = new Map<string, number>();
    let rawCompared = 0;
    for (const f of tensors) {
      const label = `${f.dir}/${f.file}`;
      const proto = decodeTensorProto(readFileSync(f.path), f.path);
      const v = tensorFromProto(proto);
      const info = elemTypeInfo(v.elemType);
      perType.set(info.name, (perType.get(info.name) ?? 0) + 1);
      const dims = (proto.dims ?? []).map(int64ToNumber);
      assert.equal(v.data.length, numElements(dims) * info.lanes, label);

      // re-encode to raw_data, through protobuf bytes, and decode again: identical bits
      const raw = tensorToProto(v, proto.name);
      const again = tensorFromProto(decodeTensorProto(encodeTensorProto(raw)));
      assert.deepEqual(bytesOf(again.data), bytesOf(v.data), `${label} (raw)`);
      // the same through the typed field
      const typed = tensorFromProto(decodeTensorProto(encodeTensorProto(tensorToProto(v, proto.name, { raw: false }))));
      assert.deepEqual(bytesOf(typed.data), bytesOf(v.data), `${label} (${info.field})`);
      // and when the file used raw_data, our raw_data is byte-identical to it
      if (proto.raw_data !== undefined && proto.raw_data.length > 0) {
        assert.deepEqual(raw.raw_data, new Uint8Array(proto.raw_data), `${label}: raw_data bytes`);
        rawCompared++;
      }
    }
    // every element type with a fixed layout appears in the test data
    for (const name of ['FLOAT16', 'BFLOAT16', 'FLOAT8E4M3FN', 'FLOAT8E5M2FNUZ', 'INT4', 'UINT2', 'FLOAT4E2M1', 'FLOAT8E8M0', 'UINT64']) {
      assert.ok((perType.get(name) ?? 0) > 0, `no ${name} tensors seen`);
    }
    assert.ok(rawCompared > 5000);
    // the files that are not tensors are sequences/maps/optionals, and are not TensorProtos with data
    for (const f of nonTensors) {
      const p = decodeTensorProto(readFileSync(f.path), f.path);
      assert.throws(() => tensorFromProto(p), `${f.dir}/${f.file} should not decode as a tensor`);
    }
  });

  test('Cast/CastLike expected outputs match our conversions bit for bit', () => {
    const CAST_DIR = /^test_cast(?:like)?_(?:(?:no_saturate|e8m0)_)?([A-Z0-9]+)_to_([A-Z0-9]+)$/;
    let checked = 0;
    for (const dir of readdirSync(nodeRoot)) {
      const m = CAST_DIR.exec(dir);
      if (m === null) continue;
      const dst = elemTypeFromName(m[2]!);
      assert.ok(dst !== undefined, dir);
      const model = readModel(path.join(nodeRoot, dir, 'model.onnx'));
      const attrs = model.graph?.node?.[0]?.attribute ?? [];
      const saturate = int64ToNumber(attrs.find((a) => a.name === 'saturate')?.i ?? 1) !== 0;
      const roundAttr = attrs.find((a) => a.name === 'round_mode')?.s;
      const roundMode = (roundAttr ? new TextDecoder().decode(roundAttr) : 'up') as E8M0RoundMode;
      const dataDir = path.join(nodeRoot, dir, 'test_data_set_0');
      const input = tensorFromProto(decodeTensorProto(readFileSync(path.join(dataDir, 'input_0.pb'))));
      const outProto = decodeTensorProto(readFileSync(path.join(dataDir, 'output_0.pb')));
      assert.equal(outProto.data_type, dst, dir);
      compareCast(dir, input, dst, outProto, saturate, roundMode);
      checked++;
    }
    assert.ok(checked >= 100, `only ${checked} Cast tests checked`);
  });

  test('new element types in onnx-new-ir/types_zoo.onnx round-trip byte for byte', () => {
    const model = readModel(shared('onnx-new-ir', 'types_zoo.onnx'));
    const seen: number[] = [];
    forEachModelTensor(model, (t) => {
      const v = tensorFromProto(t);
      seen.push(v.elemType);
      const p = tensorToProto(v, t.name, { raw: !(t.int32_data?.length) });
      if (t.raw_data?.length) assert.deepEqual(p.raw_data, new Uint8Array(t.raw_data), t.name);
      else assert.deepEqual(p.int32_data, Array.from(t.int32_data ?? []), t.name);
    });
    for (const code of [T.FLOAT8E4M3FN, T.INT4, T.UINT2, T.FLOAT4E2M1, T.BFLOAT16]) assert.ok(seen.includes(code));
  });
});

/** Element codes exactly as stored in the file (narrow floats, unpacked), read without our decoder. */
function storedCodes(p: TensorProto, code: number): number[] {
  const info = elemTypeInfo(code);
  const n = numElements((p.dims ?? []).map(int64ToNumber));
  const raw = p.raw_data;
  if (raw !== undefined && raw.length > 0) {
    if (info.bits === 4) return Array.from(unpackSubByte(raw, 4, n, false));
    if (info.bits === 16) return Array.from({ length: n }, (_, i) => raw[2 * i]! | (raw[2 * i + 1]! << 8));
    return Array.from(raw);
  }
  const entries = p.int32_data ?? [];
  if (info.bits === 4) return Array.from(unpackSubByte(entries, 4, n, false));
  return entries.map((e) => e & (info.bits === 16 ? 0xffff : 0xff));
}

function sameNumber(a: number, b: number): boolean {
  return (Number.isNaN(a) && Number.isNaN(b)) || Object.is(a, b);
}

/** Cast semantics to an integer type: truncate toward zero, then keep the low bits (two's complement). */
function castToInt(x: number, bits: number, signed: boolean): number {
  const wrapped = Number(BigInt.asUintN(bits, BigInt(Math.trunc(x))));
  return signed && wrapped >= 2 ** (bits - 1) ? wrapped - 2 ** bits : wrapped;
}

function compareCast(dir: string, input: TensorValue, dst: number, out: TensorProto, saturate: boolean, roundMode: E8M0RoundMode): void {
  const src = input.data instanceof Float32Array || input.data instanceof Float64Array ? input.data : tensorToNumbers(input);
  const dstInfo = elemTypeInfo(dst);
  if (isFloatFormat(dst)) {
    const ours = Array.from(encodeFloatArray(dst, src, { saturate, roundMode }));
    assert.deepEqual(ours, storedCodes(out, dst), dir);
    return;
  }
  const expected = tensorFromProto(out);
  if (dst === T.FLOAT || dst === T.DOUBLE) {
    const exp = expected.data as Float32Array | Float64Array;
    assert.equal(exp.length, src.length, dir);
    src.forEach((x, i) => {
      const ours = dst === T.FLOAT ? Math.fround(x) : x;
      assert.ok(sameNumber(ours, exp[i]!), `${dir}[${i}]: ${ours} vs ${exp[i]}`);
    });
    return;
  }
  assert.ok(dstInfo.isInteger, `${dir}: unexpected destination ${dstInfo.name}`);
  const ours = Array.from(src, (x) => castToInt(x, dstInfo.bits, dstInfo.isSigned));
  assert.deepEqual(ours, Array.from(tensorToNumbers(expected)), dir);
}
