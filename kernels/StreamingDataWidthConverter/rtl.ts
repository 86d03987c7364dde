import { defineBackend } from '../../src/index.js';
import { resources } from '../../src/kernel.js';
import { dwc, dwcLut } from './_model.js';
import { generateDwc } from './_rtl-gen.js';
import { synthEstimate } from './_rtl-estimate.js';

export default defineBackend({
  name: 'StreamingDataWidthConverter_rtl',
  kernel: 'StreamingDataWidthConverter',
  language: 'rtl',
  description: 'RTL width converter (any ratio: through the lcm width when neither divides the other)',
  /** Our generator converts any pair of widths. */
  isViable() {
    return true;
  },
  /** FINN's rule: its RTL converter only takes widths where one is a multiple of the other, else HLS. */
  isDefault(node) {
    const a = dwc(node);
    return a.inWidth % a.outWidth === 0 || a.outWidth % a.inWidth === 0;
  },
  /** FINN's converter LUT model applies to both implementations. */
  estimate(node) {
    return resources({ LUT: dwcLut(dwc(node)) });
  },
  /** What Yosys makes of the converters (docs/RTL-ESTIMATES.md); `estimate` keeps FINN's formula. */
  synthEstimate(node) {
    return synthEstimate(node);
  },
  generate(node) {
    return generateDwc(node);
  },
});
