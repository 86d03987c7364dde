import { defineBackend } from '../../src/index.js';
import { resources } from '../../src/kernel.js';
import { dwc, dwcLut } from './_model.js';

export default defineBackend({
  name: 'StreamingDataWidthConverter_hls',
  kernel: 'StreamingDataWidthConverter',
  language: 'hls',
  description: 'HLS width converter (finn-hlslib); any pair of widths, through their least common multiple',
  isViable() {
    return true;
  },
  /** LUT per dwcLut; no BRAM, URAM or DSP. */
  estimate(node) {
    return resources({ LUT: dwcLut(dwc(node)) });
  },
});
