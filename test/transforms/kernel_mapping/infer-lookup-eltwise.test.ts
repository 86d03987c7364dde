// InferLookupLayer and InferStreamingEltwise on small integer models built here: an embedding (UINT4 indices
// → Gather from a 16×4 INT8-valued table → integer MatMul) and the difference of two integer branches of a
// MultiThreshold-quantized input (Sub, and Sub→Abs). Outputs must stay bit-identical through kernel execution
// and through `brainsmith compile --verify`, whose estimates name the new kernels with FINN's cycle formulas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ElemType, Model, getInt, getInts, getString, makeTensor, saveModel, tensorToProto, type NodeProto, type TensorValue } from '../../../src/index.js';
import { makeValueInfo } from '../../../src/ir/shape.js';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/tmp.js';
import { attrI, attrS, node } from '../topology/support.js';
import { applyAll, assertSameOutputs, cloneModel, histogram, randomTensor, run } from './support.js';

const QONNX = 'qonnx.custom_op.general';

interface Tensor { dims: number[]; data: number[]; datatype?: string }

/**
 * A one-graph model (inputs with their element type and datatype, float-container initializers), with shapes
 * and datatypes inferred as the cleanup stage does before kernel mapping.
 */
async function build(spec: {
  inputs: [string, number[], number, string][];
  outputs: [string, number[]][];
  nodes: NodeProto[];
  inits: Record<string, Tensor>;
}): Promise<Model> {
  const m = new Model({
    ir_version: 8,
    opset_import: [{ domain: '', version: 13 }, { domain: QONNX, version: 1 }],
    graph: {
      name: 'g',
      node: spec.nodes,
      initializer: Object.entries(spec.inits).map(([n, t]) => tensorToProto(makeTensor(ElemType.FLOAT, t.dims, Float32Array.from(t.data)), n)),
      input: spec.inputs.map(([n, s, et]) => makeValueInfo(n, et, s)),
      output: spec.outputs.map(([n, s]) => makeValueInfo(n, ElemType.FLOAT, s)),
    },
  });
  for (const [n, , , dt] of spec.inputs) m.graph.setDatatypeName(n, dt);
  for (const [n, t] of Object.entries(spec.inits)) if (t.datatype) m.graph.setDatatypeName(n, t.datatype);
  await applyAll(m, ['InferShapes', 'InferDataTypes']);
  return m;
}

/** 16 rows of 4 values spanning INT8 (−128 … 127). */
const TABLE = Array.from({ length: 64 }, (_, i) => ((i * 37) % 256) - 128);

/** idx UINT4 [1,8] → Gather(table 16×4) → e [1,8,4] → MatMul(e, W INT2 4×3) → y [1,8,3]. */
function embedding(table: Tensor = { dims: [16, 4], data: TABLE, datatype: 'INT8' }, indexType = 'UINT4'): Promise<Model> {
  return build({
    inputs: [['idx', [1, 8], ElemType.INT64, indexType]],
    outputs: [['y', [1, 8, 3]]],
    nodes: [node('Gather', ['table', 'idx'], ['e'], [attrI('axis', 0)]), node('MatMul', ['e', 'w'], ['y'])],
    inits: { table, w: { dims: [4, 3], data: [1, -2, 0, 1, -1, 1, -2, 0, 1, 1, -1, -2], datatype: 'INT2' } },
  });
}

/** Channels-last stream shape of the difference models: not a [N, classes] head, so InsertTopK leaves it. */
const NHWC = [1, 2, 2, 4];

/**
 * x float [1,2,2,4] → MultiThreshold → q UINT3, then a = MultiThreshold(q) UINT2 and b = q + c (c per
 * channel), y = a − b (or |a − b|). With `broadcast`, b is one value per pixel ([1,2,2,1]) and the Sub
 * broadcasts.
 */
