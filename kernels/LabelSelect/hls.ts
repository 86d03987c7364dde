import { defineBackend } from '../../src/index.js';
import { resources } from '../../src/kernel.js';

export default defineBackend({
  name: 'LabelSelect_hls',
  kernel: 'LabelSelect',
  language: 'hls',
  description: 'HLS LabelSelect (finn-hlslib); FINN has no resource model for it',
  isViable() {
    return true;
  },
  estimate() {
    return resources({});
  },
});
