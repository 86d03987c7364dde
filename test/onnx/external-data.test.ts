import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BrainsmithError } from '../../src/errors.js';
import { Model } from '../../src/ir/model.js';
import { encodeModelProto } from '../../src/onnx/codec.js';
import { externalDataRef, isExternalTensor, readExternalData } from '../../src/onnx/external-data.js';
import { loadModel } from '../../src/onnx/load.js';
import type { ModelProto, TensorProto } from '../../src/onnx/proto-types.js';
import { saveModel } from '../../src/onnx/save.js';
import { floatDataTensor, modelWithInitializers, rawFloatTensor } from './synthetic.js';

function tempDir(t: { after: (fn: () => void) => void }, tag = 'ext'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bs-${tag}-`));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function initializer(m: Model, name: string): TensorProto {
  const found = (m.proto.graph?.initializer ?? []).find((i) => i.name === name);
  assert.ok(found, `initializer ${name} missing`);
  return found;
}

/** A tensor's bytes wherever they live (inline raw_data or external file). */
function tensorBytes(m: Model, name: string): Buffer {
  const t = initializer(m, name);
  const bytes = isExternalTensor(t) ? readExternalData(t, m.source.baseDir!) : t.raw_data!;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

function externalTensor(name: string, location: string, length = 16, offset = 0): TensorProto {
  return {
    name, data_type: 1, dims: [length / 4], data_location: 1,
    external_data: [
      { key: 'location', value: location }, { key: 'offset', value: String(offset) }, { key: 'length', value: String(length) },
    ],
  };
}

function writeModel(file: string, proto: ModelProto): void {
  fs.writeFileSync(file, encodeModelProto(proto));
}

async function rejectsWith(p: Promise<unknown>, code: string, ...mentions: string[]): Promise<BrainsmithError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof BrainsmithError, `expected BrainsmithError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    for (const m of mentions) assert.ok(e.message.includes(m), `message should mention '${m}': ${e.message}`);
    return e;
  }
  assert.fail(`expected rejection with ${code}`);
}

const big = rawFloatTensor('big', 4096, 1); // 16 KiB
const small = rawFloatTensor('small', 16, 2); // 64 bytes
const typed = floatDataTensor('typed', 1000, 3); // 4000 bytes in float_data

test('saveModel with externalData moves large initializers to <model>.data', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'm.onnx');
  await saveModel(new Model(modelWithInitializers([big, small, typed])), file, { externalData: true });
  assert.deepEqual(fs.readdirSync(dir).sort(), ['m.onnx', 'm.onnx.data']);

  const m = await loadModel(file);
  assert.ok(isExternalTensor(initializer(m, 'big')));
  assert.ok(isExternalTensor(initializer(m, 'typed')));
  assert.ok(!isExternalTensor(initializer(m, 'small')), 'below the 1024-byte default threshold stays inline');
  assert.equal(externalDataRef(initializer(m, 'big')).location, 'm.onnx.data');
  assert.equal(externalDataRef(initializer(m, 'big')).offset % 4096, 0);
  assert.deepEqual(tensorBytes(m, 'big'), Buffer.from(big.raw_data!));
  assert.deepEqual(tensorBytes(m, 'small'), Buffer.from(small.raw_data!));
  assert.deepEqual(tensorBytes(m, 'typed'), Buffer.from(Float32Array.from(typed.float_data!).buffer));
  assert.deepEqual(initializer(m, 'typed').float_data ?? [], [], 'typed data moved, not duplicated');
});

test('externalData location and sizeThreshold options', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'm.onnx');
  await saveModel(new Model(modelWithInitializers([big, small])), file, { externalData: { location: 'w.bin', sizeThreshold: 32 } });
  assert.deepEqual(fs.readdirSync(dir).sort(), ['m.onnx', 'w.bin']);
  const m = await loadModel(file);
  assert.equal(externalDataRef(initializer(m, 'small')).location, 'w.bin');
  assert.deepEqual(tensorBytes(m, 'small'), Buffer.from(small.raw_data!));

  // Nothing reaches the threshold: no data file at all.
  const dir2 = tempDir(t);
  await saveModel(new Model(modelWithInitializers([small])), path.join(dir2, 'm.onnx'), { externalData: { sizeThreshold: 1 << 20 } });
  assert.deepEqual(fs.readdirSync(dir2), ['m.onnx']);
});

