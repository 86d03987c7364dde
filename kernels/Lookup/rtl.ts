import { defineBackend } from '../../src/index.js';
import { lookupAttributes } from './kernel.js';
import { generateLookup, lookupGeneratable } from './_rtl-gen.js';
import { synthEstimate } from './_rtl-estimate.js';

export default defineBackend({
  name: 'Lookup_rtl',
  kernel: 'Lookup',
  language: 'rtl',
  description: 'RTL embedding lookup, table in a ROM (brainsmith; FINN has only an HLS Lookup)',
  /** FINN has no rtl Lookup: the default compile keeps the HLS backend (and FINN's numbers). */
  isDefault() {
    return false;
  },
  /** The table inside the node (not mem_mode external), unsigned integer indices. */
  isViable(node) {
    return lookupGeneratable(lookupAttributes.parse(node.attrs));
  },
  /** What Yosys synth_xilinx makes of the generated RTL (_rtl-estimate.ts). */
  estimate(node) {
    return synthEstimate(node);
  },
  generate(node) {
    return generateLookup(node);
  },
});
