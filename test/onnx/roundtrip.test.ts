import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { shared, skipNoShared } from '../helpers/paths.js';
import {
  decodeMapProto, decodeModelProto, decodeOptionalProto, decodeSequenceProto, decodeTensorProto, encodeMapProto,
  encodeModelProto, encodeOptionalProto, encodeSequenceProto, encodeTensorProto,
} from '../../src/onnx/codec.js';
import { loadModel } from '../../src/onnx/load.js';
import { saveModel } from '../../src/onnx/save.js';
import { onnxType } from '../../src/onnx/schema.js';
import type { ModelProto, TypeProto, ValueInfoProto } from '../../src/onnx/proto-types.js';
import { protoDiff } from './proto-equal.js';

function filesUnder(dir: string, suffix: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith(suffix))
    .sort()
    .map((f) => path.join(dir, f));
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length), Buffer.from(b.buffer, b.byteOffset, b.length)) === 0;
}

test('schema: proto2 presence and onnx.proto packing', () => {
  const tensor = onnxType('TensorProto');
  const packedFields = tensor.fieldsArray.filter((f) => f.repeated && f.packed).map((f) => f.name).sort();
  assert.deepEqual(packedFields, ['double_data', 'float_data', 'int32_data', 'int64_data', 'uint64_data']);
  assert.equal(tensor.fields['dims']!.packed, false);
  assert.equal(onnxType('AttributeProto').fields['ints']!.packed, false);
  assert.equal(onnxType('AttributeProto').fields['floats']!.packed, false);
  assert.equal(tensor.fields['data_type']!.hasPresence, true);
  assert.ok(onnxType('TypeProto').fields['opaque_type']);
  // proto2: a field explicitly set to its default is written, and comes back.
  const bytes = encodeTensorProto({ data_type: 0, name: '' });
  assert.deepEqual([...bytes], [0x10, 0x00, 0x42, 0x00]);
  const back = decodeTensorProto(bytes);
  assert.equal(back.data_type, 0);
  assert.equal(back.name, '');
  // Absent stays absent (no prototype defaults).
  assert.equal(decodeTensorProto(new Uint8Array(0)).raw_data, undefined);
});

test('protoDiff accepts packed vs unpacked but catches changed values', () => {
  // dims [2, 3] unpacked (field 1 varints, how onnx.proto declares it) and packed (one length-delimited run).
  const unpacked = Uint8Array.from([0x08, 0x02, 0x08, 0x03, 0x10, 0x01]);
  const packed = Uint8Array.from([0x0a, 0x02, 0x02, 0x03, 0x10, 0x01]);
  const changed = Uint8Array.from([0x08, 0x02, 0x08, 0x04, 0x10, 0x01]);
  assert.equal(protoDiff(decodeTensorProto(unpacked), decodeTensorProto(packed)), undefined);
  assert.match(protoDiff(decodeTensorProto(unpacked), decodeTensorProto(changed)) ?? '', /dims\[1\]/);
  // Our encoder writes onnx.proto's layout, so the packed input comes back unpacked.
  assert.deepEqual([...encodeTensorProto(decodeTensorProto(packed))], [...unpacked]);
  // int64 beyond 2^53 compared exactly.
  const big = (low: number) => Uint8Array.from([0x08, low, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]);
  assert.match(protoDiff(decodeTensorProto(big(0xfe)), decodeTensorProto(big(0xff))) ?? '', /dims\[0\]/);
});

test('unknown fields survive decode and encode', () => {
  // A TensorProto with name 'x' and a field 99 (varint 7) that the schema does not know.
  const bytes = Uint8Array.from([0x42, 0x01, 0x78, 0x98, 0x06, 0x07]);
  assert.deepEqual([...encodeTensorProto(decodeTensorProto(bytes))], [...bytes]);
});

test('all onnx-backend models round-trip losslessly', { skip: skipNoShared }, (t) => {
  const files = filesUnder(shared('onnx-backend'), '.onnx');
  assert.equal(files.length, 1951);
  let identical = 0;
  const differing: string[] = [];
  for (const file of files) {
    const bytes = fs.readFileSync(file);
    const again = encodeModelProto(decodeModelProto(bytes, file));
    if (sameBytes(again, bytes)) {
      identical++;
      continue;
    }
    // Allowed only if nothing changed but the packing of repeated scalars: decode both and compare.
    const d = protoDiff(decodeModelProto(bytes), decodeModelProto(again));
    assert.equal(d, undefined, `${file}: ${d}`);
    differing.push(path.relative(shared('onnx-backend'), file));
  }
  t.diagnostic(`${identical} of ${files.length} models byte-identical; ${differing.length} differ only in packing`);
  console.log(`roundtrip: ${identical}/${files.length} onnx-backend models byte-identical`);
});