test('a model that would pass the size limit is saved with external data automatically', async (t) => {
  const dir = tempDir(t);
  const model = new Model(modelWithInitializers([big, small]));
  await saveModel(model, path.join(dir, 'fits.onnx'), { maxModelBytes: 64 * 1024 });
  assert.deepEqual(fs.readdirSync(dir), ['fits.onnx']);

  await saveModel(model, path.join(dir, 'huge.onnx'), { maxModelBytes: 8000 });
  assert.deepEqual(fs.readdirSync(dir).sort(), ['fits.onnx', 'huge.onnx', 'huge.onnx.data']);
  const m = await loadModel(path.join(dir, 'huge.onnx'));
  assert.ok(isExternalTensor(initializer(m, 'big')));
  assert.ok(fs.statSync(path.join(dir, 'huge.onnx')).size < 8000);
  assert.deepEqual(tensorBytes(m, 'big'), Buffer.from(big.raw_data!));
  assert.equal(model.proto.graph!.initializer![0], big, 'saving does not change the in-memory model');
  assert.ok(!isExternalTensor(big));
});

test('external data round trip: load, save elsewhere (external or inline), load', async (t) => {
  const src = tempDir(t, 'src');
  await saveModel(new Model(modelWithInitializers([big, small, typed])), path.join(src, 'm.onnx'), { externalData: true });
  const loaded = await loadModel(path.join(src, 'm.onnx'));

  const ext = tempDir(t, 'dst');
  await saveModel(loaded, path.join(ext, 'copy.onnx'), { externalData: true });
  assert.deepEqual(fs.readdirSync(ext).sort(), ['copy.onnx', 'copy.onnx.data']);
  const again = await loadModel(path.join(ext, 'copy.onnx'));
  assert.equal(externalDataRef(initializer(again, 'big')).location, 'copy.onnx.data');
  for (const name of ['big', 'small', 'typed']) assert.deepEqual(tensorBytes(again, name), tensorBytes(loaded, name), name);

  const inline = tempDir(t, 'inl');
  await saveModel(loaded, path.join(inline, 'one.onnx'));
  assert.deepEqual(fs.readdirSync(inline), ['one.onnx']);
  const single = await loadModel(path.join(inline, 'one.onnx'));
  for (const name of ['big', 'small', 'typed']) {
    assert.ok(!isExternalTensor(initializer(single, name)), name);
    assert.deepEqual(tensorBytes(single, name), tensorBytes(loaded, name), name);
  }
  // The source files are still what the loaded model reads.
  assert.deepEqual(tensorBytes(loaded, 'big'), Buffer.from(big.raw_data!));
});

test('saving over the data file the model reads from keeps the model readable', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'm.onnx');
  await saveModel(new Model(modelWithInitializers([big, small, typed])), file, { externalData: { sizeThreshold: 32 } });
  const m = await loadModel(file);
  const before = ['big', 'small', 'typed'].map((n) => tensorBytes(m, n));
  // Different layout this time (small goes back inline), written over the same m.onnx.data.
  m.proto.graph!.initializer!.reverse();
  await saveModel(m, file, { externalData: { sizeThreshold: 1024 } });
  const reloaded = await loadModel(file);
  ['big', 'small', 'typed'].forEach((n, i) => {
    assert.deepEqual(tensorBytes(reloaded, n), before[i], `${n} on disk`);
    assert.deepEqual(tensorBytes(m, n), before[i], `${n} in memory`);
  });
  assert.deepEqual(fs.readdirSync(dir).sort(), ['m.onnx', 'm.onnx.data']);
});

test('loading refuses external data locations outside the model folder', async (t) => {
  const outside = tempDir(t, 'outside');
  const secret = path.join(outside, 'secret.bin');
  fs.writeFileSync(secret, Buffer.alloc(64, 7));
  const root = tempDir(t, 'root');
  const modelDir = path.join(root, 'model');
  fs.mkdirSync(modelDir);
  fs.writeFileSync(path.join(root, 'up.bin'), Buffer.alloc(64, 7));
  fs.symlinkSync(secret, path.join(modelDir, 'link.bin'));
  fs.symlinkSync(outside, path.join(modelDir, 'linkdir'));
  fs.mkdirSync(path.join(modelDir, 'sub'));

  const cases: Array<[string, string]> = [
    ['absolute', secret],
    ['dotdot', '../up.bin'],
    ['nested dotdot', 'sub/../../up.bin'],
    ['backslash dotdot', '..\\up.bin'],
    ['windows absolute', 'C:\\Windows\\win.ini'],
    ['symlinked file', 'link.bin'],
    ['symlinked folder', 'linkdir/secret.bin'],
  ];
  for (const [label, location] of cases) {
    const file = path.join(modelDir, `${label.replace(/ /g, '_')}.onnx`);
    writeModel(file, modelWithInitializers([externalTensor(`w_${label}`, location)]));
    const e = await rejectsWith(loadModel(file), 'E_EXTERNAL_DATA_PATH', `w_${label}`, location);
    assert.ok(e.message.includes(file), `${label}: names the model file: ${e.message}`);
  }
});

