import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ElemType, makeTensor, tensorToNumbers, type TensorValue } from '../../src/index.js';
import { nativeOp } from '../../src/exec/registry.js';
import { setInts } from '../../src/ir/attributes.js';
import { Model } from '../../src/ir/model.js';
import { makeNode, Node } from '../../src/ir/node.js';
import { seededRandom } from '../../src/util/prng.js';
import swgKernel from '../../kernels/ConvolutionInputGenerator/kernel.js';
import swgHls from '../../kernels/ConvolutionInputGenerator/hls.js';
import swgRtl from '../../kernels/ConvolutionInputGenerator/rtl.js';
import { swgAttributes, swgRtlAttributes } from '../../kernels/ConvolutionInputGenerator/_model.js';
import { ctx, view } from './support.js';

/** QONNX Im2Col (the executor's implementation) on an NHWC tensor. */
async function im2col(x: TensorValue, k: number[], s: number[], d: number[]): Promise<TensorValue> {
  const p = makeNode({ opType: 'Im2Col', domain: 'qonnx.custom_op.general', inputs: ['x'], outputs: ['y'] });
  setInts(p, 'kernel_size', k);
  setInts(p, 'stride', s);
  setInts(p, 'dilations', d);
  const [y] = await nativeOp('qonnx.custom_op.general', 'Im2Col')!([x], { node: new Node(p), model: new Model({}), opset: 1 });
  return y!;
}

/** An rtl node's view: the kernel's attributes and the rtl backend's extension, as the binding parses them. */
const rtlView = (attrs: Record<string, unknown>) => ({ ...view(swgAttributes, swgRtlAttributes.parse(attrs)), opType: 'ConvolutionInputGenerator_rtl' });
const hlsView = (attrs: Record<string, unknown>) => ({ ...view(swgAttributes, attrs), opType: 'ConvolutionInputGenerator_hls' });

// IFM 8×8, C=4, SIMD=2 (cf=2), 3×3 window, stride 1 → OFM 6×6.
const A = { ConvKernelDim: [3, 3], IFMChannels: 4, IFMDim: [8, 8], OFMDim: [6, 6], SIMD: 2, inputDataType: 'INT4', outputDataType: 'INT4' };

test('SWG execute equals QONNX Im2Col on random cases (stride, dilation, non-square, depthwise)', async () => {
  const rand = seededRandom(11);
  const cases = [
    { H: 5, W: 6, C: 3, k: [2, 3], s: [1, 2], d: [2, 1], depthwise: 0 },
    { H: 7, W: 7, C: 2, k: [3, 3], s: [2, 2], d: [1, 1], depthwise: 1 },
    { H: 1, W: 9, C: 4, k: [1, 3], s: [1, 1], d: [1, 2], depthwise: 0 },
  ];
  for (const c of cases) {
    const data = Array.from({ length: 2 * c.H * c.W * c.C }, () => Math.floor(rand() * 16) - 8);
    const x = makeTensor(ElemType.FLOAT, [2, c.H, c.W, c.C], Float32Array.from(data));
    const ref = await im2col(x, c.k, c.s, c.d);
    const attrs = {
      ConvKernelDim: c.k, IFMChannels: c.C, IFMDim: [c.H, c.W], OFMDim: ref.dims.slice(1, 3), Stride: c.s, Dilation: c.d,
      SIMD: 1, depthwise: c.depthwise, inputDataType: 'INT4', outputDataType: 'INT4',
    };
    const [y] = await swgKernel.execute!([x], attrs, ctx);
    assert.deepEqual(y!.dims, ref.dims);
    assert.deepEqual([...tensorToNumbers(y!)], [...tensorToNumbers(ref)]);
  }
  await assert.rejects(async () => swgKernel.execute!([makeTensor(ElemType.FLOAT, [1, 8, 8, 3], new Float32Array(192))], A, ctx), /expected \[N,8,8,4\]/);
  await assert.rejects(async () => swgKernel.execute!([makeTensor(ElemType.FLOAT, [1, 8, 8, 4], new Float32Array(256))], { ...A, OFMDim: [5, 5] }, ctx), /does not match/);
});

