import { defineBackend } from '../../src/index.js';
import { generateStreamingMaxPool } from './_rtl-gen.js';
import { synthEstimate } from './_rtl-estimate.js';

export default defineBackend({
  name: 'StreamingMaxPool_rtl',
  kernel: 'StreamingMaxPool',
  language: 'rtl',
  description: 'RTL StreamingMaxPool (running maxima per window column, floor and ceil mode); FINN has only an HLS StreamingMaxPool',
  isViable() {
    return true;
  },
  /** FINN has no RTL StreamingMaxPool, so the default compile keeps its HLS choice; `--prefer rtl` picks this one. */
  isDefault() {
    return false;
  },
  /** What Yosys synth_xilinx makes of the generated RTL (docs/RTL-KERNELS.md). */
  estimate(node) {
    return synthEstimate(node);
  },
  generate(node) {
    return generateStreamingMaxPool(node);
  },
});
