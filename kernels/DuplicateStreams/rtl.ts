import { defineBackend } from '../../src/index.js';
import { generateDuplicateStreams } from './_rtl-gen.js';
import { synthEstimate } from './_rtl-estimate.js';

export default defineBackend({
  name: 'DuplicateStreams_rtl',
  kernel: 'DuplicateStreams',
  language: 'rtl',
  description: 'RTL DuplicateStreams (held word, one pending bit per output); FINN has only an HLS DuplicateStreams',
  isViable() {
    return true;
  },
  /** FINN has no RTL DuplicateStreams, so the default compile keeps its HLS choice; `--prefer rtl` picks this one. */
  isDefault() {
    return false;
  },
  /** What Yosys synth_xilinx makes of the generated RTL (see _rtl-estimate.ts). */
  estimate(node) {
    return synthEstimate(node);
  },
  generate(node) {
    return generateDuplicateStreams(node);
  },
});