test('SWG shapes, datatypes and legal SIMD', () => {
  const v = view(swgAttributes, A);
  assert.deepEqual(swgKernel.inferShapes!(v, ctx), [[1, 6, 6, 36]]);
  assert.deepEqual(swgKernel.inferDatatypes!(v, ctx), ['INT4']);
  assert.deepEqual(swgKernel.parallelism!(v, ctx), { SIMD: { dimension: 'IFMChannels', size: 4 } });
  // A depthwise SWG is not walked by SetFolding: it follows the VVAU/Pool it feeds.
  assert.deepEqual(swgKernel.parallelism!(view(swgAttributes, { ...A, depthwise: 1 }), ctx), { SIMD: { dimension: 'IFMChannels', size: 4, fold: 'follow' } });
  // Stream widths: SIMD·4 bits in and out; a whole 3×3 window per cycle with parallel_window.
  assert.deepEqual(swgKernel.streamWidths!(view(swgAttributes, { ...A, SIMD: 2 }), ctx), { inputs: [8], outputs: [8] });
  assert.deepEqual(swgKernel.streamWidths!(view(swgAttributes, { ...A, SIMD: 4, parallel_window: 1 }), ctx), { inputs: [16], outputs: [144] });
  assert.throws(() => swgKernel.cycles!(view(swgAttributes, { ...A, SIMD: 3 }), ctx), /SIMD=3 does not divide IFMChannels=4/);
});

test('SWG hls cycles: 2D and the 1D variants', () => {
  // 2D: ifmW·kh·dilH·cf + ofmH·max(ofmW·kw·kh·cf, sW·ifmW·cf) = 8·3·1·2 + 6·max(6·3·3·2, 1·8·2) = 48 + 6·108 = 696
  assert.equal(swgKernel.cycles!(hlsView(A), ctx), 696);
  // an unspecialized node is estimated as hls
  assert.equal(swgKernel.cycles!(view(swgAttributes, A), ctx), 696);
  // 1D [1,16], k [1,3], C=4, SIMD=1 → OFM 14: _1D = 1 + 14·3·4 = 169
  const oneD = { ConvKernelDim: [1, 3], IFMChannels: 4, IFMDim: [1, 16], OFMDim: [1, 14], SIMD: 1, inputDataType: 'INT4', outputDataType: 'INT4' };
  assert.equal(swgKernel.cycles!(hlsView(oneD), ctx), 169);
  // _1D_parallel (depthwise, SIMD = C, parallel_window): kw + ofmW = 3 + 14 = 17
  assert.equal(swgKernel.cycles!(hlsView({ ...oneD, SIMD: 4, depthwise: 1, parallel_window: 1 }), ctx), 17);
});

test('SWG rtl cycles: default 2D, depthwise stride terms, 1D, parallel', () => {
  // buf_min = ((3−1)·1·8 + (3−1)·1 + 1)·2 = 38; 38 + 6·108 = 686
  assert.equal(swgRtl.cycles!(rtlView(A), ctx), 686);
  // depthwise, IFM 9×9, stride 2 → OFM 4, cf 2: write 4·3·3·2 = 72, read 2·9·2 = 36, +4·(2−1)·(2−1) = 76;
  // buf_min = (2·9 + 2 + 1)·2 = 42; 42 + 4·76 = 346; + (2−1)·9·2 = 364
  const dw = { ...A, IFMDim: [9, 9], OFMDim: [4, 4], Stride: [2, 2], depthwise: 1 };
  assert.equal(swgRtl.cycles!(rtlView(dw), ctx), 364);
  // 1D non-depthwise: ofmW·kw·cf + 2 = 14·3·4 + 2 = 170
  const oneD = { ConvKernelDim: [1, 3], IFMChannels: 4, IFMDim: [1, 16], OFMDim: [1, 14], SIMD: 1, inputDataType: 'INT4', outputDataType: 'INT4' };
  assert.equal(swgRtl.cycles!(rtlView(oneD), ctx), 170);
  // 1D depthwise, [1,15], stride 2 → OFM 7: 7·3·4 + 4·(3−1)·(2−1) − (3−1) + 2 = 84 + 8 − 2 + 2 = 92
  assert.equal(swgRtl.cycles!(rtlView({ ...oneD, IFMDim: [1, 15], OFMDim: [1, 7], Stride: [1, 2], depthwise: 1 }), ctx), 92);
  // parallel window, SIMD = C = 4: input words 8·8·1 + 2 = 66
  assert.equal(swgRtl.cycles!(rtlView({ ...A, SIMD: 4, parallel_window: 1 }), ctx), 66);
});

