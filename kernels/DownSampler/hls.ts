import { defineBackend } from '../../src/index.js';
import { resources } from '../../src/kernel.js';

export default defineBackend({
  name: 'DownSampler_hls',
  kernel: 'DownSampler',
  language: 'hls',
  description: 'HLS downsampler (1x1 window with stride); FINN has no resource model for it (all estimates 0)',
  isViable() {
    return true;
  },
  estimate() {
    return resources({});
  },
});
