import { defineBackend } from '../../src/index.js';
import { resources } from '../../src/kernel.js';

export default defineBackend({
  name: 'Lookup_hls',
  kernel: 'Lookup',
  language: 'hls',
  description: 'HLS embedding lookup; FINN has no resource model for it (all estimates 0)',
  isViable() {
    return true;
  },
  estimate() {
    return resources({});
  },
});
