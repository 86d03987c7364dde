import { defineBackend } from '../../src/index.js';
import { generateUpsample } from './_rtl-gen.js';
import { synthEstimate } from './_rtl-estimate.js';

export default defineBackend({
  name: 'UpsampleNearestNeighbour_rtl',
  kernel: 'UpsampleNearestNeighbour',
  language: 'rtl',
  description: 'RTL nearest-neighbour upsampler (two row buffers, Bresenham source walk); FINN has only an HLS upsampler',
  isViable() {
    return true;
  },
  /** FINN has no RTL UpsampleNearestNeighbour, so the default compile keeps its HLS choice; `--prefer rtl` picks this one. */
  isDefault() {
    return false;
  },
  /** What Yosys synth_xilinx makes of the generated RTL (docs/RTL-KERNELS.md). */
  estimate(node) {
    return synthEstimate(node);
  },
  generate(node) {
    return generateUpsample(node);
  },
});
