import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ElemType, makeTensor } from '../../src/index.js';
import { networkPerformance } from '../../src/estimate/performance.js';
import { bram18Count, divisors, dspFamilyOf, resolveTarget } from '../../src/kernel.js';
import mvauKernel from '../../kernels/MVAU/kernel.js';
import mvauHls from '../../kernels/MVAU/hls.js';
import mvauRtl from '../../kernels/MVAU/rtl.js';
import { mvauAttributes } from '../../kernels/MVAU/_model.js';
import thrKernel from '../../kernels/Thresholding/kernel.js';
import thrHls from '../../kernels/Thresholding/hls.js';
import thrRtl from '../../kernels/Thresholding/rtl.js';
import { thresholdingAttributes } from '../../kernels/Thresholding/_model.js';
import labelSelect, { labelSelectAttributes } from '../../kernels/LabelSelect/kernel.js';
import fmpadding from '../../kernels/FMPadding/kernel.js';
import { fmpaddingAttributes } from '../../kernels/FMPadding/_model.js';
import maxpool, { streamingMaxPoolAttributes } from '../../kernels/StreamingMaxPool/kernel.js';
import { ctx, view, PYNQ, VCK190 } from './support.js';

const cybsec0 = { PE: 1, SIMD: 1, MW: 600, MH: 64, inputDataType: 'BIPOLAR', weightDataType: 'INT2', outputDataType: 'UINT2' };

test('BRAM18 table at each width band', () => {
  assert.equal(bram18Count(16384, 1), 1); // ceil(16384/16384)
  assert.equal(bram18Count(16385, 1), 2);
  assert.equal(bram18Count(38400, 2), 5); // ceil(38400/8192) = 5
  assert.equal(bram18Count(100, 3), 1); // ceil(100/4096)·ceil(3/4)
  assert.equal(bram18Count(3000, 9), 2); // ceil(3000/2048)·ceil(9/9)
  assert.equal(bram18Count(600, 18), 1); // ceil(600/1024)·ceil(18/18)
  assert.equal(bram18Count(400, 36), 1); // ω ≤ 512, w > 18: ceil(400/512)·ceil(36/36)
  assert.equal(bram18Count(1000, 36), 2); // ω > 512: ceil(1000/1024)·ceil(36/18)
  assert.equal(bram18Count(256, 72), 2); // ceil(256/512)·ceil(72/36)
  assert.deepEqual(divisors(12), [1, 2, 3, 4, 6, 12]);
});

test('MVAU cycles: (MH/P)·(MW/Q)·prod(numInputVectors)', () => {
  assert.equal(mvauKernel.cycles!(view(mvauAttributes, cybsec0), ctx), 38400); // 64·600
  assert.equal(mvauKernel.cycles!(view(mvauAttributes, { ...cybsec0, PE: 2, SIMD: 5 }), ctx), 3840); // 32·120 (reference)
  assert.equal(mvauKernel.cycles!(view(mvauAttributes, { ...cybsec0, numInputVectors: [1, 4, 4] }), ctx), 614400); // 38400·16
  assert.throws(() => mvauKernel.cycles!(view(mvauAttributes, { ...cybsec0, PE: 3 }), ctx), /PE=3 does not divide MH=64/);
  assert.deepEqual(mvauKernel.parallelism!(view(mvauAttributes, cybsec0), ctx), {
    SIMD: { dimension: 'MW', size: 600, foldOrder: 0, widthBits: 2 },
    PE: { dimension: 'MH', size: 64, foldOrder: 1 },
  });
});

