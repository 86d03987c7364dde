import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ElemType, makeTensor, tensorToNumbers, loadModel, Model, type TensorValue, type ModelProto } from '../../src/index.js';
import { seededRandom } from '../../src/util/prng.js';
import mvauKernel from '../../kernels/MVAU/kernel.js';
import thrKernel from '../../kernels/Thresholding/kernel.js';
import labelSelect from '../../kernels/LabelSelect/kernel.js';
import { mvauAttributes } from '../../kernels/MVAU/_model.js';
import { ctx, view } from './support.js';
import { shared, skipNoShared } from '../helpers/paths.js';

const f32 = (dims: number[], data: number[]): TensorValue => makeTensor(ElemType.FLOAT, dims, Float32Array.from(data));
const ints = (rand: () => number, n: number, lo: number, hi: number) => Array.from({ length: n }, () => lo + Math.floor(rand() * (hi - lo + 1)));

/** Straightforward reference: y[v][j] = Σ_i x[v][i]·w[i][j]; then #{t ≤ y} (+ActVal, or 2n−1 for BIPOLAR). */
function reference(x: number[], w: number[], MW: number, MH: number, thr?: number[][], odt = 'UINT2', actVal = 0): number[] {
  const out: number[] = [];
  for (let v = 0; v < x.length / MW; v++)
    for (let j = 0; j < MH; j++) {
      let s = 0;
      for (let i = 0; i < MW; i++) s += x[v * MW + i]! * w[i * MH + j]!;
      if (!thr) out.push(s);
      else {
        const n = thr[j]!.filter((t) => s >= t).length;
        out.push(odt === 'BIPOLAR' ? 2 * n - 1 : n + actVal);
      }
    }
  return out;
}

test('MVAU execute matches the reference: plain, thresholds, ActVal, bipolar output', async () => {
  const rand = seededRandom(7);
  const MW = 12, MH = 6;
  const x = ints(rand, 3 * MW, -8, 7);
  const w = ints(rand, MW * MH, -2, 1);
  const base = { PE: 2, SIMD: 3, MW, MH, inputDataType: 'INT4', weightDataType: 'INT2', outputDataType: 'INT32', noActivation: 1 };
  const [y] = await mvauKernel.execute!([f32([3, MW], x), f32([MW, MH], w)], base, ctx);
  assert.deepEqual([...tensorToNumbers(y!)], reference(x, w, MW, MH));
  assert.deepEqual(y!.dims, [3, MH]);
  const thr = Array.from({ length: MH }, () => ints(rand, 3, -10, 10).sort((a, b) => a - b));
  const withAct = { ...base, noActivation: 0, outputDataType: 'INT2', ActVal: -2 };
  const [z] = await mvauKernel.execute!([f32([3, MW], x), f32([MW, MH], w), f32([MH, 3], thr.flat())], withAct, ctx);
  assert.deepEqual([...tensorToNumbers(z!)], reference(x, w, MW, MH, thr, 'INT2', -2));
  const one = [thr[0]!.slice(0, 1)];
  const [b] = await mvauKernel.execute!([f32([3, MW], x), f32([MW, MH], w), f32([1, 1], one.flat())], { ...withAct, outputDataType: 'BIPOLAR', ActVal: 0 }, ctx);
  assert.deepEqual([...tensorToNumbers(b!)], reference(x, w, MW, MH, Array(MH).fill(one[0]), 'BIPOLAR'));
});

