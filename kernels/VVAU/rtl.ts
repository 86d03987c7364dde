import { defineBackend } from '../../src/index.js';
import { datatype, resources } from '../../src/kernel.js';
import { rtlPossible, vvau, weightMemory } from './_model.js';

export default defineBackend({
  name: 'VVAU_rtl',
  kernel: 'VVAU',
  language: 'rtl',
  description: 'RTL VVAU on DSP58 (Versal only; no thresholds, signed weights ≤ 8 bits, inputs ≤ 8 bits)',
  isViable(node) {
    return rtlPossible(node, vvau(node));
  },
  /** FINN's default picks the rtl VVAU only when input and weight datatypes are both at least 4 bits wide. */
  isDefault(node) {
    const a = vvau(node);
    return datatype(a.inputDataType).bitwidth() >= 4 && datatype(a.weightDataType).bitwidth() >= 4;
  },
  /** LUT = 0 (not modelled, as for MVAU_rtl); DSP = P·ceil(Q/3). */
  estimate(node) {
    const a = vvau(node);
    return resources({ ...weightMemory(a), LUT: 0, DSP: a.PE * Math.ceil(a.SIMD / 3) });
  },
});