test('MVAU_hls on cybsec layer 0: LUT 319, BRAM 5 at 83.3 %', () => {
  // mult = 1·(2·ceil(3/6)−1)·3 = 3; adder = 3·(2−1) = 3; α = log2 600 + 2 + 1 − 1 − 1 = 10.229,
  // acc = ceil(10.229 + 0.0012 + 1) = 12; LUT = int(300 + 1.1·18) = 319. BRAM = ceil(38400/8192) = 5,
  // efficiency = 2·600·64/(5·36·512) = 0.8333.
  const r = mvauHls.estimate!(view(mvauAttributes, cybsec0), ctx);
  assert.deepEqual(r, { BRAM_18K: 5, BRAM_efficiency: 76800 / 92160, LUT: 319, URAM: 0, URAM_efficiency: 1, DSP: 0 });
});

test('MVAU_hls with distributed weights and thresholds (c2, thr and comp terms)', () => {
  // W=4, A=4 (UINT4, unsigned), B=2, P=4, Q=8, MW=MH=64: ω = 4096/32 = 128, w = 128 → BRAM 0 (decoupled+distributed).
  // mult = 8·(2·ceil(8/6)−1)·8 = 192; adder = 8·15 = 120; α = 6+4+4−1−0 = 13 → acc = ceil(14.0002) = 15;
  // tmem = 16: thr = 3·15·ceil(16/64) = 45, comp = 45; c2 = 4·8·4·ceil(128/64) = 256;
  // LUT = int(300 + 1.1·4·417 + 256) = int(2390.8) = 2390.
  const a = { PE: 4, SIMD: 8, MW: 64, MH: 64, inputDataType: 'UINT4', weightDataType: 'INT4', outputDataType: 'UINT2', ram_style: 'distributed', ram_style_thresholds: 'distributed', resType: 'lut' };
  const r = mvauHls.estimate!(view(mvauAttributes, a), ctx);
  assert.equal(r.LUT, 2390);
  assert.equal(r.BRAM_18K, 0);
  assert.equal(r.BRAM_efficiency, 1);
  assert.equal(r.DSP, 0);
});

test('MVAU_hls with resType dsp, embedded small weights, no activation', () => {
  // W=A=8 (INT8), P=2, Q=4, MW=32, MH=16: ω = 512/8 = 64 ≤ 128 → BRAM 0, c2 = 2·4·8·ceil(64/64) = 64;
  // mult = 0; adder = 16·7 = 112; α = 5+8+8−1−1 = 19 → acc = 21; LUT = int(300 + 1.1·2·133 + 64) = int(656.6) = 656;
  // DSP = 2·4·ceil(16/48) = 8.
  const a = { PE: 2, SIMD: 4, MW: 32, MH: 16, inputDataType: 'INT8', weightDataType: 'INT8', outputDataType: 'INT32', noActivation: 1, mem_mode: 'internal_embedded', resType: 'dsp' };
  const r = mvauHls.estimate!(view(mvauAttributes, a), ctx);
  assert.equal(r.LUT, 656);
  assert.equal(r.DSP, 8);
  assert.equal(r.BRAM_18K, 0);
});

test('MVAU URAM with decoupled ultra weights', () => {
  // ω = 1024·1024, w = 2: URAM = ceil(2/72)·ceil(1048576/4096) = 256; efficiency = 2·2^20/(256·72·4096) = 1/36.
  const a = { PE: 1, SIMD: 1, MW: 1024, MH: 1024, inputDataType: 'INT2', weightDataType: 'INT2', outputDataType: 'INT32', noActivation: 1, ram_style: 'ultra' };
  const r = mvauHls.estimate!(view(mvauAttributes, a), ctx);
  assert.equal(r.URAM, 256);
  assert.equal(r.BRAM_18K, 0);
  assert.ok(Math.abs(r.URAM_efficiency! - 1 / 36) < 1e-12);
});

