import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { compile } from '../src/pipeline/compile.js';
import { saveModel } from '../src/onnx/save.js';
import { isBrainsmithError } from '../src/errors.js';
import { codegenProject, fixtureModel } from './helpers/codegen-fixture.js';
import { builtinRegistry } from './helpers/transforms.js';
import { shared, skipNoShared } from './helpers/paths.js';
import { tempDir } from './helpers/tmp.js';

const log = pino({ level: 'silent' });

async function fixtureBuild() {
  const { reg, dir } = await codegenProject();
  const model = fixtureModel([
    { op: 'TestPass', name: 'TestPass_0', inputs: ['x'], output: 'a', PE: 2 },
    { op: 'StreamingFIFO', name: 'StreamingFIFO_0', inputs: ['a'], output: 'b', PE: 2 },
    { op: 'TestPass', name: 'TestPass_1', inputs: ['b'], output: 'y', PE: 2 },
  ], ['x'], ['y']);
  const file = path.join(dir, 'chain.onnx');
  await saveModel(model, file);
  writeFileSync(path.join(dir, 'bp.yaml'), 'stages:\n  cleanup: [RemoveIdentityOps]\n');
  return { reg, dir, file, bp: path.join(dir, 'bp.yaml') };
}

test('compile --generate writes hw/ into the build folder, with the top name given', async () => {
  const { reg, dir, file, bp } = await fixtureBuild();
  const out = path.join(dir, 'out');
  const s = await compile({ model: file, output: out, config: bp, registry: reg, log, board: 'Pynq-Z2', generate: true, topName: 'dut_top' });
  assert.ok(s.hardware);
  assert.equal(s.hardware.top, 'dut_top');
  assert.equal(s.hardware.nodes, 3);
  assert.deepEqual(s.hardware.inputs, [{ port: 's_axis_0', tensor: 'x', width: 8 }]);
  assert.deepEqual(s.hardware.outputs, [{ port: 'm_axis_0', tensor: 'y', width: 8 }]);
  const hw = path.join(out, 'hw');
  assert.ok(existsSync(path.join(hw, 'dut_top.v')));
  // filelist.f names the sources where the build folder ended up, not the temporary folder it was written in.
  for (const line of readFileSync(path.join(hw, 'filelist.f'), 'utf8').trim().split('\n')) {
    assert.equal(path.dirname(line), hw);
    assert.ok(existsSync(line), line);
  }
  assert.deepEqual(readdirSync(dir).filter((f) => f.includes('partial')), []);
  const summary = JSON.parse(readFileSync(path.join(out, 'report', 'compile_summary.json'), 'utf8')) as { hardware: { top: string } };
  assert.equal(summary.hardware.top, 'dut_top');
});

test('--top-name without --generate is a usage error; a bad top name too', async () => {
  const { reg, dir, file, bp } = await fixtureBuild();
  await assert.rejects(compile({ model: file, output: path.join(dir, 'o1'), config: bp, registry: reg, log, topName: 'x' }), (e: unknown) => isBrainsmithError(e) && e.kind === 'usage' && /--top-name needs --generate/.test(e.message));
  await assert.rejects(compile({ model: file, output: path.join(dir, 'o2'), config: bp, registry: reg, log, generate: true, topName: 'my top' }), (e: unknown) => isBrainsmithError(e) && e.kind === 'usage');
  assert.equal(existsSync(path.join(dir, 'o2')), false);
});

test('--prefer hls makes every kernel with an hls backend hls; --prefer rtl every kernel with a viable rtl one', { skip: skipNoShared }, async () => {
  const reg = await builtinRegistry();
  const ops = async (prefer: 'hls' | 'rtl') => {
    const out = path.join(tempDir('bs-prefer-'), 'o');
    const s = await compile({ model: shared('labs', 'tfc-w1a1.onnx'), output: out, registry: reg, log, board: 'Pynq-Z2', stopAfter: 'kernel_mapping', prefer });
    return Object.keys(s.opTypes).filter((o) => /_(hls|rtl)$/.test(o)).map((o) => o.split(':').at(-1)!).sort();
  };
  assert.deepEqual(await ops('hls'), ['LabelSelect_hls', 'MVAU_hls', 'Thresholding_hls']);
  const rtl = await ops('rtl');
  assert.ok(rtl.includes('Thresholding_rtl'), rtl.join(', '));
});
