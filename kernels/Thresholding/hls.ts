import { defineBackend } from '../../src/index.js';
import { bramEfficiency, datatype, resources } from '../../src/kernel.js';
import { thresholding } from './_model.js';

export default defineBackend({
  name: 'Thresholding_hls',
  kernel: 'Thresholding',
  language: 'hls',
  description: 'HLS thresholding (finn-hlslib)',
  isViable() {
    return true;
  },
  /** BRAM = ceil(A·P/16)·ceil(tmem/1024) for block RAM with tmem > 1; LUT = A·P (+ P·A·ceil(tmem/64) in LUTRAM). */
  estimate(node) {
    const a = thresholding(node);
    const A = datatype(a.inputDataType).bitwidth();
    const P = a.PE;
    const tmem = a.NumChannels / P;
    const bram = a.ram_style === 'block' && tmem > 1 ? Math.ceil((A * P) / 16) * Math.ceil(tmem / 1024) : 0;
    const lut = A * P + (a.ram_style === 'distributed' && tmem > 1 ? P * A * Math.ceil(tmem / 64) : 0);
    const bits = a.NumChannels * a.numSteps * datatype(a.weightDataType).bitwidth();
    return resources({ BRAM_18K: bram, BRAM_efficiency: bramEfficiency(bits, bram), LUT: lut });
  },
});