test('MVAU_rtl: DSPs per family; FINN\'s rtl rule decides its default choice; our generator makes it viable everywhere', () => {
  const a = { PE: 8, SIMD: 4, MW: 32, MH: 16, inputDataType: 'INT8', weightDataType: 'INT4', outputDataType: 'INT32', noActivation: 1 };
  const w = makeTensor(ElemType.FLOAT, [32, 16], new Float32Array(512).fill(-7)); // narrow range: no −8
  assert.equal(mvauRtl.estimate!(view(mvauAttributes, a, { consts: { 1: w } }), ctx).DSP, 8); // ceil(8/4)·4
  assert.equal(mvauRtl.estimate!(view(mvauAttributes, a, { target: VCK190 }), ctx).DSP, 16); // 8·ceil(4/3)
  assert.equal(mvauRtl.estimate!(view(mvauAttributes, a, { consts: { 1: w } }), ctx).LUT, 0);
  assert.equal(mvauRtl.isDefault!(view(mvauAttributes, a, { consts: { 1: w } }), ctx), true);
  const wide = makeTensor(ElemType.FLOAT, [32, 16], new Float32Array(512).fill(-8)); // uses −8: not narrow
  assert.equal(mvauRtl.isDefault!(view(mvauAttributes, a, { consts: { 1: wide } }), ctx), false); // DSP48E1 needs narrow range
  assert.equal(mvauRtl.isDefault!(view(mvauAttributes, a, { consts: { 1: wide }, target: VCK190 }), ctx), true);
  assert.equal(mvauRtl.isDefault!(view(mvauAttributes, { ...a, noActivation: 0 }, { target: VCK190 }), ctx), false); // embedded thresholds
  assert.equal(mvauRtl.isDefault!(view(mvauAttributes, { ...a, weightDataType: 'UINT4' }, { target: VCK190 }), ctx), false); // unsigned weights
  assert.equal(mvauRtl.isDefault!(view(mvauAttributes, { ...a, inputDataType: 'INT16' }, { target: VCK190 }), ctx), false);
  assert.equal(mvauRtl.isDefault!(view(mvauAttributes, { ...a, inputDataType: 'INT9' }, { target: VCK190 }), ctx), true);
  assert.equal(mvauRtl.isDefault!(view(mvauAttributes, { ...a, inputDataType: 'INT2' }, { target: VCK190 }), ctx), false); // FINN's width rule
  // Where FINN has no rtl MVAU (embedded thresholds) ours is viable, estimated with FINN's LUT MVAU formula.
  const thr = view(mvauAttributes, { ...a, noActivation: 0, outputDataType: 'UINT2' }, { target: VCK190 });
  assert.equal(mvauRtl.isViable!(thr, ctx), true);
  assert.deepEqual(mvauRtl.estimate!(thr, ctx), mvauHls.estimate!(thr, ctx));
});

test('MVAU op and parameter counts use FINN keys', () => {
  assert.deepEqual(mvauKernel.opAndParamCounts!(view(mvauAttributes, cybsec0), ctx), { op_mac_1bx2b: 38400, param_weight_2b: 38400, param_threshold_32b: 64 });
});

test('Thresholding cycles and hls/rtl resources', () => {
  const base = { NumChannels: 64, PE: 4, inputDataType: 'INT8', weightDataType: 'INT8', outputDataType: 'UINT2', numSteps: 3, numInputVectors: [1, 8, 8] };
  assert.equal(thrKernel.cycles!(view(thresholdingAttributes, base), ctx), 1024); // 64·64/4
  // distributed: tmem = 16, LUT = 8·4 + 4·8·ceil(16/64) = 64
  assert.equal(thrHls.estimate!(view(thresholdingAttributes, base), ctx).LUT, 64);
  // block: BRAM = ceil(32/16)·ceil(16/1024) = 2, LUT = 32
  const blk = thrHls.estimate!(view(thresholdingAttributes, { ...base, ram_style: 'block' }), ctx);
  assert.equal(blk.BRAM_18K, 2);
  assert.equal(blk.LUT, 32);
  // rtl, PE 1, B = 2: memories 8×64 and 8×128 fit LUTRAM exactly (8 and 16 primitives) → LUT 24, BRAM 0
  const rtl = thrRtl.estimate!(view(thresholdingAttributes, { ...base, PE: 1 }), ctx);
  assert.equal(rtl.LUT, 24);
  assert.equal(rtl.BRAM_18K, 0);
  // depth_trigger_bram 1000 with C/P = 1024, B = 2: memories 8×1024 and 8×2048 both go to BRAM, 1 block each → 2
  const trig = thrRtl.estimate!(view(thresholdingAttributes, { ...base, NumChannels: 1024, PE: 1, depth_trigger_bram: 1000 }), ctx);
  assert.equal(trig.BRAM_18K, 2);
  assert.equal(trig.LUT, 0);
});

