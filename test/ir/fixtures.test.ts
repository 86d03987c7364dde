import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { loadModel } from '../../src/onnx/load.js';
import { saveModel } from '../../src/onnx/save.js';
import { encodeModelProto } from '../../src/onnx/codec.js';
import { verifyGraph, assertGraphValid } from '../../src/ir/verify.js';
import { makeNode } from '../../src/ir/node.js';
import { getString } from '../../src/ir/attributes.js';
import { classifyNodeDomain } from '../../src/ir/domains.js';
import { shared, skipNoShared, hasShared } from '../helpers/paths.js';
import { indexConsistency } from './support.js';
import { tempDir } from '../helpers/tmp.js';

function fixtureFiles(): string[] {
  if (!hasShared) return [];
  const list = (dir: string): string[] =>
    readdirSync(shared(dir)).filter((f) => f.endsWith('.onnx')).map((f) => shared(dir, f));
  return [
    shared('finn', 'tfc_w1a1', 'model.onnx'),
    shared('finn', 'cybsec_PE_SIMD.onnx'),
    ...list('qonnx-zoo'),
    ...list(path.join('onnx-backend', 'light')),
  ];
}

test('the verifier passes and the indices are consistent on every real fixture', { skip: skipNoShared }, async () => {
  const files = fixtureFiles();
  assert.ok(files.length >= 15, `found ${files.length} fixtures`);
  for (const file of files) {
    const model = await loadModel(file);
    const g = model.graph;
    const errors = verifyGraph(g).filter((f) => f.severity === 'error');
    assert.deepEqual(errors, [], path.basename(file));
    assert.deepEqual(indexConsistency(g), [], path.basename(file));
    assert.equal(g.nodeCount, model.proto.graph!.node!.length);
    assert.equal(g.topologicalSort(), false, `${path.basename(file)} is stored in topological order`);
  }
});

test('an unmodified model is not written back: toProto leaves the proto and its bytes alone', { skip: skipNoShared }, async () => {
  const file = shared('finn', 'tfc_w1a1', 'model.onnx');
  const model = await loadModel(file);
  const before = encodeModelProto(model.proto);
  const nodeArray = model.proto.graph!.node;
  const g = model.graph;
  let writes = 0;
  const realWriteTo = g.writeTo.bind(g);
  g.writeTo = (target) => {
    writes++;
    realWriteTo(target);
  };
  verifyGraph(g);
  g.getDatatypeName('MatMul_0_param0');
  model.toProto();
  assert.equal(writes, 0);
  assert.equal(model.proto.graph!.node, nodeArray);
  assert.deepEqual(encodeModelProto(model.toProto()), before);
});

test('a modify-then-revert edit writes back a graph that encodes to the same bytes and verifies', { skip: skipNoShared }, async () => {
  const file = shared('finn', 'tfc_w1a1', 'model.onnx');
  const model = await loadModel(file);
  const before = encodeModelProto(model.proto);
  const g = model.graph;
  const first = g.firstNode!;
  const input = first.inputs[0]!;
  // Insert an Identity in front of the first node, then take it out again.
  const mid = g.uniqueTensorName('tmp');
  const id = g.insertBefore(first, makeNode({ opType: 'Identity', inputs: [input], outputs: [mid] }));
  g.setInput(first, 0, mid);
  assertGraphValid(g, 'insert');
  g.setInput(first, 0, input);
  g.removeNode(id);
  g.setDatatypeName('MatMul_0_param0', 'INT8');
  g.setDatatypeName('MatMul_0_param0', 'BIPOLAR');
  assert.ok(g.modified);
  const after = encodeModelProto(model.toProto());
  assert.deepEqual(after, before);
  assertGraphValid(model.graph, 'revert');

  // The saved file loads back into a valid, equal graph.
  const dir = tempDir('bs-ir-');
  try {
    const out = path.join(dir, 'model.onnx');
    await saveModel(model, out);
    const back = await loadModel(out);
    assert.deepEqual(verifyGraph(back.graph), verifyGraph(model.graph));
    assert.deepEqual(back.graph.nodeList().map((n) => n.opType), g.nodeList().map((n) => n.opType));
    assert.deepEqual(readFileSync(out), Buffer.from(after));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an edited real model saves and reloads with the edit', { skip: skipNoShared }, async () => {
  const model = await loadModel(shared('qonnx-zoo', 'TFC_2W2A.onnx'));
  const g = model.graph;
  const last = g.lastNode!;
  const out = last.outputs[0]!;
  g.renameTensor(out, 'renamed_output');
  g.setDatatypeName('renamed_output', 'FLOAT32');
  assertGraphValid(g, 'rename');
  const dir = tempDir('bs-ir-');
  try {
    const file = path.join(dir, 'edited.onnx');
    await saveModel(model, file);
    const back = (await loadModel(file)).graph;
    assert.deepEqual(back.outputNames(), ['renamed_output']);
    assert.equal(back.producer('renamed_output')?.opType, last.opType);
    assert.equal(back.getDatatypeName('renamed_output'), 'FLOAT32');
    assert.deepEqual(verifyGraph(back).filter((f) => f.severity === 'error'), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('FINN annotations and node attributes read from real models', { skip: skipNoShared }, async () => {
  const cybsec = (await loadModel(shared('finn', 'cybsec_PE_SIMD.onnx'))).graph;
  assert.equal(cybsec.getDatatypeName('global_in'), 'BIPOLAR');
  assert.deepEqual(cybsec.getTensorLayout('global_in'), ['N', 'C']);
  assert.equal(cybsec.getDatatypeName('MatMul_0_param0'), 'INT2');
  for (const n of cybsec.nodes()) assert.equal(classifyNodeDomain(n), 'finn-hw');

  const tfc = (await loadModel(shared('finn', 'tfc_w1a1', 'model.onnx'))).graph;
  const mt = tfc.nodesByOpType('MultiThreshold');
  assert.equal(mt.length, 4);
  for (const n of mt) {
    assert.equal(classifyNodeDomain(n), 'qonnx');
    assert.match(getString(n, 'out_dtype'), /^(BIPOLAR|INT\d+|UINT\d+)$/);
  }
});
