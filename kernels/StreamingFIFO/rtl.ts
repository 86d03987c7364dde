import { defineBackend } from '../../src/index.js';
import { bram18Count, bramEfficiency, resources, uramCount, uramEfficiency } from '../../src/kernel.js';
import { effectiveDepth, fifo, fifoWidth } from './_model.js';
import { generateStreamingFifo } from './_rtl-gen.js';
import { synthEstimate } from './_rtl-estimate.js';

export default defineBackend({
  name: 'StreamingFIFO_rtl',
  kernel: 'StreamingFIFO',
  language: 'rtl',
  description: 'FIFO: finn-rtllib Q_srl (impl_style rtl) or the Vivado FIFO IP (impl_style vivado)',
  isViable() {
    return true;
  },
  /**
   * d = depth (vivado: next power of 2), W = stream width. BRAM (vivado + block) = BRAM18 table(d, W);
   * URAM (vivado + ultra) = ceil(d/4096)·ceil(W/72); LUT = 2·ceil(log2 d) + (rtl or vivado distributed ?
   * ceil(d/32)·ceil(W/2) : 0).
   */
  estimate(node) {
    const a = fifo(node);
    const d = effectiveDepth(a);
    const W = fifoWidth(a);
    const vivado = a.impl_style === 'vivado';
    const bram = vivado && a.ram_style === 'block' ? bram18Count(d, W) : 0;
    const uram = vivado && a.ram_style === 'ultra' ? uramCount(d, W) : 0;
    const lutRam = !vivado || a.ram_style === 'distributed' ? Math.ceil(d / 32) * Math.ceil(W / 2) : 0;
    const bits = d * W;
    return resources({
      BRAM_18K: bram,
      BRAM_efficiency: bramEfficiency(bits, bram),
      LUT: 2 * Math.ceil(Math.log2(d)) + lutRam,
      URAM: uram,
      URAM_efficiency: uramEfficiency(bits, uram),
    });
  },
  /** What Yosys makes of bs_fifo (docs/RTL-ESTIMATES.md); `estimate` keeps FINN's formula. */
  synthEstimate(node) {
    return synthEstimate(node);
  },
  generate(node) {
    return generateStreamingFifo(node);
  },
});
