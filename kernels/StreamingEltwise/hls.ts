import { defineBackend } from '../../src/index.js';
import { resources } from '../../src/kernel.js';

export default defineBackend({
  name: 'StreamingEltwise_hls',
  kernel: 'StreamingEltwise',
  language: 'hls',
  description: 'HLS element-wise Add/Sub/AbsDiff of two streams; FINN has no resource model for it (all estimates 0)',
  isViable() {
    return true;
  },
  estimate() {
    return resources({});
  },
});
