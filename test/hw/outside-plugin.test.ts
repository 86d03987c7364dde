// Proof that a third party can build a kernel with only the public API: a plugin folder outside kernels/
// (test/fixtures/plugins/abs-kernel) goes through inference, shapes, datatypes, --verify, SetFolding,
// estimates and generate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { pino } from 'pino';
import { ElemType, Model, loadModel, makeNode, makeValueInfo, saveModel, type ModelProto } from '../../src/index.js';
import { compile, openRegistry } from '../../src/host.js';
import { repoRoot } from '../helpers/paths.js';
import { tempDir } from '../helpers/tmp.js';
import { runCli } from '../helpers/cli.js';
import { skipNoIcarus } from '../helpers/sim.js';

const FIXTURE = path.join(repoRoot, 'test', 'fixtures', 'plugins', 'abs-kernel');

/** x (INT4, [1, 16]) → Abs → y: what InferAbsLayer maps to an AbsValue kernel. */
function absModel(): Model {
  const m = new Model({
    ir_version: 8,
    opset_import: [{ domain: '', version: 13 }],
    graph: {
      name: 'abs',
      node: [makeNode({ opType: 'Abs', name: 'Abs_0', inputs: ['x'], outputs: ['y'] })],
      input: [makeValueInfo('x', ElemType.FLOAT, [1, 16])],
      output: [makeValueInfo('y', ElemType.FLOAT, [1, 16])],
    },
  } as unknown as ModelProto);
  m.graph.setDatatypeName('x', 'INT4');
  return m;
}

const BLUEPRINT = `name: with-abs
extends: default
stages:
  kernel_mapping:
    - InferAbsLayer
    - { name: SpecializeLayers, options: { board: "\${board}", part: "\${part}" } }
    - GiveUniqueNodeNames
    - CreateDataflowPartition
`;

test('a kernel from an outside plugin folder compiles end to end with --verify, folding, estimates and generate', async () => {
  const dir = tempDir('bs-outside-');
  mkdirSync(path.join(dir, 'proj'));
  mkdirSync(path.join(dir, 'home'));
  const m = absModel();
  const modelFile = path.join(dir, 'abs.onnx');
  await saveModel(m, modelFile);
  const bp = path.join(dir, 'with-abs.yaml');
  writeFileSync(bp, BLUEPRINT);

  const reg = await openRegistry({ projectDir: path.join(dir, 'proj'), home: path.join(dir, 'home'), pluginPath: FIXTURE });
  const out = path.join(dir, 'out');
  // 16 channels at 10 ns and 30 M frames/s: 3 cycles per frame, so SetFolding must choose PE = 8 (2 cycles).
  const summary = await compile({
    model: modelFile, output: out, config: bp, verify: true, board: 'Pynq-Z2', clockNs: 10, targetFps: 30e6,
    registry: reg, log: pino({ level: 'silent' }), cwd: dir,
  });
  assert.equal(summary.verification?.ok, true);
  assert.deepEqual(summary.opTypes, { 'finn.custom_op.fpgadataflow.rtl:AbsValue_rtl': 1 });

  const final = await loadModel(path.join(out, 'model.onnx'));
  const node = final.graph.nodeList()[0]!;
  assert.equal(node.name, 'AbsValue_rtl_0');
  assert.equal(final.graph.getDatatypeName(node.outputs[0]!), 'UINT4');
  const folding = JSON.parse(readFileSync(path.join(out, 'report', 'auto_folding_config.json'), 'utf8')) as Record<string, { PE?: number }>;
  assert.equal(folding.AbsValue_rtl_0?.PE, 8);
  const cycles = JSON.parse(readFileSync(path.join(out, 'report', 'estimate_layer_cycles.json'), 'utf8')) as Record<string, number>;
  assert.equal(cycles.AbsValue_rtl_0, 2);
  const res = JSON.parse(readFileSync(path.join(out, 'report', 'estimate_layer_resources.json'), 'utf8')) as Record<string, Record<string, number>>;
  assert.equal(res.AbsValue_rtl_0?.LUT, 8 * 4);
  const counts = JSON.parse(readFileSync(path.join(out, 'report', 'op_and_param_counts.json'), 'utf8')) as Record<string, Record<string, number>>;
  assert.equal(counts.AbsValue_rtl_0?.op_abs_4b, 16);

  const [bound] = (await reg.hw.nodes(final)).nodes;
  const g = await bound!.generate();
  assert.ok(g);
  assert.match(g.files['AbsValue_rtl_0.v']!, /abs_lane #\(\.W\(4\)\) lane7/);
  assert.ok(existsSync(bound!.libraryPath(g.libraries![0]!)));
});

test('the CLI runs the outside kernel from BRAINSMITH_PLUGIN_PATH: a blueprint step edit, --prefer rtl --generate, then sim', { skip: skipNoIcarus }, async () => {
  const dir = tempDir('bs-outside-cli-');
  const home = path.join(dir, 'home');
  mkdirSync(home);
  const m = absModel();
  await saveModel(m, path.join(dir, 'abs.onnx'));
  writeFileSync(path.join(dir, 'bp.yaml'), 'name: with-abs\nextends: default\nsteps:\n  - { before: SpecializeLayers, insert: InferAbsLayer }\n');
  const env = { HOME: home, BRAINSMITH_PLUGIN_PATH: FIXTURE };
  const c = runCli(['compile', 'abs.onnx', '-o', 'out', '--config', 'bp.yaml', '--board', 'Pynq-Z2', '--target-fps', '30000000', '--verify', '--prefer', 'rtl', '--generate', '--json'], { cwd: dir, env });
  assert.equal(c.code, 0, c.stderr);
  const summary = JSON.parse(c.stdout) as { verification?: { ok: boolean } };
  assert.equal(summary.verification?.ok, true);
  for (const f of ['AbsValue_rtl_0.v', 'abs_lane.v', 'brainsmith_top.v', 'filelist.f']) assert.ok(existsSync(path.join(dir, 'out', 'hw', f)), f);
  const s = runCli(['sim', 'out', '--frames', '6', '--stall', '0.3', '--simulator', 'icarus', '--json'], { cwd: dir, env });
  assert.equal(s.code, 0, s.stderr);
  const sim = JSON.parse(s.stdout) as { ok: boolean; reference: { ok: boolean; message: string } };
  assert.equal(sim.ok, true);
  assert.equal(sim.reference.ok, true, sim.reference.message);
});