async function difference(withAbs: boolean, broadcast = false): Promise<Model> {
  const nhwc = attrS('data_layout', 'NHWC');
  const nodes = [
    node('MultiThreshold', ['x', 't0'], ['q'], [attrS('out_dtype', 'UINT3'), nhwc], QONNX),
    node('MultiThreshold', ['q', 't1'], ['a'], [attrS('out_dtype', 'UINT2'), nhwc], QONNX),
    broadcast ? node('ReduceMax', ['q'], ['b'], [attrI('keepdims', 1), { name: 'axes', type: 7, ints: [3] }]) : node('Add', ['q', 'c'], ['b']),
    node('Sub', ['a', 'b'], [withAbs ? 'd' : 'y']),
  ];
  if (withAbs) nodes.push(node('Abs', ['d'], ['y']));
  const m = await build({
    inputs: [['x', NHWC, ElemType.FLOAT, 'FLOAT32']],
    outputs: [['y', NHWC]],
    nodes,
    inits: {
      t0: { dims: [1, 7], data: [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5] },
      t1: { dims: [1, 3], data: [1, 3, 5] },
      c: { dims: [4], data: [0, 2, -1, 1] },
    },
  });
  // InferDataTypes has no ReduceMax rule; the maximum of UINT3 values is UINT3, so only the broadcast differs.
  if (broadcast) m.graph.setDatatypeName('b', 'UINT3');
  return m;
}

function indices(seed: number): TensorValue {
  const r = randomTensor([1, 8], seed, 0, 16, true);
  return makeTensor(ElemType.INT64, [1, 8], BigInt64Array.from(r.data as Float32Array, (v) => BigInt(v)));
}

async function sameOutputs(a: Model, b: Model, feed: (seed: number) => Record<string, TensorValue>, what: string): Promise<void> {
  for (let seed = 1; seed <= 3; seed++) assertSameOutputs(await run(a, feed(seed)), await run(b, feed(seed)), `${what} seed ${seed}`);
}

const idxFeed = (seed: number) => ({ idx: indices(seed) });
const xFeed = (seed: number) => ({ x: randomTensor(NHWC, seed, -5, 5) });

test('Gather from a constant INT8 table by UINT4 indices → Lookup (indices input 0, table input 1)', async () => {
  const model = await embedding();
  const original = cloneModel(model);
  assert.deepEqual(await applyAll(model, ['InferQuantizedMatrixVectorActivation', 'InferLookupLayer']), ['InferQuantizedMatrixVectorActivation', 'InferLookupLayer']);
  assert.deepEqual(histogram(model), { Lookup: 1, MVAU: 1 });
  const [lookup] = model.graph.nodesByOpType('Lookup');
  assert.deepEqual(lookup!.inputs, ['idx', 'table']);
  assert.deepEqual(lookup!.outputs, ['e']);
  assert.equal(getInt(lookup!, 'NumEmbeddings'), 16);
  assert.equal(getInt(lookup!, 'EmbeddingDim'), 4);
  assert.equal(getString(lookup!, 'EmbeddingType'), 'INT8');
  assert.equal(getString(lookup!, 'InputType'), 'UINT4');
  assert.deepEqual(getInts(lookup!, 'InputShape'), [1, 8]);
  assert.equal(model.graph.getDatatypeName('e'), 'INT8');
  await sameOutputs(original, model, idxFeed, 'lookup');
  await applyAll(model, ['SpecializeLayers', 'GiveUniqueNodeNames']);
  assert.deepEqual(histogram(model), { Lookup_hls: 1, MVAU_hls: 1 }, 'Lookup has only an hls backend');
  assert.ok(model.graph.findNode('Lookup_hls_0'));
  await sameOutputs(original, model, idxFeed, 'specialized');
});

test('an unannotated table: EmbeddingType is the smallest integer type of its values', async () => {
  const model = await embedding({ dims: [16, 4], data: TABLE.map((v) => (v + 128) >> 4) });
  const original = cloneModel(model);
  assert.deepEqual(await applyAll(model, ['InferLookupLayer']), ['InferLookupLayer']);
  const [lookup] = model.graph.nodesByOpType('Lookup');
  assert.equal(getString(lookup!, 'EmbeddingType'), 'UINT4', 'values 0…15');
  assert.equal(model.graph.getDatatypeName('e'), 'UINT4');
  await sameOutputs(original, model, idxFeed, 'unannotated table');
});

