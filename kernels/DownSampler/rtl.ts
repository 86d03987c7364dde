import { defineBackend } from '../../src/index.js';
import { generateDownSampler } from './_rtl-gen.js';
import { synthEstimate } from './_rtl-estimate.js';

export default defineBackend({
  name: 'DownSampler_rtl',
  kernel: 'DownSampler',
  language: 'rtl',
  description: 'RTL DownSampler (phase counters keep every Stride-th pixel); FINN has only an HLS DownSampler',
  isViable() {
    return true;
  },
  /** FINN has no RTL DownSampler, so the default compile keeps its HLS choice; `--prefer rtl` picks this one. */
  isDefault() {
    return false;
  },
  /** What Yosys synth_xilinx makes of the generated RTL (docs/RTL-KERNELS.md). */
  estimate(node) {
    return synthEstimate(node);
  },
  generate(node) {
    return generateDownSampler(node);
  },
});
