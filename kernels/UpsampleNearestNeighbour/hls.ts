import { defineBackend } from '../../src/index.js';
import { resources } from '../../src/kernel.js';

export default defineBackend({
  name: 'UpsampleNearestNeighbour_hls',
  kernel: 'UpsampleNearestNeighbour',
  language: 'hls',
  description: 'HLS nearest-neighbour upsampler; FINN has no resource model for it (all estimates 0)',
  isViable() {
    return true;
  },
  estimate() {
    return resources({});
  },
});
