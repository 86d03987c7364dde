import { defineBackend } from '../../src/index.js';
import { resources } from '../../src/kernel.js';

export default defineBackend({
  name: 'StreamingConcat_hls',
  kernel: 'StreamingConcat',
  language: 'hls',
  description: 'HLS concatenation along channels; FINN has no resource model for it (all estimates 0)',
  isViable() {
    return true;
  },
  estimate() {
    return resources({});
  },
});
