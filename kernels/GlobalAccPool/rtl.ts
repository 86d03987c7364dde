import { defineBackend } from '../../src/index.js';
import { generateGlobalAccPool } from './_rtl-gen.js';
import { synthEstimate } from './_rtl-estimate.js';

export default defineBackend({
  name: 'GlobalAccPool_rtl',
  kernel: 'GlobalAccPool',
  language: 'rtl',
  description: 'RTL GlobalAccPool (per-fold accumulators, output during the last pixel); FINN has only an HLS GlobalAccPool',
  isViable() {
    return true;
  },
  /** FINN has no RTL GlobalAccPool, so the default compile keeps its HLS choice; `--prefer rtl` picks this one. */
  isDefault() {
    return false;
  },
  /** One input word per cycle; the sums leave during the last pixel (the kernel's `cycles` adds C/PE for them). */
  cycles(node) {
    const a = node.attrs as { NumChannels: number; PE: number; numInputVectors: number[] };
    return (a.numInputVectors.reduce((p, d) => p * d, 1) * a.NumChannels) / a.PE;
  },
  /** What Yosys synth_xilinx makes of the generated RTL (docs/RTL-KERNELS.md). */
  estimate(node) {
    return synthEstimate(node);
  },
  generate(node) {
    return generateGlobalAccPool(node);
  },
});
