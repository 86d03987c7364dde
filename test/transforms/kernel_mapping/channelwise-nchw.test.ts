// Per-channel constants on channels-first (NCHW, NCW) tensors: InferChannelwiseLinearLayer and
// InferThresholdingLayer map them between a Transpose to channels last and one back (FINN's way), and
// AbsorbConsecutiveTransposes cancels the pairs that meet between two kernels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { getInt, getInts, getString, loadModel, saveModel, type Model, type Node } from '../../../src/index.js';
import { attrInts, attrS, buildModel, node } from '../topology/support.js';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/tmp.js';
import { applyAll, assertSameOutputs, cloneModel, histogram, randomTensor, run } from './support.js';

const Q = 'qonnx.custom_op.general';
const INFER = ['InferDataLayouts', 'InferThresholdingLayer', 'InferChannelwiseLinearLayer'];

/**
 * x (float, channels first) → MultiThreshold (UINT2) → Mul by a per-channel constant → Add of one → a second
 * MultiThreshold (UINT2), with `pool` a 2×2 MaxPool before it (so that streamlining cannot absorb the Add into
 * it). `constShape` is the constants' shape (per channel: (1,C,1,1), (C,1,1), (1,C,1)…).
 */
function chain(shape: number[], constShape: number[], mul = [2, -1, 3], add = [1, -2, 0], pool = false): Model {
  const steps = [[0, 1, 2], [-1, 0, 1], [-2, 0, 2]];
  const t2 = [[-2, 1, 4], [-3, -1, 0], [0, 3, 6]];
  const pooled = pool ? [shape[0]!, shape[1]!, shape[2]! / 2, shape[3]! / 2] : shape;
  const m = buildModel({
    inputs: [['x', shape]],
    outputs: [['y', pooled]],
    nodes: [
      node('MultiThreshold', ['x', 't1'], ['a'], [attrS('out_dtype', 'UINT2')], Q),
      node('Mul', ['a', 'p'], ['b']),
      node('Add', ['b', 'q'], ['c']),
      ...(pool ? [node('MaxPool', ['c'], ['d'], [attrInts('kernel_shape', [2, 2]), attrInts('strides', [2, 2])])] : []),
      node('MultiThreshold', [pool ? 'd' : 'c', 't2'], ['y'], [attrS('out_dtype', 'UINT2')], Q),
    ],
    inits: {
      t1: { dims: [3, 3], data: steps.flat() },
      p: { dims: constShape, data: mul, datatype: 'INT3' },
      q: { dims: constShape, data: add, datatype: 'INT3' },
      t2: { dims: [3, 3], data: t2.flat() },
    },
    valueInfo: [['a', shape], ['b', shape], ['c', shape], ...(pool ? [['d', pooled] as [string, number[]]] : [])],
  });
  if (pool) m.graph.setDatatypeName('d', 'INT5');
  // UINT2 · [-1, 3] spans [-3, 9]; plus [-2, 1] spans [-5, 10].
  for (const [t, dt] of [['a', 'UINT2'], ['b', 'INT5'], ['c', 'INT5'], ['y', 'UINT2']] as const) m.graph.setDatatypeName(t, dt);
  return m;
}

async function sameOutputs(a: Model, b: Model, shape: number[], what: string): Promise<void> {
  for (let seed = 1; seed <= 3; seed++) {
    const x = randomTensor(shape, seed, -3, 4, true);
    assertSameOutputs(await run(a, { x }), await run(b, { x }), `${what} seed ${seed}`);
  }
}

const perm = (n: Node | undefined): number[] | undefined => (n?.opType === 'Transpose' ? getInts(n, 'perm', []) : undefined);
const layout = (m: Model, t: string): string | undefined => m.graph.getTensorLayout(t)?.join('');

/** The graph as a chain of op types from the input (each node has one reader here). */
function chainOf(m: Model): string[] {
  const ops: string[] = [];
  let t = m.graph.inputNames()[0]!;
  for (;;) {
    const [c] = m.graph.consumerNodes(t);
    if (!c) return ops;
    ops.push(c.opType === 'ChannelwiseOp' ? `ChannelwiseOp:${getString(c, 'Func')}` : c.opType);
    t = c.outputs[0]!;
  }
}