test('Gather stays: float-valued table, signed or float indices, dynamic table, another axis', async () => {
  const float = await embedding({ dims: [16, 4], data: TABLE.map((v) => v / 3) });
  assert.deepEqual(await applyAll(float, ['InferLookupLayer']), []);
  assert.deepEqual(await applyAll(await embedding(undefined, 'INT4'), ['InferLookupLayer']), [], 'negative indices count from the end in Gather');
  assert.deepEqual(await applyAll(await embedding(undefined, 'FLOAT32'), ['InferLookupLayer']), []);
  const axis1 = await build({
    inputs: [['idx', [1, 2], ElemType.INT64, 'UINT2']],
    outputs: [['e', [16, 1, 2]]],
    nodes: [node('Gather', ['table', 'idx'], ['e'], [attrI('axis', 1)])],
    inits: { table: { dims: [16, 4], data: TABLE, datatype: 'INT8' } },
  });
  assert.deepEqual(await applyAll(axis1, ['InferLookupLayer']), []);
  const dynamic = await build({
    inputs: [['table', [16, 4], ElemType.FLOAT, 'INT8'], ['idx', [1, 8], ElemType.INT64, 'UINT4']],
    outputs: [['e', [1, 8, 4]]],
    nodes: [node('Gather', ['table', 'idx'], ['e'])],
    inits: {},
  });
  assert.deepEqual(await applyAll(dynamic, ['InferLookupLayer']), []);
  assert.deepEqual(histogram(float), { Gather: 1, MatMul: 1 });
});

test('Sub of two integer streams → StreamingEltwise Sub; Sub→Abs → one StreamingEltwise AbsDiff', async () => {
  for (const [withAbs, op, odt] of [[false, 'Sub', 'INT6'], [true, 'AbsDiff', 'UINT5']] as const) {
    const model = await difference(withAbs);
    const original = cloneModel(model);
    const infer = ['InferThresholdingLayer', 'InferStreamingEltwise', 'InferChannelwiseLinearLayer', 'InferDuplicateStreamsLayer'];
    assert.deepEqual(await applyAll(model, infer), infer);
    assert.deepEqual(histogram(model), { Thresholding: 2, StreamingEltwise: 1, ChannelwiseOp: 1, DuplicateStreams: 1 });
    const [se] = model.graph.nodesByOpType('StreamingEltwise');
    assert.deepEqual(se!.inputs, ['a', 'b']);
    assert.deepEqual(se!.outputs, ['y']);
    assert.equal(getString(se!, 'eltwiseOp'), op);
    assert.equal(getInt(se!, 'NumChannels'), 4);
    assert.equal(getInt(se!, 'PE'), 1);
    assert.deepEqual(getInts(se!, 'numInputVectors'), [1, 2, 2]);
    assert.deepEqual([getString(se!, 'inputDataType0'), getString(se!, 'inputDataType1')], ['UINT2', 'INT5']);
    // a ∈ [0, 3] (UINT2), b = q + c ∈ [−1, 9] (INT5, [−16, 15]): a − b ∈ [−15, 19]; |a − b| ∈ [0, 19].
    assert.equal(model.graph.getDatatypeName('y'), odt);
    if (withAbs) assert.equal(model.graph.getShape('d'), undefined, 'the Sub→Abs intermediate is gone');
    await sameOutputs(original, model, xFeed, op);
    await applyAll(model, ['SortGraph', 'SpecializeLayers', 'GiveUniqueNodeNames']);
    assert.equal(histogram(model).StreamingEltwise_hls, 1, 'StreamingEltwise has only an hls backend');
    assert.ok(model.graph.findNode('StreamingEltwise_hls_0'));
    await sameOutputs(original, model, xFeed, `${op} specialized`);
  }
});

test('Sub stays: broadcasting, a constant operand, float inputs; an Abs with another reader of the Sub is not absorbed', async () => {
  const broadcast = await difference(false, true);
  assert.deepEqual(broadcast.graph.getShape('b'), [1, 2, 2, 1]);
  assert.deepEqual(await applyAll(broadcast, ['InferStreamingEltwise']), []);
  assert.equal(histogram(broadcast).Sub, 1);
  const constant = await build({
    inputs: [['x', [1, 8], ElemType.FLOAT, 'INT4']],
    outputs: [['y', [1, 8]]],
    nodes: [node('Sub', ['x', 'c'], ['y'])],
    inits: { c: { dims: [1, 8], data: [1, 2, 3, 4, 5, 6, 7, 8] } },
  });
  assert.deepEqual(await applyAll(constant, ['InferStreamingEltwise']), []);
  const float = await build({
    inputs: [['x0', [1, 8], ElemType.FLOAT, 'FLOAT32'], ['x1', [1, 8], ElemType.FLOAT, 'INT4']],
    outputs: [['y', [1, 8]]],
    nodes: [node('Sub', ['x0', 'x1'], ['y'])],
    inits: {},
  });
  assert.deepEqual(await applyAll(float, ['InferStreamingEltwise']), []);
  // d is also a graph output: the Sub maps alone and the Abs stays.
  const shared = await build({
    inputs: [['x0', [1, 8], ElemType.FLOAT, 'INT4'], ['x1', [1, 8], ElemType.FLOAT, 'INT4']],
    outputs: [['d', [1, 8]], ['y', [1, 8]]],
    nodes: [node('Sub', ['x0', 'x1'], ['d']), node('Abs', ['d'], ['y'])],
    inits: {},
  });
  const original = cloneModel(shared);
  assert.deepEqual(await applyAll(shared, ['InferStreamingEltwise']), ['InferStreamingEltwise']);
  assert.deepEqual(histogram(shared), { StreamingEltwise: 1, Abs: 1 });
  assert.equal(getString(shared.graph.nodesByOpType('StreamingEltwise')[0]!, 'eltwiseOp'), 'Sub');
  const feed = (seed: number) => ({ x0: randomTensor([1, 8], seed, -8, 8, true), x1: randomTensor([1, 8], seed + 7, -8, 8, true) });
  await sameOutputs(original, shared, feed, 'Sub with two readers');
});