test('MVAU after a CNV→FC transition reads [1,3,3,36] as one vector of MW = 324 (Flatten removed, FINN\'s way)', async () => {
  const rand = seededRandom(11);
  const MW = 324, MH = 5;
  const x = ints(rand, MW, 0, 3);
  const w = ints(rand, MW * MH, -2, 1);
  const a = { PE: 1, SIMD: 1, MW, MH, inputDataType: 'UINT2', weightDataType: 'INT2', outputDataType: 'INT32', noActivation: 1 };
  const [y] = await mvauKernel.execute!([f32([1, 3, 3, 36], x), f32([MW, MH], w)], a, ctx);
  assert.deepEqual(y!.dims, [1, MH]);
  assert.deepEqual([...tensorToNumbers(y!)], reference(x, w, MW, MH));
  // Same as running on the flattened input; a batch of 2 such frames reshapes to [2, 324].
  const [flat] = await mvauKernel.execute!([f32([1, MW], x), f32([MW, MH], w)], a, ctx);
  assert.deepEqual([...tensorToNumbers(flat!)], [...tensorToNumbers(y!)]);
  const [two] = await mvauKernel.execute!([f32([2, 3, 3, 36], [...x, ...x]), f32([MW, MH], w)], a, ctx);
  assert.deepEqual(two!.dims, [2, MH]);
  assert.deepEqual([...tensorToNumbers(two!)], [...tensorToNumbers(y!), ...tensorToNumbers(y!)]);
  // Shape inference agrees, with numInputVectors giving the vector axes.
  const v = { ...view(mvauAttributes, a), inputShapes: [[1, 3, 3, 36]] };
  assert.deepEqual(mvauKernel.inferShapes!(v, ctx), [[1, MH]]);
  assert.deepEqual(mvauKernel.inferShapes!({ ...v, inputShapes: [[1, 4, 4, MW]] }, ctx), [[1, 4, 4, MH]]);
  // A size that is no multiple of the frame is still an error naming the shapes.
  await assert.rejects(async () => mvauKernel.execute!([f32([1, 3, 3, 35], x.slice(0, 315)), f32([MW, MH], w)], a, ctx), /MVAU input has shape \[1,3,3,35\], expected last axis MW=324/);
  assert.throws(() => mvauKernel.inferShapes!({ ...v, name: 'MVAU_hls_4', inputShapes: [[1, 3, 3, 35]] }, ctx), /node 'MVAU_hls_4': MVAU input has shape \[1,3,3,35\]/);
});

test('a model whose Flatten between an NHWC producer and an MVAU was removed runs through the executor', async () => {
  const { executeModel } = await import('../../src/exec/execute.js');
  
  const { harness } = await import('../transforms/optimization/support.js');
  const { makeNode, makeValueInfo, tensorToProto } = await import('../../src/index.js');
  const rand = seededRandom(5);
  const MW = 324, MH = 4;
  const x = ints(rand, MW, 0, 3);
  const w = ints(rand, MW * MH, -2, 1);
  const m = new Model({
    ir_version: 8,
    opset_import: [{ domain: '', version: 13 }],
    graph: {
      name: 'g',
      node: [makeNode({
        opType: 'MVAU_hls', domain: 'finn.custom_op.fpgadataflow.hls', name: 'MVAU_hls_0', inputs: ['x', 'w'], outputs: ['y'],
        attributes: [
          { name: 'MW', type: 2, i: MW }, { name: 'MH', type: 2, i: MH }, { name: 'PE', type: 2, i: 2 }, { name: 'SIMD', type: 2, i: 12 }, { name: 'noActivation', type: 2, i: 1 },
          ...(['inputDataType', 'UINT2', 'weightDataType', 'INT2', 'outputDataType', 'INT32'].flatMap((v, i, a) => (i % 2 ? [] : [{ name: v, type: 3, s: new TextEncoder().encode(a[i + 1]!) }]))),
        ],
      })],
      input: [makeValueInfo('x', ElemType.FLOAT, [1, 3, 3, 36])],
      output: [makeValueInfo('y', ElemType.FLOAT, [1, MH])],
      initializer: [tensorToProto(f32([MW, MH], w), 'w')],
    },
  } as ModelProto);
  const h = await harness();
  const r = await executeModel(m, new Map([['x', f32([1, 3, 3, 36], x)]]), { resolvers: [await h.reg.hw.opResolver(m)], fallback: 'none' });
  const y = r.outputs.get('y')!;
  assert.deepEqual(y.dims, [1, MH]);
  assert.deepEqual([...tensorToNumbers(y)], reference(x, w, MW, MH));
});

test('MVAU XNOR mode counts agreeing bits (popcount of xnor)', async () => {
  // x = [1,0,1,1], columns w0 = [1,1,1,0] (agree at 0,2 → 2), w1 = [1,0,1,1] (4)
  const [y] = await mvauKernel.execute!([f32([1, 4], [1, 0, 1, 1]), f32([4, 2], [1, 1, 1, 0, 1, 1, 0, 1])], {
    PE: 1, SIMD: 1, MW: 4, MH: 2, inputDataType: 'BINARY', weightDataType: 'BINARY', outputDataType: 'UINT3', noActivation: 1, binaryXnorMode: 1,
  }, ctx);
  assert.deepEqual([...tensorToNumbers(y!)], [2, 4]);
});

