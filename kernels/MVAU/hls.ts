import { defineBackend } from '../../src/index.js';
import { resources } from '../../src/kernel.js';
import { accumulatorBits, checkFolding, mvau, weightMemory, widths } from './_model.js';

export default defineBackend({
  name: 'MVAU_hls',
  kernel: 'MVAU',
  language: 'hls',
  description: 'HLS MVAU (finn-hlslib); supports every MVAU configuration',
  isViable() {
    return true;
  },
  /**
   * LUT = int(300 + 1.1·P·(mult + adder + acc + thr + comp) + c2); DSP = P·Q·ceil((W+A)/48) with resType dsp.
   */
  estimate(node) {
    const a = mvau(node);
    checkFolding(node, a);
    const { W, A, B, wmemDepth, tmemDepth } = widths(a);
    const P = a.PE;
    const Q = a.SIMD;
    const mult = a.resType === 'dsp' ? 0 : Q * (2 * Math.ceil((W + A) / 6) - 1) * (W + A);
    const adder = (W + A) * (2 * Q - 1);
    const acc = accumulatorBits(a, a.MW);
    const thresholdsInLut = a.noActivation === 0 && a.ram_style_thresholds === 'distributed';
    const thr = thresholdsInLut ? (2 ** B - 1) * acc * Math.ceil(tmemDepth / 64) : 0;
    const comp = thresholdsInLut ? (2 ** B - 1) * acc : 0;
    const weightsInLut = (a.mem_mode === 'internal_decoupled' && a.ram_style === 'distributed') || (a.mem_mode === 'internal_embedded' && wmemDepth <= 128);
    const c2 = weightsInLut ? P * Q * W * Math.ceil(wmemDepth / 64) : 0;
    const lut = Math.trunc(300 + 1.1 * P * (mult + adder + acc + thr + comp) + c2);
    const dsp = a.resType === 'dsp' ? P * Q * Math.ceil((W + A) / 48) : 0;
    return resources({ ...weightMemory(a), LUT: lut, DSP: dsp });
  },
});
