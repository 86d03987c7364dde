import { defineBackend } from '../../src/index.js';
import { checkFolding, lutMvauEstimate, mvau } from './_model.js';

export default defineBackend({
  name: 'MVAU_hls',
  kernel: 'MVAU',
  language: 'hls',
  description: 'HLS MVAU (finn-hlslib); supports every MVAU configuration',
  isViable() {
    return true;
  },
  /**
   * LUT = int(300 + 1.1·P·(mult + adder + acc + thr + comp) + c2); DSP = P·Q·ceil((W+A)/48) with resType dsp.
   */
  estimate(node) {
    const a = mvau(node);
    checkFolding(node, a);
    return lutMvauEstimate(a);
  },
});
