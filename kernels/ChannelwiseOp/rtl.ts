import { defineBackend } from '../../src/index.js';
import { channelwiseOpAttributes } from './kernel.js';
import { channelwiseGeneratable, generateChannelwise } from './_rtl-gen.js';
import { synthEstimate } from './_rtl-estimate.js';

export default defineBackend({
  name: 'ChannelwiseOp_rtl',
  kernel: 'ChannelwiseOp',
  language: 'rtl',
  description: 'RTL per-channel add/mul/compare (brainsmith; FINN has only an HLS ChannelwiseOp)',
  /** FINN has no rtl ChannelwiseOp: the default compile keeps the HLS backend (and FINN's numbers). */
  isDefault() {
    return false;
  },
  /** Integer input, parameter and output datatypes (what the mapping produces). */
  isViable(node) {
    return channelwiseGeneratable(channelwiseOpAttributes.parse(node.attrs));
  },
  /** What Yosys synth_xilinx makes of the generated RTL (_rtl-estimate.ts). */
  estimate(node) {
    return synthEstimate(node);
  },
  generate(node) {
    return generateChannelwise(node);
  },
});
