import { defineBackend } from '../../src/index.js';
import { resources } from '../../src/kernel.js';
import { bufferWidth, geometry, hlsParallel1D, isOneD, ramWidthFor, swg, type SwgAttrs } from './_model.js';

/**
 * FINN's hls SWG: no dynamic mode or M (the rtl SWG's attributes, when a node carries them), 2D only square and
 * undilated, parallel_window only for the 1D depthwise SIMD=C variant.
 */
export function hlsViable(a: SwgAttrs & { dynamic_mode?: unknown; M?: unknown }): boolean {
  if ((a.dynamic_mode ?? 0) !== 0 || (a.M ?? 1) !== 1) return false;
  if (a.parallel_window === 1 && !hlsParallel1D(a)) return false;
  if (isOneD(a)) return a.depthwise === 1 || (a.Dilation[0] === 1 && a.Dilation[1] === 1);
  const square = (v: readonly number[]) => v[0] === v[1];
  return square(a.ConvKernelDim) && square(a.IFMDim) && square(a.Stride) && a.Dilation[0] === 1 && a.Dilation[1] === 1;
}

export default defineBackend({
  name: 'ConvolutionInputGenerator_hls',
  kernel: 'ConvolutionInputGenerator',
  language: 'hls',
  description: 'HLS sliding window generator (finn-hlslib); square undilated 2D windows or 1D',
  isViable(node) {
    return hlsViable(swg(node));
  },
  /**
   * Line buffers of depth ifmDim·cf, (k + stride) of them (FINN's formula, square case; for 1D the W axis):
   * BRAM (block/auto) = (k+s)·ceil(Q·A/ram_width); LUT = 300 (+ (k+s)·Q·A·ceil(ifmDim·cf/64) distributed);
   * URAM (ultra) = (k+s)·ceil(Q·A/64)·ceil(ifmDim·cf/4096).
   */
  estimate(node) {
    const a = swg(node);
    const g = geometry(a);
    const ks = g.kw + g.sw;
    const width = bufferWidth(a);
    const depth = g.ifmW * g.cf;
    const bram = a.ram_style === 'block' || a.ram_style === 'auto' ? ks * Math.ceil(width / ramWidthFor(depth)) : 0;
    const lut = 300 + (a.ram_style === 'distributed' ? ks * width * Math.ceil(depth / 64) : 0);
    const uram = a.ram_style === 'ultra' ? ks * Math.ceil(width / 64) * Math.ceil(depth / 4096) : 0;
    return resources({ BRAM_18K: bram, LUT: lut, URAM: uram });
  },
});