interface Summary {
  verification?: { ok: boolean; stages: number };
  estimate: {
    nodes: { name: string; kernel: string; cycles: number; parallelism: Record<string, number> }[];
    hostNodes: { name: string; opType: string }[];
    performance: { max_cycles: number };
  };
}

/** `brainsmith compile` of a model built here, default blueprint, --verify, folded to `fps` at 10 ns. */
async function compile(model: Model, fps: number): Promise<{ s: Summary; cycles: Record<string, number> }> {
  const dir = tempDir('bs-lookup-eltwise-');
  const file = path.join(dir, 'model.onnx');
  await saveModel(model, file);
  const out = path.join(dir, 'out');
  const r = runCli(['compile', file, '-o', out, '--verify', '--json', '--log-level', 'warn', '--target-fps', String(fps)], { cwd: dir, env: { HOME: dir, BRAINSMITH_PLUGIN_PATH: '' } });
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout) as Summary;
  assert.equal(s.verification?.ok, true, '--verify passed');
  const cycles = JSON.parse(readFileSync(path.join(out, 'report', 'estimate_layer_cycles.json'), 'utf8')) as Record<string, number>;
  return { s, cycles };
}

test('brainsmith compile --verify: the embedding maps to Lookup_hls_0, cycles = prod(InputShape)', async () => {
  const { s, cycles } = await compile(await embedding(), 1_000_000);
  assert.deepEqual(s.estimate.hostNodes, []);
  const lookup = s.estimate.nodes.find((n) => n.kernel === 'Lookup');
  assert.equal(lookup?.name, 'Lookup_hls_0');
  assert.equal(cycles.Lookup_hls_0, 8, '1·8 indices, one per cycle');
  assert.ok(s.estimate.nodes.some((n) => n.kernel === 'MVAU'));
});

test('brainsmith compile --verify: Sub→Abs maps to StreamingEltwise_hls_0, cycles = prod(folded_out[:-1])', async () => {
  for (const withAbs of [false, true]) {
    // 20 M fps at 10 ns is 5 cycles per frame: the Thresholding/ChannelwiseOp/DuplicateStreams kernels fold.
    const { s, cycles } = await compile(await difference(withAbs), 20_000_000);
    assert.deepEqual(s.estimate.hostNodes, [], `${withAbs ? 'Sub→Abs' : 'Sub'}: everything in the dataflow partition`);
    const se = s.estimate.nodes.find((n) => n.kernel === 'StreamingEltwise');
    assert.equal(se?.name, 'StreamingEltwise_hls_0');
    // folded output [1, 2, 2, 4/PE, PE]: 2·2·4/PE cycles. FINN's SetFolding walks PE for AddStreams,
    // ChannelwiseOp, DuplicateStreams, GlobalAccPool and Thresholding only: StreamingEltwise keeps PE 1.
    assert.equal(se!.parallelism.PE, 1);
    assert.equal(cycles.StreamingEltwise_hls_0, 16);
    assert.equal(s.estimate.performance.max_cycles, 16, 'StreamingEltwise is the bottleneck');
    // Two-pass relaxation: the rerun targets the 16-cycle bottleneck, and FINN accepts a candidate at the
    // target, so Thresholding stays at PE 1 (16 ≤ 16).
    const thr = s.estimate.nodes.filter((n) => n.kernel === 'Thresholding');
    assert.ok(thr.length === 2 && thr.every((n) => n.parallelism.PE === 1 && n.cycles === 16), JSON.stringify(thr));
  }
});
