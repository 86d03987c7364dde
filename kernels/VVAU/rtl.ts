import { defineBackend } from '../../src/index.js';
import { datatype, resources } from '../../src/kernel.js';
import { rtlPossible, vvau, weightMemory } from './_model.js';
import { generateVvau, vvauGeneratable } from './_rtl-gen.js';
import { synthEstimate } from './_rtl-estimate.js';

export default defineBackend({
  name: 'VVAU_rtl',
  kernel: 'VVAU',
  language: 'rtl',
  description: 'RTL VVAU: every integer VVAU (thresholds, BIPOLAR/BINARY, INTn/UINTn); FINN\'s DSP58 rtl VVAU where FINN has one',
  /** Our generator (_rtl-gen.ts) implements every VVAU with integer datatypes and weights inside the node. */
  isViable(node) {
    return vvauGeneratable(vvau(node));
  },
  /**
   * FINN has an rtl VVAU only for its _vvu_rtl_possible cases (Versal, no thresholds, signed weights ≤ 8 bits,
   * inputs ≤ 8 bits) and picks it by default only when input and weight datatypes are both at least 4 bits wide.
   */
  isDefault(node) {
    const a = vvau(node);
    return rtlPossible(node, a) && datatype(a.inputDataType).bitwidth() >= 4 && datatype(a.weightDataType).bitwidth() >= 4;
  },
  /** FINN's numbers: LUT = 0 (not modelled, as for MVAU_rtl); DSP = P·ceil(Q/3). Yosys on our RTL: _rtl-estimate.ts. */
  estimate(node) {
    const a = vvau(node);
    return resources({ ...weightMemory(a), LUT: 0, DSP: a.PE * Math.ceil(a.SIMD / 3) });
  },
  /** What Yosys makes of our generated RTL (`estimate` keeps FINN's formula for the default compile). */
  synthEstimate(node) {
    return synthEstimate(node);
  },
  generate(node) {
    return generateVvau(node);
  },
});
