import { defineBackend } from '../../src/index.js';
import { resources } from '../../src/estimate/index.js';
import { checkFolding, mvau, rtlPossible, weightMemory } from './_model.js';
import { generateMvau } from './rtl-gen.js';

export default defineBackend({
  name: 'MVAU_rtl',
  kernel: 'MVAU',
  language: 'rtl',
  description: 'RTL MVAU on DSP slices (no embedded thresholds, signed weights ≤ 8 bits, inputs ≤ 8 bits)',
  isViable(node) {
    return rtlPossible(node, mvau(node));
  },
  /** LUT = 0 (not modelled); DSP = P·ceil(Q/3) on DSP58, otherwise ceil(P/4)·Q. */
  estimate(node) {
    const a = mvau(node);
    checkFolding(node, a);
    const dsp58 = node.target?.dspFamily === 'DSP58';
    const dsp = dsp58 ? a.PE * Math.ceil(a.SIMD / 3) : Math.ceil(a.PE / 4) * a.SIMD;
    return resources({ ...weightMemory(a), LUT: 0, DSP: dsp });
  },
  generate(node) {
    return generateMvau(node);
  },
});
