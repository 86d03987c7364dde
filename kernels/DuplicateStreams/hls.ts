import { defineBackend } from '../../src/index.js';
import { resources } from '../../src/kernel.js';

export default defineBackend({
  name: 'DuplicateStreams_hls',
  kernel: 'DuplicateStreams',
  language: 'hls',
  description: 'HLS stream duplication; FINN has no resource model for it (all estimates 0)',
  isViable() {
    return true;
  },
  estimate() {
    return resources({});
  },
});
