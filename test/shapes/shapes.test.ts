import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph } from '../../src/ir/graph.js';
import { makeValueInfo, type Dim } from '../../src/ir/shape.js';
import type { GraphProto, NodeProto } from '../../src/onnx/proto-types.js';
import { builtinShapeOps } from '../../src/shapes/index.js';
import { inferShapes, type ShapeResolver } from '../../src/rewrite.js';
import { ElemType } from '../../src/tensor/element-type.js';
import { makeTensor, tensorToProto } from '../../src/tensor/tensor-value.js';

const F = ElemType.FLOAT;
const QONNX = 'qonnx.custom_op.general';
const ints = (name: string, v: number[]) => ({ name, type: 7, ints: v });
const int = (name: string, v: number) => ({ name, type: 2, i: v });
const str = (name: string, v: string) => ({ name, type: 3, s: new TextEncoder().encode(v) });
const i64 = (name: string, v: number[], dims = [v.length]) =>
  tensorToProto(makeTensor(ElemType.INT64, dims, BigInt64Array.from(v, (x) => BigInt(x))), name);
const f32 = (name: string, dims: number[]) => tensorToProto(makeTensor(F, dims, new Float32Array(dims.reduce((a, b) => a * b, 1))), name);

function graph(nodes: NodeProto[], inputs: [string, Dim[]][], extra: Partial<GraphProto> = {}): Graph {
  return Graph.fromProto({ name: 'g', node: nodes, input: inputs.map(([n, s]) => makeValueInfo(n, F, s)), output: [], ...extra });
}

const opsets = new Map([['', 13], [QONNX, 1]]);

test('conv, pool, flatten and gemm shapes', () => {
  const g = graph([
    { op_type: 'Conv', input: ['x', 'w'], output: ['c'], attribute: [ints('pads', [1, 1, 1, 1]), ints('strides', [2, 2])] },
    { op_type: 'MaxPool', input: ['c'], output: ['p'], attribute: [ints('kernel_shape', [3, 3]), ints('strides', [2, 2]), int('ceil_mode', 1)] },
    { op_type: 'GlobalAveragePool', input: ['p'], output: ['ga'] },
    { op_type: 'Flatten', input: ['ga'], output: ['fl'] },
    { op_type: 'Gemm', input: ['fl', 'fw'], output: ['y'], attribute: [int('transB', 1)] },
  ], [['x', ['N', 3, 32, 32]]], { initializer: [f32('w', [16, 3, 3, 3]), f32('fw', [10, 16])] });
  const r = inferShapes(g, { opsets });
  assert.deepEqual(r.unknownOps, []);
  assert.deepEqual(g.getShape('c'), ['N', 16, 16, 16]);
  assert.deepEqual(g.getShape('p'), ['N', 16, 8, 8]);
  assert.deepEqual(g.getShape('ga'), ['N', 16, 1, 1]);
  assert.deepEqual(g.getShape('fl'), ['?', 16]);
  assert.deepEqual(g.getShape('y'), ['?', 10]);
  assert.equal(g.getElemType('y'), F);
});

test('value-dependent shapes: Shape → Gather → Unsqueeze → Concat → Reshape, and a constant Reshape target', () => {
  const g = graph([
    { op_type: 'Shape', input: ['x'], output: ['s'] },
    { op_type: 'Gather', input: ['s', 'zero'], output: ['n'], attribute: [int('axis', 0)] },
    { op_type: 'Unsqueeze', input: ['n', 'axes'], output: ['n1'] },
    { op_type: 'Concat', input: ['n1', 'minus1'], output: ['target'], attribute: [int('axis', 0)] },
    { op_type: 'Reshape', input: ['x', 'target'], output: ['r'] },
    { op_type: 'Reshape', input: ['r', 'fixed'], output: ['r2'] },
  ], [['x', [4, 1, 28, 28]]], { initializer: [i64('zero', [0], []), i64('axes', [0]), i64('minus1', [-1]), i64('fixed', [0, 2, -1])] });
  inferShapes(g, { opsets });
  assert.deepEqual(g.getShape('s'), [4]);
  assert.equal(g.getElemType('s'), ElemType.INT64);
  assert.deepEqual(g.getShape('n1'), [1]);
  assert.deepEqual(g.getShape('r'), [4, 784]);
  assert.deepEqual(g.getShape('r2'), [4, 2, 392]);
});

