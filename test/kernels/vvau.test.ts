import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ElemType, makeTensor, tensorToNumbers, type TensorValue } from '../../src/index.js';
import { seededRandom } from '../../src/util/prng.js';
import swgKernel from '../../kernels/ConvolutionInputGenerator/kernel.js';
import vvauKernel from '../../kernels/VVAU/kernel.js';
import vvauHls from '../../kernels/VVAU/hls.js';
import vvauRtl from '../../kernels/VVAU/rtl.js';
import { vvauAttributes } from '../../kernels/VVAU/_model.js';
import { ctx, view, VCK190 } from './support.js';

const f32 = (dims: number[], data: number[]): TensorValue => makeTensor(ElemType.FLOAT, dims, Float32Array.from(data));
const ints = (rand: () => number, n: number, lo: number, hi: number) => Array.from({ length: n }, () => lo + Math.floor(rand() * (hi - lo + 1)));

/** Depthwise conv written out directly on the NHWC image: y[oy,ox,c] = Σ_{p,q} x[oy·s+p, ox·s+q, c]·w[c,p,q]. */
function depthwiseConv(x: number[], H: number, W: number, C: number, w: number[], k: number, s: number): number[] {
  const OH = Math.floor((H - k) / s) + 1;
  const OW = Math.floor((W - k) / s) + 1;
  const out: number[] = [];
  for (let oy = 0; oy < OH; oy++)
    for (let ox = 0; ox < OW; ox++)
      for (let c = 0; c < C; c++) {
        let acc = 0;
        for (let p = 0; p < k; p++) for (let q = 0; q < k; q++) acc += x[((oy * s + p) * W + ox * s + q) * C + c]! * w[(c * k + p) * k + q]!;
        out.push(acc);
      }
  return out;
}

test('VVAU execute on SWG output equals a depthwise convolution, with and without thresholds', async () => {
  const rand = seededRandom(5);
  const H = 6, W = 5, C = 4, k = 3, s = 1;
  const x = ints(rand, H * W * C, -8, 7);
  const w = ints(rand, C * k * k, -2, 1);
  const [win] = await swgKernel.execute!([f32([1, H, W, C], x)], {
    ConvKernelDim: [k, k], IFMChannels: C, IFMDim: [H, W], OFMDim: [4, 3], SIMD: 1, depthwise: 1, inputDataType: 'INT4', outputDataType: 'INT4',
  }, ctx);
  const base = { PE: 2, SIMD: 3, Dim: [4, 3], Channels: C, Kernel: [k, k], inputDataType: 'INT4', weightDataType: 'INT2', outputDataType: 'INT32', noActivation: 1 };
  const [y] = await vvauKernel.execute!([win!, f32([C, 1, k, k], w)], base, ctx);
  const ref = depthwiseConv(x, H, W, C, w, k, s);
  assert.deepEqual(y!.dims, [1, 4, 3, C]);
  assert.deepEqual([...tensorToNumbers(y!)], ref);
  const thr = Array.from({ length: C }, () => ints(rand, 3, -10, 10).sort((a, b) => a - b));
  const [z] = await vvauKernel.execute!([win!, f32([C, 1, k, k], w), f32([C, 3], thr.flat())], { ...base, noActivation: 0, outputDataType: 'UINT2' }, ctx);
  assert.deepEqual([...tensorToNumbers(z!)], ref.map((v, i) => thr[i % C]!.filter((t) => v >= t).length));
  await assert.rejects(async () => vvauKernel.execute!([win!, f32([C, 1, 2, 2], w.slice(0, 16))], base, ctx), /VVAU weights have shape/);
});

// C=8, 3×3, PE=2, SIMD=3, output 4×4, UINT4 input, INT4 weights, UINT2 output
const V = { PE: 2, SIMD: 3, Dim: [4, 4], Channels: 8, Kernel: [3, 3], inputDataType: 'UINT4', weightDataType: 'INT4', outputDataType: 'UINT2', resType: 'lut', ram_style: 'block' };

