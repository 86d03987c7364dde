import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { bindInputs, executeBatched } from '../../src/exec/bind-inputs.js';
import { executeModel } from '../../src/exec/execute.js';
import { readNpy, writeNpy } from '../../src/exec/npy.js';
import { loadModel } from '../../src/onnx/load.js';
import { ElemType } from '../../src/tensor/element-type.js';
import { runCli } from '../helpers/cli.js';
import { shared, skipNoShared } from '../helpers/paths.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('bs-exec-');
after(() => rmSync(tmp, { recursive: true, force: true }));
const tfc = shared('finn', 'tfc_w1a1');

test('brainsmith exec on FINN tfc_w1a1 gives exactly the expected labels (batch of 4 on a batch-1 model)', { skip: skipNoShared }, () => {
  const out = path.join(tmp, 'y.npy');
  const r = runCli(['exec', path.join(tfc, 'model.onnx'), '--input', path.join(tfc, 'input.npy'), '--output', out, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const summary = JSON.parse(r.stdout);
  assert.equal(summary.batch, 4);
  assert.deepEqual(summary.delegated, []);
  const got = readNpy(out);
  const want = readNpy(path.join(tfc, 'expected_output.npy'));
  assert.equal(got.elemType, ElemType.INT64);
  assert.equal(want.elemType, ElemType.INT64);
  // The model's output is [1, 1] per image, so the stacked batch is [4, 1]; the golden file holds [4].
  assert.deepEqual(got.dims, [4, 1]);
  assert.deepEqual(Array.from(got.data as BigInt64Array), Array.from(want.data as BigInt64Array));
});

test('exec --expected: the golden pair matches exactly; a wrong label or a wrong shape exits 1 naming the file', { skip: skipNoShared }, () => {
  const golden = path.join(tfc, 'expected_output.npy');
  const ok = runCli(['exec', path.join(tfc, 'model.onnx'), '-i', path.join(tfc, 'input.npy'), '--expected', golden]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /global_out matches .*expected_output\.npy exactly: 4 elements \(shape \[4, 1\] against \[4\]\)/);
  const wrong = path.join(tmp, 'wrong.npy');
  writeNpy(wrong, { elemType: ElemType.INT64, dims: [4], data: BigInt64Array.from([7n, 2n, 1n, 1n]) });
  const bad = runCli(['exec', path.join(tfc, 'model.onnx'), '-i', path.join(tfc, 'input.npy'), '--expected', wrong, '--json']);
  assert.equal(bad.code, 1);
  const summary = JSON.parse(bad.stdout);
  assert.equal(summary.expected[0].ok, false);
  assert.equal(summary.expected[0].mismatches, 1);
  assert.match(bad.stderr, /wrong\.npy: output 'global_out': 1 of 4 elements differ .*index 3: expected 1, got 0/);
  const reshaped = path.join(tmp, 'reshaped.npy');
  writeNpy(reshaped, { elemType: ElemType.INT64, dims: [2, 2], data: BigInt64Array.from([7n, 2n, 1n, 0n]) });
  const shape = runCli(['exec', path.join(tfc, 'model.onnx'), '-i', path.join(tfc, 'input.npy'), '--expected', reshaped]);
  assert.equal(shape.code, 1);
  assert.match(shape.stderr, /has shape \[4, 1\], the expected tensor \[2, 2\]/);
  // Bad --expected arguments fail before running, in one line: an output the model lacks, a missing file.
  const noOutput = runCli(['exec', path.join(tfc, 'model.onnx'), '-i', path.join(tfc, 'input.npy'), '--expected', `logits=${golden}`]);
  assert.equal(noOutput.code, 2);
  assert.match(noOutput.stderr, /^brainsmith: error: --expected logits=.*: the model has no 'logits' output \(outputs: global_out\)\n$/);
  const missing = runCli(['exec', path.join(tfc, 'model.onnx'), '-i', path.join(tfc, 'input.npy'), '--expected', path.join(tmp, 'nope.npy')]);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /^brainsmith: error: .*nope\.npy.*\n$/);
  assert.equal(missing.stdout, '', 'nothing printed for a run that did not happen');
});

test('kwsmlp_w3a3 on the kws golden input: the argmax of the logits is the expected label', { skip: skipNoShared }, async () => {
  const model = await loadModel(shared('qonnx-zoo', 'kwsmlp_w3a3.onnx'));
  const bound = bindInputs(model, [{ value: readNpy(shared('kws', 'input.npy')), source: 'kws/input.npy' }]);
  const r = await executeBatched(model, bound, { fallback: 'none' });
  const logits = Array.from([...r.outputs.values()][0]!.data as Float32Array);
  assert.equal(logits.length, 12);
  const label = Number((readNpy(shared('kws', 'expected_output.npy')).data as BigInt64Array)[0]);
  assert.equal(logits.indexOf(Math.max(...logits)), label);
});

test('text output names each output with dtype, shape and first values', { skip: skipNoShared }, () => {
  const r = runCli(['exec', path.join(tfc, 'model.onnx'), '-i', path.join(tfc, 'input.npy')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^global_out: INT64 \[4, 1\] = \[7, 2, 1, 0\]$/m);
  assert.match(r.stdout, /ran 4 samples in/);
});

test('inputs by name; wrong names, shapes and dtypes are clear usage errors', { skip: skipNoShared }, () => {
  const model = path.join(tfc, 'model.onnx');
  const byName = runCli(['exec', model, '--input', `global_in=${path.join(tfc, 'input.npy')}`, '--json']);
  assert.equal(byName.code, 0, byName.stderr);
  const wrongName = runCli(['exec', model, '--input', `nope=${path.join(tfc, 'input.npy')}`]);
  assert.equal(wrongName.code, 2);
  assert.match(wrongName.stderr, /the model has no input 'nope' \(inputs: global_in\)/);
  const shapeFile = path.join(tmp, 'bad-shape.npy');
  writeNpy(shapeFile, { elemType: ElemType.FLOAT, dims: [1, 784], data: new Float32Array(784) });
  const badShape = runCli(['exec', model, '--input', shapeFile]);
  assert.equal(badShape.code, 2);
  assert.match(badShape.stderr, /bad-shape\.npy: model input 'global_in' has shape \[1, 1, 28, 28\], the file holds \[1, 784\]/);
  const typeFile = path.join(tmp, 'bad-type.npy');
  writeNpy(typeFile, { elemType: ElemType.DOUBLE, dims: [1, 1, 28, 28], data: new Float64Array(784) });
  const badType = runCli(['exec', model, '--input', typeFile]);
  assert.equal(badType.code, 2);
  assert.match(badType.stderr, /model input 'global_in' is FLOAT, the file holds DOUBLE/);
  const missing = runCli(['exec', model]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no tensor given for model input 'global_in'/);
});

test('executeModel keeps intermediates when asked and runs unsorted graphs in dependency order', { skip: skipNoShared }, async () => {
  const model = await loadModel(path.join(tfc, 'model.onnx'));
  const x = readNpy(path.join(tfc, 'input.npy'));
  const one = { elemType: x.elemType, dims: [1, 1, 28, 28], data: (x.data as Float32Array).subarray(0, 784) };
  const r = await executeModel(model, new Map([['global_in', one]]), { keepIntermediates: true });
  assert.ok(r.intermediates!.size > model.graph.nodeCount);
  for (const n of model.graph.nodeList()) for (const o of n.outputs) assert.ok(r.intermediates!.has(o), o);
  // Reverse the node order: the executor must still find a valid order.
  const g = model.graph;
  const nodes = g.nodeList();
  for (const n of nodes) g.removeNode(n);
  for (const n of nodes.reverse()) g.addNode(n.proto);
  const again = await executeModel(model, new Map([['global_in', one]]));
  assert.deepEqual(Array.from(again.outputs.get('global_out')!.data as BigInt64Array), [7n]);
});
