import { defineBackend } from '../../src/index.js';
import { resources } from '../../src/kernel.js';
import { accumulatorBits, vvau, weightMemory, widths } from './_model.js';

export default defineBackend({
  name: 'VVAU_hls',
  kernel: 'VVAU',
  language: 'hls',
  description: 'HLS VVAU (finn-hlslib); supports every VVAU configuration',
  isViable() {
    return true;
  },
  /**
   * LUT = int(300 + 1.1·P·(mult + adder + acc + thr + comp) + c2) as for MVAU, with α over kh·kw and
   * thr = (2^B−1)·acc·tmem/64 (no ceil) counted whenever there is an activation; DSP = P·ceil((W+A)/48) with resType dsp.
   */
  estimate(node) {
    const a = vvau(node);
    const { W, A, B, wmemDepth, tmemDepth } = widths(a);
    const P = a.PE;
    const Q = a.SIMD;
    const mult = a.resType === 'dsp' ? 0 : Q * (2 * Math.ceil((W + A) / 6) - 1) * (W + A);
    const adder = (W + A) * (2 * Q - 1);
    const acc = accumulatorBits(a);
    const act = a.noActivation === 0;
    const thr = act ? ((2 ** B - 1) * acc * tmemDepth) / 64 : 0;
    const comp = act ? (2 ** B - 1) * acc : 0;
    const weightsInLut = (a.mem_mode === 'internal_decoupled' && a.ram_style === 'distributed') || (a.mem_mode === 'internal_embedded' && wmemDepth <= 128);
    const c2 = weightsInLut ? P * Q * W * Math.ceil(wmemDepth / 64) : 0;
    const lut = Math.trunc(300 + 1.1 * P * (mult + adder + acc + thr + comp) + c2);
    const dsp = a.resType === 'dsp' ? P * Math.ceil((W + A) / 48) : 0;
    return resources({ ...weightMemory(a), LUT: lut, DSP: dsp });
  },
});
