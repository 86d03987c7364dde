import { defineBackend } from '../../src/index.js';
import { resources } from '../../src/kernel.js';

export default defineBackend({
  name: 'StreamingMaxPool_hls',
  kernel: 'StreamingMaxPool',
  language: 'hls',
  description: 'HLS streaming max pool; FINN has no resource model for it',
  isViable() {
    return true;
  },
  estimate() {
    return resources({});
  },
});
