import { defineBackend } from '../../src/index.js';
import { resources } from '../../src/kernel.js';

export default defineBackend({
  name: 'FMPadding_hls',
  kernel: 'FMPadding',
  language: 'hls',
  description: 'HLS FMPadding; FINN has no resource model for it',
  isViable() {
    return true;
  },
  estimate() {
    return resources({});
  },
});