test('opset-dependent forms: Squeeze/Unsqueeze axes as attribute (opset 11) and TopK k as attribute (opset 9)', () => {
  const g = graph([
    { op_type: 'Unsqueeze', input: ['x'], output: ['u'], attribute: [ints('axes', [0, 3])] },
    { op_type: 'Squeeze', input: ['u'], output: ['s'], attribute: [ints('axes', [0])] },
    { op_type: 'TopK', input: ['s'], output: ['v', 'i'], attribute: [int('k', 2)] },
  ], [['x', [3, 5]]]);
  inferShapes(g, { opsets: new Map([['', 9]]) });
  assert.deepEqual(g.getShape('u'), [1, 3, 5, 1]);
  assert.deepEqual(g.getShape('s'), [3, 5, 1]);
  assert.deepEqual(g.getShape('v'), [3, 5, 2]);
  assert.equal(g.getElemType('i'), ElemType.INT64);
});

test('QONNX ops: quantizers keep the shape; Im2Col, MaxPoolNHWC, QuantAvgPool2d, XnorPopcountMatMul', () => {
  const q = (op: string, inputs: string[], outputs: string[], attribute: NodeProto['attribute'] = []): NodeProto =>
    ({ op_type: op, domain: QONNX, input: inputs, output: outputs, attribute });
  const g = graph([
    q('Quant', ['x', 's', 'z', 'b'], ['xq']),
    q('BipolarQuant', ['xq', 's'], ['xb']),
    q('Trunc', ['xb', 's', 'z', 'b', 'b'], ['xt']),
    q('MultiThreshold', ['xt', 't'], ['mt'], [str('out_dtype', 'UINT2')]),
    q('Im2Col', ['mt'], ['cols'], [ints('stride', [1, 1]), ints('kernel_size', [3, 3]), ints('pad_amount', [1, 1, 1, 1])]),
    q('MaxPoolNHWC', ['mt'], ['mp'], [ints('kernel_shape', [2, 2]), ints('strides', [2, 2])]),
    q('QuantAvgPool2d', ['xq'], ['ap'], [int('kernel', 2), int('stride', 2), int('ibits', 4), int('obits', 4), int('signed', 1)]),
    q('XnorPopcountMatMul', ['flat', 'w'], ['xp']),
  ], [['x', [1, 8, 8, 3]], ['flat', [5, 27]]], { initializer: [f32('s', []), f32('z', []), f32('b', []), f32('t', [3, 3]), f32('w', [27, 4])] });
  const r = inferShapes(g, { opsets });
  assert.deepEqual(r.unknownOps, []);
  for (const t of ['xq', 'xb', 'xt', 'mt']) assert.deepEqual(g.getShape(t), [1, 8, 8, 3], t);
  assert.deepEqual(g.getShape('cols'), [1, 8, 8, 27]);
  assert.deepEqual(g.getShape('mp'), [1, 4, 4, 3]);
  assert.deepEqual(g.getShape('ap'), [1, 8, 4, 1]); // NCHW by default: dims 2 and 3 pool
  assert.deepEqual(g.getShape('xp'), [5, 4]);
});

test('an unknown op keeps its declaration and inference carries on past it; a resolver can teach it', () => {
  const nodes: NodeProto[] = [
    { op_type: 'MVAU_hls', domain: 'finn.custom_op.fpgadataflow.hls', input: ['x'], output: ['h'], attribute: [int('MH', 7)] },
    { op_type: 'Relu', input: ['h'], output: ['y'] },
    { op_type: 'Mystery', domain: 'acme', input: ['x'], output: ['m'] },
    { op_type: 'Relu', input: ['m'], output: ['m2'] },
  ];
  const g = graph(nodes, [['x', [1, 5]]], { value_info: [makeValueInfo('h', F, [1, 7])] });
  const r = inferShapes(g, { opsets });
  assert.deepEqual(r.unknownOps, ['acme:Mystery', 'finn.custom_op.fpgadataflow.hls:MVAU_hls']);
  assert.deepEqual(g.getShape('y'), [1, 7]);
  assert.equal(g.getShape('m2'), undefined);

  const mystery: ShapeResolver = (node, domain) =>
    domain === 'acme' && node.opType === 'Mystery' ? (ctx) => [{ shape: [...ctx.shape(0)!, 2], elemType: F }] : undefined;
  const g2 = graph(nodes, [['x', [1, 5]]]);
  const r2 = inferShapes(g2, { opsets, resolvers: [mystery] });
  assert.deepEqual(r2.unknownOps, ['finn.custom_op.fpgadataflow.hls:MVAU_hls']);
  assert.deepEqual(g2.getShape('m2'), [1, 5, 2]);
});

test('a rule that fails (shapes that cannot fit) is reported, and the rest is still inferred', () => {
  const g = graph([
    { op_type: 'MatMul', input: ['x', 'w'], output: ['bad'] },
    { op_type: 'Relu', input: ['x'], output: ['ok'] },
  ], [['x', [2, 3]]], { initializer: [f32('w', [4, 5])] });
  const r = inferShapes(g, { opsets });
  assert.equal(r.failures.length, 1);
  assert.match(r.failures[0]!.message, /inner dimensions differ/);
  assert.deepEqual(g.getShape('ok'), [2, 3]);
});