test('Thresholding execute per channel on the last axis', async () => {
  // channel 0 thresholds [0, 2, 4], channel 1 [-1, 1, 3]; x = [[3, 3], [-5, 0]] → [[2, 3], [0, 1]] + ActVal 0
  const [y] = await thrKernel.execute!([f32([2, 2], [3, 3, -5, 0]), f32([2, 3], [0, 2, 4, -1, 1, 3])], {
    NumChannels: 2, PE: 1, inputDataType: 'INT4', weightDataType: 'INT4', outputDataType: 'UINT2', numSteps: 3,
  }, ctx);
  assert.deepEqual([...tensorToNumbers(y!)], [2, 3, 0, 1]);
  const [b] = await thrKernel.execute!([f32([1, 2], [3, -5]), f32([1, 1], [0])], { NumChannels: 2, inputDataType: 'INT4', outputDataType: 'BIPOLAR' }, ctx);
  assert.deepEqual([...tensorToNumbers(b!)], [1, -1]);
});

test('LabelSelect execute: top-K indices, ties to the lower index, INT64', async () => {
  const [y] = await labelSelect.execute!([f32([2, 4], [3, 1, 3, 0, -1, 5, 2, 5])], { Labels: 4, K: 2, inputDataType: 'INT4' }, ctx);
  assert.equal(y!.elemType, ElemType.INT64);
  assert.deepEqual([...(y!.data as BigInt64Array)], [0n, 2n, 1n, 3n]);
  assert.deepEqual(y!.dims, [2, 2]);
});

test('MVAU on cybsec weights equals MatMul + MultiThreshold run by the executor', { skip: skipNoShared }, async () => {
  const { executeModel } = await import('../../src/exec/execute.js');
  const model = await loadModel(shared('finn', 'cybsec_PE_SIMD.onnx'));
  const g = model.graph;
  const node = g.nodeList()[0]!;
  const { tensorFromProto } = await import('../../src/index.js');
  const w = tensorFromProto(g.getInitializer(node.inputs[1]!)!);
  const thr = tensorFromProto(g.getInitializer(node.inputs[2]!)!);
  const rand = seededRandom(3);
  const x = f32([1, 600], Array.from({ length: 600 }, () => (rand() < 0.5 ? -1 : 1)));
  const [mv] = await mvauKernel.execute!([x, w, thr], { PE: 1, SIMD: 1, MW: 600, MH: 64, inputDataType: 'BIPOLAR', weightDataType: 'INT2', outputDataType: 'UINT2' }, ctx);
  const { makeValueInfo } = await import('../../src/ir/shape.js');
  const { tensorToProto } = await import('../../src/index.js');
  const ref = new Model({
    ir_version: 8,
    opset_import: [{ domain: '', version: 13 }, { domain: 'qonnx.custom_op.general', version: 1 }],
    graph: {
      name: 'ref',
      node: [
        { op_type: 'MatMul', input: ['x', 'w'], output: ['acc'], name: 'mm' },
        { op_type: 'MultiThreshold', domain: 'qonnx.custom_op.general', input: ['acc', 't'], output: ['y'], name: 'mt' },
      ],
      initializer: [tensorToProto(makeTensor(ElemType.FLOAT, w.dims, Float32Array.from(tensorToNumbers(w))), 'w'), tensorToProto(makeTensor(ElemType.FLOAT, thr.dims, Float32Array.from(tensorToNumbers(thr))), 't')],
      input: [makeValueInfo('x', ElemType.FLOAT, [1, 600])],
      output: [makeValueInfo('y', ElemType.FLOAT, [1, 64])],
    },
  } as ModelProto);
  const r = await executeModel(ref, new Map([['x', x]]), { fallback: 'none' });
  assert.deepEqual([...tensorToNumbers(mv!)], [...tensorToNumbers(r.outputs.get('y')!)]);
  assert.ok(new Set(tensorToNumbers(mv!)).size > 1, 'the activations are not all equal');
});
