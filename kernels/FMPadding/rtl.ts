import { defineBackend } from '../../src/index.js';
import { resources } from '../../src/kernel.js';
import { fmpadding } from './_model.js';
import { generateFmpadding } from './_rtl-gen.js';
import { synthEstimate } from './_rtl-estimate.js';

export default defineBackend({
  name: 'FMPadding_rtl',
  kernel: 'FMPadding',
  language: 'rtl',
  description: 'RTL FMPadding; FINN has no resource model for it',
  /**
   * FINN's rtl FMPadding takes every node; our generator implements every static padding (dynamic_mode, which
   * the mapping never sets, is refused by generate with a reason).
   */
  isViable(node) {
    fmpadding(node);
    return true;
  },
  estimate() {
    return resources({});
  },
  /** What Yosys makes of our generated RTL (`estimate` keeps FINN's formula for the default compile). */
  synthEstimate(node) {
    return synthEstimate(node);
  },
  generate(node) {
    return generateFmpadding(node);
  },
});