test('VVAU cycles, legal PE/SIMD, shapes', () => {
  const v = view(vvauAttributes, V);
  assert.equal(vvauKernel.cycles!(v, ctx), 192); // (8·9/2/3)·4·4 = 12·16
  assert.deepEqual(vvauKernel.parallelism!(v, ctx), {
    PE: { dimension: 'Channels', size: 8, foldOrder: 0, drivesProducer: 'SIMD' },
    SIMD: { dimension: 'kernel size kh·kw', size: 9, foldOrder: 1 },
  });
  assert.deepEqual(vvauKernel.inferShapes!(v, ctx), [[1, 4, 4, 8]]);
  assert.throws(() => vvauKernel.cycles!(view(vvauAttributes, { ...V, SIMD: 2 }), ctx), /SIMD=2 does not divide kernel size kh·kw=9/);
  assert.throws(() => vvauKernel.cycles!(view(vvauAttributes, { ...V, PE: 3 }), ctx), /PE=3 does not divide Channels=8/);
});

test('VVAU_hls LUT/BRAM/DSP against hand-computed values', () => {
  // ω = 9·8/2/3 = 12, w = 2·3·4 = 24: block → ceil(12/512)·ceil(24/32) = 1; efficiency = 4·72/(36·512) = 0.015625.
  // mult = 3·(2·ceil(8/6)−1)·8 = 72; adder = 8·5 = 40; α = log2 9 + 4 + 4 − 1 − 0 = 10.17 → acc = 12;
  // tmem = 4: thr = 3·12·4/64 = 2.25, comp = 36; LUT = int(300 + 1.1·2·162.25) = int(656.95) = 656
  assert.deepEqual(vvauHls.estimate!(view(vvauAttributes, V), ctx), { BRAM_18K: 1, BRAM_efficiency: 0.015625, LUT: 656, URAM: 0, URAM_efficiency: 1, DSP: 0 });
  // resType dsp: mult 0 → int(300 + 2.2·90.25) = int(498.55) = 498; DSP = 2·ceil(8/48) = 2
  const dsp = vvauHls.estimate!(view(vvauAttributes, { ...V, resType: 'dsp' }), ctx);
  assert.equal(dsp.LUT, 498);
  assert.equal(dsp.DSP, 2);
  // ram_style auto with ω = 12 ≤ 128 → no BRAM
  assert.equal(vvauHls.estimate!(view(vvauAttributes, { ...V, ram_style: 'auto' }), ctx).BRAM_18K, 0);
});

test('VVAU_rtl: viable for every integer VVAU; FINN\'s rule (Versal, no thresholds, signed weights, both ≥ 4 bits) picks it by default; DSP = P·ceil(Q/3)', () => {
  const ok = { ...V, inputDataType: 'INT4', noActivation: 1, outputDataType: 'INT32' };
  assert.equal(vvauRtl.isDefault!(view(vvauAttributes, ok, { target: VCK190 }), ctx), true);
  assert.equal(vvauRtl.isDefault!(view(vvauAttributes, ok), ctx), false); // Pynq-Z1 is not Versal
  assert.equal(vvauRtl.isDefault!(view(vvauAttributes, { ...ok, noActivation: 0, outputDataType: 'UINT2' }, { target: VCK190 }), ctx), false);
  assert.equal(vvauRtl.isDefault!(view(vvauAttributes, { ...ok, weightDataType: 'UINT4' }, { target: VCK190 }), ctx), false);
  for (const attrs of [ok, { ...ok, noActivation: 0, outputDataType: 'UINT2' }, { ...ok, weightDataType: 'UINT4' }]) {
    assert.equal(vvauRtl.isViable!(view(vvauAttributes, attrs), ctx), true);
  }
  assert.equal(vvauRtl.isViable!(view(vvauAttributes, { ...ok, mem_mode: 'external' }), ctx), false);
  assert.equal(vvauRtl.estimate!(view(vvauAttributes, ok, { target: VCK190 }), ctx).DSP, 2); // 2·ceil(3/3)
});
