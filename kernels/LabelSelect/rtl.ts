import { defineBackend } from '../../src/index.js';
import { resources } from '../../src/kernel.js';
import { generateLabelSelect } from './_rtl-gen.js';
import { synthEstimate } from './_rtl-estimate.js';

export default defineBackend({
  name: 'LabelSelect_rtl',
  kernel: 'LabelSelect',
  language: 'rtl',
  description: 'RTL LabelSelect (sorted top-K insertion list); FINN has only an HLS LabelSelect',
  isViable() {
    return true;
  },
  /** FINN has no RTL LabelSelect, so the default compile keeps its HLS choice; `--prefer rtl` picks this one. */
  isDefault() {
    return false;
  },
  /** FINN has no rtl LabelSelect to stay comparable with, so the estimate is the synthesis prediction. */
  estimate(node) {
    const s = synthEstimate(node);
    return resources({ LUT: s.LUT, BRAM_18K: 2 * s.BRAM_36K! + s.BRAM_18K!, URAM: s.URAM, DSP: s.DSP });
  },
  /** What Yosys makes of the insertion list (docs/RTL-ESTIMATES.md). */
  synthEstimate(node) {
    return synthEstimate(node);
  },
  generate(node) {
    return generateLabelSelect(node);
  },
});