test('LabelSelect, FMPadding and StreamingMaxPool cycles', () => {
  assert.equal(labelSelect.cycles!(view(labelSelectAttributes, { Labels: 10, PE: 2, K: 1, inputDataType: 'INT8' }), ctx), 5); // 10/2
  assert.deepEqual(labelSelect.inferDatatypes!(view(labelSelectAttributes, { Labels: 10, PE: 2, K: 1, inputDataType: 'INT8' }), ctx), ['UINT8']); // FINN: labels 0..9 need UINT4, rounded up to whole bytes
  // (8/2)·1·(4+2)·(4+2) = 144
  assert.equal(fmpadding.cycles!(view(fmpaddingAttributes, { ImgDim: [4, 4], Padding: [1, 1, 1, 1], NumChannels: 8, SIMD: 2, inputDataType: 'UINT4' }), ctx), 144);
  // 2D: int(16·(1 + 1/4)) = 20; 1D: ofm 4 · NF 2 · (2+1) = 24
  assert.equal(maxpool.cycles!(view(streamingMaxPoolAttributes, { ImgDim: [4, 4], PoolDim: [2, 2], NumChannels: 4, dataType: 'UINT4' }), ctx), 20);
  assert.equal(maxpool.cycles!(view(streamingMaxPoolAttributes, { ImgDim: [1, 8], PoolDim: [1, 2], NumChannels: 4, PE: 2, dataType: 'UINT4' }), ctx), 24);
});

test('boards, parts and DSP families', () => {
  assert.equal(dspFamilyOf('xc7z020clg400-1'), 'DSP48E1');
  assert.equal(dspFamilyOf('xczu7ev-ffvc1156-2-e'), 'DSP48E2');
  assert.equal(dspFamilyOf('xcvc1902-vsva2197-2MP-e-S'), 'DSP58');
  assert.equal(resolveTarget({ board: 'u250' }).part, 'xcu250-figd2104-2L-e');
  assert.equal(resolveTarget({ board: 'VEK280' }).versal, true);
  assert.equal(resolveTarget({ part: 'xczu3eg-sbva484-1-e' }).dspFamily, 'DSP48E2');
  assert.throws(() => resolveTarget({ board: 'Pynq-Z9' }), /unknown board 'Pynq-Z9': known boards are Pynq-Z1, Pynq-Z2, Ultra96/);
  assert.throws(() => resolveTarget({ part: 'not a part' }), /does not look like a Xilinx part/);
  assert.equal(PYNQ.dspFamily, 'DSP48E1');
});

test('network performance: longest path through a diamond, slowest node', () => {
  // a(10) → b(5), c(7) → d(1): latencies a 10, b 15, c 17, d 18; at 5 ns: 1e9/5/10 = 2e7 fps, 90 ns
  const p = networkPerformance([
    { name: 'a', cycles: 10, predecessors: [] },
    { name: 'b', cycles: 5, predecessors: ['a'] },
    { name: 'c', cycles: 7, predecessors: ['a'] },
    { name: 'd', cycles: 1, predecessors: ['b', 'c'] },
  ], 5);
  assert.deepEqual(p, { critical_path_cycles: 18, max_cycles: 10, max_cycles_node_name: 'a', estimated_throughput_fps: 2e7, estimated_latency_ns: 90 });
});
