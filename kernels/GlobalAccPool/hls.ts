import { defineBackend } from '../../src/index.js';
import { resources } from '../../src/kernel.js';

export default defineBackend({
  name: 'GlobalAccPool_hls',
  kernel: 'GlobalAccPool',
  language: 'hls',
  description: 'HLS global accumulation pool (finn-hlslib); FINN has no resource model for it (all estimates 0)',
  isViable() {
    return true;
  },
  estimate() {
    return resources({});
  },
});