test('SWG_hls resources by ram_style', () => {
  // depth = ifmW·cf = 16 → ram_width 36; width Q·A = 2·4 = 8; (k+s) = 4
  assert.deepEqual(swgHls.estimate!(view(swgAttributes, { ...A, ram_style: 'block' }), ctx), { BRAM_18K: 4, BRAM_efficiency: 1, LUT: 300, URAM: 0, URAM_efficiency: 1, DSP: 0 }); // 4·ceil(8/36)
  assert.equal(swgHls.estimate!(view(swgAttributes, A), ctx).LUT, 332); // distributed: 300 + 4·8·ceil(16/64)
  assert.equal(swgHls.estimate!(view(swgAttributes, A), ctx).BRAM_18K, 0);
  assert.equal(swgHls.estimate!(view(swgAttributes, { ...A, ram_style: 'ultra' }), ctx).URAM, 4); // 4·ceil(8/64)·ceil(16/4096)
});

test('SWG_rtl resources: circular buffer, parallel line buffers, cascade savings', () => {
  // default depth = 38 + max(0, (0−9)·2) + max(0, (0·8−9)·2) = 38
  assert.equal(swgRtl.estimate!(rtlView({ ...A, ram_style: 'block' }), ctx).BRAM_18K, 1); // ceil(38/16384)·ceil(8/36)
  assert.equal(swgRtl.estimate!(rtlView(A), ctx).LUT, 308); // 300 + 8·ceil(38/38)
  assert.equal(swgRtl.estimate!(rtlView({ ...A, ram_style: 'ultra' }), ctx).URAM, 1); // ceil(38/4096)·ceil(8/72)
  // parallel, SIMD=4 (width 16): kh−1 = 2 line buffers of (8 − 3) + 8·0 = 5 → 2·ceil(16/36) = 2
  assert.equal(swgRtl.estimate!(rtlView({ ...A, SIMD: 4, parallel_window: 1, ram_style: 'block' }), ctx).BRAM_18K, 2);
  // C=64, SIMD=1 (cf 64), 300×300, k 3: depth = (2·300 + 2 + 1)·64 = 38592 > 16384 → ram_width 1, cascade width 4;
  // remainder 38592 mod 16384 = 5824 → width 2 → ceil(4/2) = 2, savings 2; BRAM = 3·4 − 2 = 10
  const big = { ConvKernelDim: [3, 3], IFMChannels: 64, IFMDim: [300, 300], OFMDim: [298, 298], SIMD: 1, inputDataType: 'UINT4', outputDataType: 'UINT4', ram_style: 'auto' };
  assert.equal(swgRtl.estimate!(rtlView(big), ctx).BRAM_18K, 10);
});

test('SWG viability: hls needs square undilated 2D and no dynamic mode; rtl parallel_window needs SIMD = C', () => {
  assert.equal(swgHls.isViable!(view(swgAttributes, A), ctx), true);
  assert.equal(swgHls.isViable!(view(swgAttributes, { ...A, ConvKernelDim: [3, 2], OFMDim: [6, 7] }), ctx), false);
  assert.equal(swgHls.isViable!(view(swgAttributes, { ...A, Dilation: [2, 2], OFMDim: [4, 4] }), ctx), false);
  assert.equal(swgHls.isViable!(view(swgAttributes, { ...A, dynamic_mode: 1 }), ctx), false);
  assert.equal(swgRtl.isViable!(rtlView({ ...A, Dilation: [2, 2], OFMDim: [4, 4] }), ctx), true);
  assert.equal(swgRtl.isViable!(rtlView({ ...A, parallel_window: 1 }), ctx), false);
  assert.equal(swgRtl.isViable!(rtlView({ ...A, SIMD: 4, parallel_window: 1 }), ctx), true);
});
