import { defineBackend } from '../../src/index.js';
import { generateStreamingMaxPool, maxPoolShape } from './_rtl-gen.js';
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
  /** One input word per cycle: H·W·C/lanes per frame (FINN's HLS formula, the kernel's `cycles`, is larger). */
  cycles(node) {
    const a = node.attrs as { ImgDim: number[] } & Parameters<typeof maxPoolShape>[0];
    return a.ImgDim[0]! * a.ImgDim[1]! * maxPoolShape(a).folds;
  },
  /** What Yosys synth_xilinx makes of the generated RTL (docs/RTL-KERNELS.md). */
  estimate(node) {
    return synthEstimate(node);
  },
  generate(node) {
    return generateStreamingMaxPool(node);
  },
});