test('saving refuses unsafe external data and writes nothing', async (t) => {
  const outside = tempDir(t, 'outside');
  fs.writeFileSync(path.join(outside, 'secret.bin'), Buffer.alloc(64, 7));
  const srcDir = tempDir(t, 'src');
  fs.symlinkSync(path.join(outside, 'secret.bin'), path.join(srcDir, 'link.bin'));
  const out = tempDir(t, 'out');
  for (const location of [path.join(outside, 'secret.bin'), '../secret.bin', 'link.bin']) {
    // A Model built directly (as a transform might), so the loader's own check never ran.
    const model = new Model(modelWithInitializers([externalTensor('w', location)]), { baseDir: srcDir });
    await rejectsWith(saveModel(model, path.join(out, 'm.onnx')), 'E_EXTERNAL_DATA_PATH', 'w', location);
    await rejectsWith(saveModel(model, path.join(out, 'm.onnx'), { externalData: true }), 'E_EXTERNAL_DATA_PATH', 'w');
    assert.deepEqual(fs.readdirSync(out), [], `nothing written for ${location}`);
  }
  const fine = new Model(modelWithInitializers([big]));
  await rejectsWith(saveModel(fine, path.join(out, 'm.onnx'), { externalData: { location: '../m.data' } }), 'E_EXTERNAL_DATA_PATH', '../m.data');
  await rejectsWith(saveModel(fine, path.join(out, 'm.onnx'), { externalData: { location: '/tmp/m.data' } }), 'E_EXTERNAL_DATA_PATH');
  assert.deepEqual(fs.readdirSync(out), []);
});

test('missing, short or unreadable external data gives a clear error', async (t) => {
  const dir = tempDir(t);
  writeModel(path.join(dir, 'missing.onnx'), modelWithInitializers([externalTensor('w', 'nope.bin')]));
  await rejectsWith(loadModel(path.join(dir, 'missing.onnx')), 'E_EXTERNAL_DATA_MISSING', 'nope.bin', 'missing.onnx');

  fs.writeFileSync(path.join(dir, 'short.bin'), Buffer.alloc(10));
  writeModel(path.join(dir, 'short.onnx'), modelWithInitializers([externalTensor('w', 'short.bin', 16)]));
  await rejectsWith(loadModel(path.join(dir, 'short.onnx')), 'E_EXTERNAL_DATA_TRUNCATED', 'short.bin', "'w'");
  writeModel(path.join(dir, 'offset.onnx'), modelWithInitializers([externalTensor('w', 'short.bin', 4, 8)]));
  await rejectsWith(loadModel(path.join(dir, 'offset.onnx')), 'E_EXTERNAL_DATA_TRUNCATED', 'short.bin');

  fs.mkdirSync(path.join(dir, 'adir'));
  writeModel(path.join(dir, 'dir.onnx'), modelWithInitializers([externalTensor('w', 'adir')]));
  await rejectsWith(loadModel(path.join(dir, 'dir.onnx')), 'E_EXTERNAL_DATA_MISSING', 'adir');

  const bad = modelWithInitializers([{ ...externalTensor('w', 'short.bin'), external_data: [{ key: 'location', value: 'short.bin' }, { key: 'offset', value: '-3' }] }]);
  writeModel(path.join(dir, 'badoffset.onnx'), bad);
  await rejectsWith(loadModel(path.join(dir, 'badoffset.onnx')), 'E_EXTERNAL_DATA_INVALID', 'offset');

  // Bytes with external tensors but no folder to resolve them against.
  await rejectsWith(loadModel(encodeModelProto(modelWithInitializers([externalTensor('w', 'short.bin')]))), 'E_EXTERNAL_DATA_MISSING', "'w'");
  // ...but with a baseDir they resolve.
  fs.writeFileSync(path.join(dir, 'ok.bin'), Buffer.alloc(16, 1));
  const m = await loadModel(encodeModelProto(modelWithInitializers([externalTensor('w', 'ok.bin')])), { baseDir: dir });
  assert.deepEqual(tensorBytes(m, 'w'), Buffer.alloc(16, 1));
});

test('decoded float_data (a Float32Array) moves to external data with the same bytes', async (t) => {
  const dir = tempDir(t);
  const loaded = await loadModel(encodeModelProto(modelWithInitializers([typed])));
  assert.ok(initializer(loaded, 'typed').float_data instanceof Float32Array);
  await saveModel(loaded, path.join(dir, 'm.onnx'), { externalData: true });
  const m = await loadModel(path.join(dir, 'm.onnx'));
  assert.ok(isExternalTensor(initializer(m, 'typed')));
  assert.deepEqual(tensorBytes(m, 'typed'), Buffer.from(Float32Array.from(typed.float_data!).buffer));
});
