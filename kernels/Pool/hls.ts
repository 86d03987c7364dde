import { defineBackend } from '../../src/index.js';
import { resources } from '../../src/kernel.js';

export default defineBackend({
  name: 'Pool_hls',
  kernel: 'Pool',
  language: 'hls',
  description: 'HLS Pool (finn-hlslib); FINN has no resource model for it (all estimates 0)',
  isViable() {
    return true;
  },
  estimate() {
    return resources({});
  },
});
