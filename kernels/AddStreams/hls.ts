import { defineBackend } from '../../src/index.js';
import { resources } from '../../src/kernel.js';

export default defineBackend({
  name: 'AddStreams_hls',
  kernel: 'AddStreams',
  language: 'hls',
  description: 'HLS AddStreams (finn-hlslib); FINN has no resource model for it (all estimates 0)',
  isViable() {
    return true;
  },
  estimate() {
    return resources({});
  },
});
