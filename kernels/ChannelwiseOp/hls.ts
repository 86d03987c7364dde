import { defineBackend } from '../../src/index.js';
import { resources } from '../../src/kernel.js';

export default defineBackend({
  name: 'ChannelwiseOp_hls',
  kernel: 'ChannelwiseOp',
  language: 'hls',
  description: 'HLS per-channel add/mul/compare (finn-hlslib); FINN has no resource model for it (all estimates 0)',
  isViable() {
    return true;
  },
  estimate() {
    return resources({});
  },
});
