import { defineBackend } from '../../src/index.js';
import { generatePool } from './_rtl-gen.js';
import { synthEstimate } from './_rtl-estimate.js';

export default defineBackend({
  name: 'Pool_rtl',
  kernel: 'Pool',
  language: 'rtl',
  description: 'RTL Pool (MaxPool / QuantAvgPool over the taps of each fold, one word per cycle); FINN has only an HLS Pool',
  isViable() {
    return true;
  },
  /** FINN has no RTL Pool, so the default compile keeps its HLS choice; `--prefer rtl` picks this one. */
  isDefault() {
    return false;
  },
  /** What Yosys synth_xilinx makes of the generated RTL (docs/RTL-KERNELS.md). */
  estimate(node) {
    return synthEstimate(node);
  },
  generate(node) {
    return generatePool(node);
  },
});
