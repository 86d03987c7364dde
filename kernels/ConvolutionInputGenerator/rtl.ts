import { defineBackend } from '../../src/index.js';
import { resources } from '../../src/kernel.js';
import { bufferWidth, geometry, isOneD, ramWidthFor, rtlBufferDepth, rtlCycles, swg, swgRtlAttributes, type SwgAttrs, type SwgRtlAttrs } from './_model.js';
import { generateSwg, rtlGenerateProblem, swgPlan } from './_rtl-gen.js';
import { swgStreamBehaviour } from './_stream-model.js';
import { synthEstimate } from './_rtl-estimate.js';

/**
 * FINN's rule for its rtl SWG: parallel_window needs SIMD = IFMChannels and no dynamic mode; M (not implemented
 * in FINN) must be 1.
 */
export function rtlViable(a: SwgRtlAttrs): boolean {
  if (a.M !== 1) return false;
  if (a.parallel_window === 1) return a.SIMD === a.IFMChannels && a.dynamic_mode === 0;
  return true;
}

/** The line buffers the rtl SWG holds: one circular buffer (default style) or kh−1 line buffers (parallel, 2D). */
function lineBuffers(a: SwgAttrs): { depth: number; count: number } {
  if (a.parallel_window !== 1) return { depth: rtlBufferDepth(a), count: 1 };
  if (isOneD(a)) return { depth: 0, count: 0 };
  const g = geometry(a);
  const kernelWidth = (g.kw - 1) * g.dw + 1;
  return { depth: g.ifmW - kernelWidth + g.ifmW * (g.dh - 1), count: g.kh - 1 };
}

/** BRAM18 of one buffer: ceil(depth/16384)·ceil(w/ram_width), less what the shallow last cascade stage saves. */
function bramOf(depth: number, width: number): number {
  const cascadeWidth = Math.ceil(width / ramWidthFor(depth));
  let savings = 0;
  if (depth > 16384) savings = cascadeWidth - Math.ceil(width / ramWidthFor(depth % 16384));
  return Math.ceil(depth / 16384) * cascadeWidth - savings;
}

export default defineBackend({
  name: 'ConvolutionInputGenerator_rtl',
  kernel: 'ConvolutionInputGenerator',
  language: 'rtl',
  description: 'RTL sliding window generator (finn-rtllib swg): any 2D/1D geometry, dilation, parallel_window',
  attributeSchema: swgRtlAttributes,
  /**
   * Wherever our generator works (_rtl-gen.ts): every geometry, depthwise, dilation, 1D, parallel_window with
   * SIMD < IFMChannels when depthwise; not dynamic_mode or M > 1.
   */
  isViable(node) {
    return rtlGenerateProblem(swg(node) as SwgRtlAttrs) === undefined;
  },
  /** FINN's SpecializeLayers rule (rtlViable), so that the default compile keeps FINN's choice and numbers. */
  isDefault(node) {
    return rtlViable(swg(node) as SwgRtlAttrs);
  },
  /**
   * SetFolding's switches: a non-depthwise SWG still over target at max SIMD gets parallel_window=1; a
   * depthwise one gets parallel_window=1 when the VVAU/Pool it feeds reads several positions (its SIMD > 1).
   */
  parallelism(node) {
    const a = swg(node);
    return a.depthwise === 1 ? { SIMD: { followSwitch: { attribute: 'parallel_window', whenConsumer: 'SIMD' } } } : { SIMD: { overTargetSwitch: 'parallel_window' } };
  },
  cycles(node) {
    return rtlCycles(swg(node));
  },
  /**
   * BRAM (block/auto) per buffer as in bramOf, × count; LUT = 300 + (distributed ? Q·A·ceil(depth/38) : 0)
   * with depth the circular-buffer depth; URAM (ultra) = ceil(depth/4096)·ceil(Q·A/72) × count.
   */
  estimate(node) {
    const a = swg(node);
    const width = bufferWidth(a);
    const { depth, count } = lineBuffers(a);
    const bram = (a.ram_style === 'block' || a.ram_style === 'auto') && count > 0 ? bramOf(depth, width) * count : 0;
    const lut = 300 + (a.ram_style === 'distributed' ? width * Math.ceil(rtlBufferDepth(a) / 38) : 0);
    const uram = a.ram_style === 'ultra' && count > 0 ? Math.ceil(depth / 4096) * Math.ceil(width / 72) * count : 0;
    return resources({ BRAM_18K: bram, LUT: lut, URAM: uram });
  },
  /** What Yosys makes of our generated RTL (`estimate` keeps FINN's formula for the default compile). */
  synthEstimate(node) {
    return synthEstimate(node);
  },
  /** The kernel's stream model with our generator's buffer (deeper than FINN's rtl buffer; _rtl-gen.ts swgPlan). */
  streamBehaviour(node) {
    return swgStreamBehaviour(node, swgPlan(swg(node)).depth);
  },
  generate(node) {
    return generateSwg(node);
  },
});
