import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BrainsmithError } from '../../src/errors.js';
import { Model } from '../../src/ir/model.js';
import { encodeModelProto } from '../../src/onnx/codec.js';
import { loadModel, loadModelSync } from '../../src/onnx/load.js';
import { saveModel } from '../../src/onnx/save.js';
import { shared, skipNoShared } from '../helpers/paths.js';
import { modelWithInitializers, rawFloatTensor } from './synthetic.js';

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-bad-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Both loaders fail with `code`, a one-line message that names `file`. */
async function assertLoadFails(file: string, code: string): Promise<void> {
  for (const load of [() => loadModel(file), async () => loadModelSync(file)]) {
    try {
      await load();
      assert.fail(`${file}: expected ${code}`);
    } catch (e) {
      assert.ok(e instanceof BrainsmithError, `${file}: not a BrainsmithError: ${String(e)}`);
      assert.equal(e.code, code, e.message);
      assert.ok(e.message.includes(file), `message should name the file: ${e.message}`);
      assert.ok(!e.message.includes('\n'), `one line: ${e.message}`);
      assert.equal(e.file, file);
    }
  }
}

const realModel = encodeModelProto(modelWithInitializers([rawFloatTensor('w', 256)]));

test('missing file, directory, empty file', async (t) => {
  const dir = tempDir(t);
  await assertLoadFails(path.join(dir, 'nope.onnx'), 'E_FILE_NOT_FOUND');
  await assertLoadFails(path.join(dir, 'nope', 'deeper.onnx'), 'E_FILE_NOT_FOUND');
  await assertLoadFails(dir, 'E_IS_DIRECTORY');
  fs.writeFileSync(path.join(dir, 'empty.onnx'), '');
  await assertLoadFails(path.join(dir, 'empty.onnx'), 'E_NOT_ONNX');
});

test('files protobuf cannot hold, and files that are not regular files', async (t) => {
  const dir = tempDir(t);
  const huge = path.join(dir, 'huge.onnx');
  fs.closeSync(fs.openSync(huge, 'w'));
  fs.truncateSync(huge, 2 ** 31); // sparse: refused from its size, never read
  await assertLoadFails(huge, 'E_MODEL_TOO_LARGE');
  if (fs.existsSync('/dev/null')) await assertLoadFails('/dev/null', 'E_NOT_ONNX');
});

test('truncated models are reported as truncated', async (t) => {
  const dir = tempDir(t);
  const cuts = [1, 2, 3, 10, 40, realModel.length >> 1, realModel.length - 100, realModel.length - 1];
  for (const cut of cuts) {
    const file = path.join(dir, `cut${cut}.onnx`);
    fs.writeFileSync(file, realModel.subarray(0, cut));
    await assertLoadFails(file, 'E_MODEL_TRUNCATED');
  }
});

test('a truncated real fixture model is reported as truncated', { skip: skipNoShared }, async (t) => {
  const dir = tempDir(t);
  const bytes = fs.readFileSync(shared('onnx-backend', 'light', 'light_squeezenet.onnx'));
  for (const fraction of [0.001, 0.1, 0.25, 0.5, 0.75, 0.999]) {
    const file = path.join(dir, `squeezenet_${fraction}.onnx`);
    fs.writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length * fraction)));
    await assertLoadFails(file, 'E_MODEL_TRUNCATED');
  }
});

test('random bytes and text are not ONNX', async (t) => {
  const dir = tempDir(t);
  let x = 12345;
  const random = Buffer.alloc(4096);
  for (let i = 0; i < random.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    random[i] = x >>> 24;
  }
  fs.writeFileSync(path.join(dir, 'random.onnx'), random);
  await assertLoadFails(path.join(dir, 'random.onnx'), 'E_NOT_ONNX');
  fs.writeFileSync(path.join(dir, 'readme.onnx'), 'This is a text file, not a model.\nSecond line.\n');
  await assertLoadFails(path.join(dir, 'readme.onnx'), 'E_NOT_ONNX');
  fs.writeFileSync(path.join(dir, 'json.onnx'), JSON.stringify({ ir_version: 8, graph: {} }));
  await assertLoadFails(path.join(dir, 'json.onnx'), 'E_NOT_ONNX');
  // A valid protobuf message that is not a model: a TensorProto test-data file.
  fs.writeFileSync(path.join(dir, 'tensor.onnx'), Buffer.from([0x08, 0x02, 0x10, 0x01, 0x4a, 0x00]));
  await assertLoadFails(path.join(dir, 'tensor.onnx'), 'E_MODEL_TRUNCATED');
});

test('bytes input errors name the given source', async () => {
  await assert.rejects(loadModel(new Uint8Array(0), { name: 'upload' }), (e: unknown) =>
    e instanceof BrainsmithError && e.code === 'E_NOT_ONNX' && e.message.startsWith('upload:'));
  await assert.rejects(loadModel(realModel.subarray(0, 50)), (e: unknown) =>
    e instanceof BrainsmithError && e.code === 'E_MODEL_TRUNCATED' && e.message.startsWith('model bytes:'));
  const m = await loadModel(realModel);
  assert.equal(m.proto.graph?.initializer?.[0]?.name, 'w');
});

test('saveModel into a missing folder fails and leaves nothing behind', async (t) => {
  const dir = tempDir(t);
  const model = new Model(modelWithInitializers([rawFloatTensor('w', 4096)]));
  for (const opts of [{}, { externalData: true }]) {
    await assert.rejects(saveModel(model, path.join(dir, 'missing', 'm.onnx'), opts), (e: unknown) =>
      e instanceof BrainsmithError && e.code === 'E_SAVE_DIR_NOT_FOUND' && e.message.includes(path.join(dir, 'missing')));
  }
  assert.deepEqual(fs.readdirSync(dir), []);
});

test('a failed save removes its temporary files', async (t) => {
  const dir = tempDir(t);
  fs.mkdirSync(path.join(dir, 'taken.onnx')); // renaming a file over a folder fails
  const model = new Model(modelWithInitializers([rawFloatTensor('w', 4096)]));
  for (const opts of [{}, { externalData: true }]) {
    await assert.rejects(saveModel(model, path.join(dir, 'taken.onnx'), opts), (e: unknown) =>
      e instanceof BrainsmithError && e.code === 'E_SAVE_FAILED' && e.message.includes('taken.onnx'));
    assert.deepEqual(fs.readdirSync(dir), ['taken.onnx']);
  }
  // A data file that was already there is put back when the model cannot be placed.
  fs.writeFileSync(path.join(dir, 'taken.onnx.data'), 'old');
  await assert.rejects(saveModel(model, path.join(dir, 'taken.onnx'), { externalData: true }), BrainsmithError);
  assert.deepEqual(fs.readdirSync(dir).sort(), ['taken.onnx', 'taken.onnx.data']);
  assert.equal(fs.readFileSync(path.join(dir, 'taken.onnx.data'), 'utf8'), 'old');
});