test('NCHW (1,C,1,1) Mul/Add → ChannelwiseOp between NCHW→NHWC and back Transposes; the pairs between kernels cancel', async () => {
  const shape = [1, 3, 4, 4];
  const model = chain(shape, [1, 3, 1, 1]);
  const original = cloneModel(model);
  assert.deepEqual(await applyAll(model, INFER), INFER);
  assert.equal(layout(model, 'a'), 'NCHW');
  const g = model.graph;
  const cw = g.nodesByOpType('ChannelwiseOp');
  assert.equal(cw.length, 2);
  for (const k of cw) {
    assert.deepEqual(perm(g.producer(k.inputs[0]!)), [0, 2, 3, 1], `${k.name} reads an NCHW→NHWC Transpose`);
    assert.deepEqual(g.consumerNodes(k.outputs[0]!).map(perm), [[0, 3, 1, 2]], `${k.name} feeds an NHWC→NCHW Transpose`);
    assert.equal(layout(model, k.inputs[0]!), 'NHWC');
    assert.equal(layout(model, k.outputs[0]!), 'NHWC');
    assert.deepEqual(g.getShape(k.outputs[0]!), [1, 4, 4, 3]);
    assert.equal(getInt(k, 'NumChannels'), 3);
    assert.deepEqual(getInts(k, 'numInputVectors', []), [1, 4, 4]);
  }
  const [mul, add] = cw;
  assert.equal(getString(mul!, 'Func'), 'mul');
  assert.deepEqual(Array.from(g.getInitializer(mul!.inputs[1]!)!.dims ?? [], Number), [3]);
  assert.equal(getString(mul!, 'outputDataType'), 'INT5');
  assert.equal(getString(add!, 'outputDataType'), 'INT6', 'INT5 plus [-2, 1] spans [-18, 16]');
  assert.equal(layout(model, 'b'), 'NCHW', 'the NCHW tensor between the pair keeps its layout');
  await sameOutputs(original, model, shape, 'wrapped');

  await applyAll(model, ['AbsorbConsecutiveTransposes']);
  assert.deepEqual(chainOf(model), ['Transpose', 'Thresholding', 'ChannelwiseOp:mul', 'ChannelwiseOp:add', 'Thresholding', 'Transpose']);
  await sameOutputs(original, model, shape, 'transposes cancelled');
});

test('a (C,1,1) constant (right-aligned broadcast) is per channel too', async () => {
  const shape = [1, 3, 4, 4];
  const model = chain(shape, [3, 1, 1]);
  const original = cloneModel(model);
  await applyAll(model, [...INFER, 'AbsorbConsecutiveTransposes']);
  assert.deepEqual(histogram(model), { Transpose: 2, Thresholding: 2, ChannelwiseOp: 2 });
  await sameOutputs(original, model, shape, '(C,1,1)');
});

test('3-D NCW: (1,C,1) constants and NCW MultiThresholds go channels last with [0,2,1] Transposes', async () => {
  const shape = [1, 3, 5];
  const model = chain(shape, [1, 3, 1]);
  const original = cloneModel(model);
  await applyAll(model, INFER);
  assert.equal(layout(model, 'a'), 'NCW');
  for (const k of model.graph.nodesByOpType('ChannelwiseOp')) {
    assert.deepEqual(perm(model.graph.producer(k.inputs[0]!)), [0, 2, 1]);
    assert.equal(layout(model, k.inputs[0]!), 'NWC');
    assert.deepEqual(getInts(k, 'numInputVectors', []), [1, 5]);
  }
  await sameOutputs(original, model, shape, 'NCW wrapped');
  await applyAll(model, ['AbsorbConsecutiveTransposes']);
  assert.deepEqual(chainOf(model), ['Transpose', 'Thresholding', 'ChannelwiseOp:mul', 'ChannelwiseOp:add', 'Thresholding', 'Transpose']);
  await sameOutputs(original, model, shape, 'NCW cancelled');
});

test('an NHWC tensor with a (1,1,1,C) constant maps directly, without Transposes', async () => {
  const shape = [1, 4, 4, 3];
  const model = chain(shape, [1, 1, 1, 3]);
  for (const mt of model.graph.nodesByOpType('MultiThreshold')) mt.proto.attribute!.push(attrS('data_layout', 'NHWC'));
  const original = cloneModel(model);
  await applyAll(model, INFER);
  assert.equal(layout(model, 'a'), 'NHWC');
  assert.deepEqual(histogram(model), { Thresholding: 2, ChannelwiseOp: 2 });
  await sameOutputs(original, model, shape, 'NHWC');
});

test('scalar and last-axis constants on NCHW tensors stay one kernel without Transposes', async () => {
  const shape = [1, 3, 4, 4];
  const model = chain(shape, [1, 1, 1, 4], [2, -1, 3, 1], [1, -2, 0, 1]);
  model.graph.setDatatypeName('y', 'UINT2');
  await applyAll(model, ['InferDataLayouts', 'InferChannelwiseLinearLayer']);
  assert.deepEqual(histogram(model), { MultiThreshold: 2, ChannelwiseOp: 2 });
  const scalar = chain(shape, [], [3], [-1]);
  const original = cloneModel(scalar);
  await applyAll(scalar, ['InferDataLayouts', 'InferChannelwiseLinearLayer']);
  assert.deepEqual(histogram(scalar), { MultiThreshold: 2, ChannelwiseOp: 2 });
  await sameOutputs(original, scalar, shape, 'scalar');
});