/** Which onnx-data message a value of this type is stored as in a test-data .pb file. */
function pbKind(type: TypeProto | undefined): 'tensor' | 'sequence' | 'map' | 'optional' | 'other' {
  if (!type) return 'other';
  if (type.tensor_type) return 'tensor';
  if (type.sequence_type) return 'sequence';
  if (type.map_type) return 'map';
  if (type.optional_type) return 'optional';
  return 'other';
}

const codecs = {
  tensor: [decodeTensorProto, encodeTensorProto],
  sequence: [decodeSequenceProto, encodeSequenceProto],
  map: [decodeMapProto, encodeMapProto],
  optional: [decodeOptionalProto, encodeOptionalProto],
} as const;

test('all onnx-backend test-data .pb files round-trip byte for byte', { skip: skipNoShared }, (t) => {
  const root = shared('onnx-backend');
  const counts = { tensor: 0, sequence: 0, map: 0, optional: 0 };
  for (const modelFile of filesUnder(root, '.onnx')) {
    const dir = path.dirname(modelFile);
    const dataSets = fs.readdirSync(dir).filter((d) => d.startsWith('test_data_set_'));
    if (dataSets.length === 0) continue;
    const model: ModelProto = decodeModelProto(fs.readFileSync(modelFile));
    const inits = new Set((model.graph?.initializer ?? []).map((i) => i.name));
    const inputs: ValueInfoProto[] = (model.graph?.input ?? []).filter((i) => !inits.has(i.name));
    const outputs: ValueInfoProto[] = model.graph?.output ?? [];
    for (const ds of dataSets) {
      for (const f of fs.readdirSync(path.join(dir, ds))) {
        const m = /^(input|output)_(\d+)\.pb$/.exec(f);
        if (!m) continue;
        const vi = (m[1] === 'input' ? inputs : outputs)[Number(m[2])];
        const kind = pbKind(vi?.type);
        assert.notEqual(kind, 'other', `${dir}/${ds}/${f}: unexpected value type`);
        if (kind === 'other') continue;
        const bytes = fs.readFileSync(path.join(dir, ds, f));
        const [decode, encode] = codecs[kind] as unknown as [(b: Uint8Array) => object, (p: object) => Uint8Array];
        assert.ok(sameBytes(encode(decode(bytes)), bytes), `${dir}/${ds}/${f} (${kind}) changed`);
        counts[kind]++;
      }
    }
  }
  for (const f of filesUnder(path.join(root, 'light'), '.pb')) {
    const bytes = fs.readFileSync(f);
    assert.ok(sameBytes(encodeTensorProto(decodeTensorProto(bytes)), bytes), f);
    counts.tensor++;
  }
  t.diagnostic(`test-data files: ${JSON.stringify(counts)}`);
  assert.ok(counts.sequence + counts.map + counts.optional >= 57, JSON.stringify(counts));
});

test('onnx-new-ir models come back byte-identical through loadModel and saveModel', { skip: skipNoShared }, async () => {
  const dir = shared('onnx-new-ir');
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-newir-'));
  try {
    const files = filesUnder(dir, '.onnx');
    assert.equal(files.length, 5);
    for (const file of files) {
      const model = await loadModel(file);
      const target = path.join(out, path.basename(file));
      await saveModel(model, target);
      assert.ok(sameBytes(fs.readFileSync(target), fs.readFileSync(file)), `${path.basename(file)} changed`);
    }
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test('post-1.10 fields are decoded, not dropped', { skip: skipNoShared }, () => {
  const m = decodeModelProto(fs.readFileSync(shared('onnx-new-ir', 'fn_overload_first.onnx')));
  const overloads = (m.functions ?? []).map((f) => f.overload).filter((o) => o);
  assert.ok(overloads.length > 0, 'FunctionProto.overload missing');
  assert.ok((m.graph?.node ?? []).some((n) => n.overload), 'NodeProto.overload missing');
  const d = decodeModelProto(fs.readFileSync(shared('onnx-new-ir', 'fn_default_attr.onnx')));
  assert.ok((d.functions ?? []).some((f) => (f.attribute_proto ?? []).length > 0), 'FunctionProto.attribute_proto missing');
});
