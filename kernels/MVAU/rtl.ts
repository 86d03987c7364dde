import { defineBackend } from '../../src/index.js';
import { datatype, resources } from '../../src/kernel.js';
import { checkFolding, lutMvauEstimate, mvau, rtlPossible, weightMemory } from './_model.js';
import { generateMvau } from './_rtl-gen.js';
import { synthEstimate } from './_rtl-estimate.js';

export default defineBackend({
  name: 'MVAU_rtl',
  kernel: 'MVAU',
  language: 'rtl',
  description: 'RTL MVAU: every MVAU configuration (XNOR, thresholds, INTn/UINTn); FINN\'s DSP-based rtl MVAU where FINN has one',
  /** Our generator implements every MVAU (src/hdl, rtl-gen.ts), so --prefer rtl can always take it. */
  isViable() {
    return true;
  },
  /**
   * FINN has an rtl MVAU only for its _mvu_rtl_possible cases (no thresholds, not XNOR, signed weights ≤ 8 bits)
   * and picks it by default only when input and weight datatypes are both at least 4 bits wide.
   */
  isDefault(node) {
    const a = mvau(node);
    return rtlPossible(node, a) && datatype(a.inputDataType).bitwidth() >= 4 && datatype(a.weightDataType).bitwidth() >= 4;
  },
  /**
   * FINN's rtl formula (LUT = 0, not modelled; DSP = P·ceil(Q/3) on DSP58, otherwise ceil(P/4)·Q) where FINN has
   * an rtl MVAU; elsewhere our LUT-based datapath, estimated with FINN's LUT MVAU formula until synthesis
   * calibrates it.
   */
  estimate(node) {
    const a = mvau(node);
    checkFolding(node, a);
    if (!rtlPossible(node, a)) return lutMvauEstimate(a);
    const dsp58 = node.target?.dspFamily === 'DSP58';
    const dsp = dsp58 ? a.PE * Math.ceil(a.SIMD / 3) : Math.ceil(a.PE / 4) * a.SIMD;
    return resources({ ...weightMemory(a), LUT: 0, DSP: dsp });
  },
  /** What Yosys makes of our RTL (docs/RTL-ESTIMATES.md); `estimate` keeps FINN's formulas. */
  synthEstimate(node) {
    return synthEstimate(node);
  },
  generate(node) {
    return generateMvau(node);
  },
});