test('left alone: a per-axis-1 constant on an NHWC or unannotated tensor', async () => {
  const nhwc = chain([1, 3, 4, 4], [1, 3, 1, 1]);
  await applyAll(nhwc, ['InferDataLayouts']);
  for (const t of ['a', 'b']) nhwc.graph.setTensorLayout(t, ['N', 'H', 'W', 'C']);
  assert.deepEqual(await applyAll(nhwc, ['InferChannelwiseLinearLayer']), []);
  const bare = chain([1, 3, 4, 4], [1, 3, 1, 1]);
  assert.deepEqual(await applyAll(bare, ['InferChannelwiseLinearLayer']), [], 'no tensor_layout annotation');
});

test('brainsmith compile --verify: the kernels run channels last, one Transpose on each end stays on the host', async () => {
  const dir = tempDir('bs-cw-nchw-');
  const file = path.join(dir, 'nchw.onnx');
  await saveModel(chain([1, 3, 4, 4], [1, 3, 1, 1], [2, -1, 3], [1, -2, 0], true), file);
  const out = path.join(dir, 'out');
  const r = runCli(['compile', file, '-o', out, '--target-fps', '1000000', '--verify', '--json', '--log-level', 'warn'], { cwd: dir, env: { HOME: dir, BRAINSMITH_PLUGIN_PATH: '' } });
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout) as { verification?: { ok: boolean; stages: number }; estimate: { hostNodes: { name: string; opType: string }[] } };
  assert.equal(s.verification?.ok, true);
  assert.equal(s.verification?.stages, 4, 'every stage verified');
  // The float image's NCHW→NHWC Transpose and the NHWC→NCHW one before the graph output.
  assert.deepEqual(s.estimate.hostNodes.map((h) => h.opType), ['Transpose', 'Transpose'], JSON.stringify(s.estimate.hostNodes));
  const m = await loadModel(path.join(out, 'model.onnx'));
  const g = m.graph;
  assert.deepEqual(perm(g.consumerNodes(g.inputNames()[0]!)[0]), [0, 2, 3, 1], 'the input is transposed first');
  assert.deepEqual(perm(g.producer(g.outputNames()[0]!)), [0, 3, 1, 2], 'the output is transposed last');
  // FactorOutMulSignMagnitude splits the mixed-sign Mul in two (sign, magnitude); the Add stays (a MaxPool, not
  // a MultiThreshold, reads it); every ChannelwiseOp streams NHWC straight from the kernel before it.
  const cw = g.nodeList().filter((n) => n.opType.startsWith('ChannelwiseOp'));
  assert.deepEqual(cw.map((n) => getString(n, 'Func')), ['mul', 'mul', 'add']);
  for (const k of cw) assert.equal(layout(m, k.outputs[0]!), 'NHWC', k.name);
  assert.equal(g.nodeList().filter((n) => n.opType === 'Transpose').length, 2, 'no Transpose between kernels');
});

test('brainsmith compile --verify: an integer output scale after the last layer joins the partition before the output Transpose', async () => {
  // An NCHW MultiThreshold (mapped channels last between Transposes), then the network's output scale ×2: the
  // scalar Mul becomes a ChannelwiseOp on the kernel's side of the Transpose back to NCHW (after it, the host
  // Transpose would split the dataflow partition).
  const dir = tempDir('bs-cw-tail-');
  const m = buildModel({
    inputs: [['x', [1, 3, 4, 4], 'UINT4']],
    outputs: [['y', [1, 3, 4, 4]]],
    nodes: [
      node('MultiThreshold', ['x', 't0'], ['a'], [attrS('out_dtype', 'UINT2')], Q),
      node('Mul', ['a', 's'], ['y']),
    ],
    inits: { t0: { dims: [3, 3], data: [2, 6, 11, 1, 4, 9, 3, 7, 12] }, s: { dims: [], data: [2] } },
  });
  const file = path.join(dir, 'tail.onnx');
  await saveModel(m, file);
  const r = runCli(['compile', file, '-o', path.join(dir, 'out'), '--target-fps', '1000000', '--verify', '--json', '--log-level', 'warn'], { cwd: dir, env: { HOME: dir, BRAINSMITH_PLUGIN_PATH: '' } });
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout) as { verification?: { ok: boolean }; estimate: { nodes: { kernel: string }[]; hostNodes: { opType: string }[] } };
  assert.equal(s.verification?.ok, true);
  assert.ok(s.estimate.nodes.some((n) => n.kernel === 'ChannelwiseOp'), JSON.stringify(s.estimate.nodes));
  assert.ok(s.estimate.hostNodes.every((h) => h.opType === 'Transpose'), JSON.stringify(s.estimate.hostNodes));
});