test('inference works on an unsorted graph and a second run writes nothing', () => {
  const g = graph([
    { op_type: 'Relu', input: ['a'], output: ['y'] },
    { op_type: 'Transpose', input: ['x'], output: ['a'], attribute: [ints('perm', [1, 0])] },
  ], [['x', [2, 3]]]);
  assert.equal(inferShapes(g, { opsets }).changed, true);
  assert.deepEqual(g.getShape('y'), [3, 2]);
  assert.equal(inferShapes(g, { opsets }).written, 0);
});

test('the rule tables cover every op of the fixture models (and the QONNX ops)', () => {
  const ops = builtinShapeOps();
  for (const op of ['Mul', 'MatMul', 'BatchNormalization', 'Squeeze', 'Unsqueeze', 'Div', 'Sub', 'Add', 'Reshape', 'TopK', 'Relu', 'Conv',
    'MaxPool', 'Transpose', 'Flatten', 'Concat', 'Gather', 'Pow', 'Shape', 'Gemm', 'Softmax', 'Constant', 'Resize', 'DepthToSpace',
    'ConstantOfShape', 'Dropout', 'LRN', 'AveragePool', 'GlobalAveragePool', 'Sum']) assert.ok(ops.onnx.includes(op), op);
  for (const op of ['Quant', 'BipolarQuant', 'Trunc', 'MultiThreshold', 'Im2Col', 'MaxPoolNHWC', 'XnorPopcountMatMul', 'QuantAvgPool2d', 'FloatQuant']) {
    assert.ok(ops.qonnx.includes(op), op);
  }
});

test('more standard ops: Split, Slice (negative step), Pad, Resize, ConvTranspose, Expand, Tile, ReduceMean, ArgMax, Where, Cast, DepthToSpace', () => {
  const g = graph([
    { op_type: 'Split', input: ['x', 'parts'], output: ['s0', 's1'], attribute: [int('axis', 1)] },
    { op_type: 'Slice', input: ['x', 'st', 'en', 'ax', 'step'], output: ['sl'] },
    { op_type: 'Pad', input: ['x', 'pads'], output: ['pd'] },
    { op_type: 'Resize', input: ['x', '', 'scales'], output: ['rs'] },
    { op_type: 'ConvTranspose', input: ['x', 'wt'], output: ['ct'], attribute: [ints('strides', [2, 2])] },
    { op_type: 'Expand', input: ['v', 'eshape'], output: ['ex'] },
    { op_type: 'Tile', input: ['x', 'reps'], output: ['tl'] },
    { op_type: 'ReduceMean', input: ['x'], output: ['rm'], attribute: [ints('axes', [2, 3]), int('keepdims', 0)] },
    { op_type: 'ArgMax', input: ['x'], output: ['am'], attribute: [int('axis', 1)] },
    { op_type: 'Greater', input: ['x', 'v'], output: ['gt'] },
    { op_type: 'Where', input: ['gt', 'x', 'v'], output: ['wh'] },
    { op_type: 'Cast', input: ['x'], output: ['c16'], attribute: [int('to', ElemType.FLOAT16)] },
    { op_type: 'DepthToSpace', input: ['x'], output: ['d2s'], attribute: [int('blocksize', 2)] },
  ], [['x', [1, 4, 6, 6]], ['v', [6]]], {
    initializer: [i64('parts', [1, 3]), i64('st', [-1]), i64('en', [-100]), i64('ax', [3]), i64('step', [-2]), i64('pads', [0, 0, 1, 2, 0, 0, 3, 4]),
      tensorToProto(makeTensor(F, [4], Float32Array.of(1, 1, 2, 0.5)), 'scales'), f32('wt', [4, 3, 3, 3]), i64('eshape', [2, 1, 6]),
      i64('reps', [1, 2, 1, 1])],
  });
  const r = inferShapes(g, { opsets });
  assert.deepEqual(r.failures, []);
  const expect: Record<string, Dim[]> = {
    s0: [1, 1, 6, 6], s1: [1, 3, 6, 6], sl: [1, 4, 6, 3], pd: [1, 4, 10, 12], rs: [1, 4, 12, 3], ct: [1, 3, 13, 13], ex: [2, 1, 6],
    tl: [1, 8, 6, 6], rm: [1, 4], am: [1, 1, 6, 6], gt: [1, 4, 6, 6], wh: [1, 4, 6, 6], c16: [1, 4, 6, 6], d2s: [1, 1, 12, 12],
  };
  for (const [t, s] of Object.entries(expect)) assert.deepEqual(g.getShape(t), s, t);
  assert.equal(g.getElemType('gt'), ElemType.BOOL);
  assert.equal(g.getElemType('am'), ElemType.INT64);
  assert.equal(g.getElemType('c16'), ElemType.FLOAT16);
});
