/**
 * ConvolutionInputGenerator (sliding window generator, SWG): attributes, geometry and the cycle/buffer
 * formulas of its hls and rtl backends (finn-qonnx reference §2; cf = IFMChannels/SIMD).
 */
import { z, type KernelNodeView } from '../../src/index.js';
import { datatype, datatypeName, flag, hwCommonAttributes, positiveInt, requireDivides } from '../../src/kernel.js';

const pair = z.array(positiveInt).length(2);

export const swgAttributes = z.looseObject({
  ...hwCommonAttributes,
  ConvKernelDim: pair,
  IFMChannels: positiveInt,
  IFMDim: pair,
  OFMDim: pair,
  SIMD: positiveInt.default(1),
  Stride: pair.default([1, 1]),
  Dilation: pair.default([1, 1]),
  inputDataType: datatypeName,
  outputDataType: datatypeName,
  depthwise: flag.default(0),
  ram_style: z.enum(['auto', 'block', 'distributed', 'ultra']).default('distributed'),
  /** rtl (and the hls 1D depthwise variant): emit a whole window per cycle. */
  parallel_window: flag.default(0),
});
export type SwgAttrs = z.infer<typeof swgAttributes>;

/** Attributes only the rtl SWG has (its backend's schema extension). */
export const swgRtlAttributes = z.looseObject({
  /** Image size set at run time over AXI-lite. */
  dynamic_mode: flag.default(0),
  /** Extra parallelism, not implemented in FINN (must be 1). */
  M: positiveInt.default(1),
});
export type SwgRtlAttrs = SwgAttrs & z.infer<typeof swgRtlAttributes>;

export function swg(node: KernelNodeView): SwgAttrs {
  const a = node.attrs as SwgAttrs;
  requireDivides(node.name, 'SIMD', a.SIMD, 'IFMChannels', a.IFMChannels);
  return a;
}

/** Output size of one axis without padding: floor((i − ((k−1)·d + 1))/s) + 1. */
export function convOut(i: number, k: number, s: number, d: number): number {
  return Math.floor((i - ((k - 1) * d + 1)) / s) + 1;
}

/** 1D when either image axis is 1 (FINN's test). */
export function isOneD(a: SwgAttrs): boolean {
  return a.IFMDim[0] === 1 || a.IFMDim[1] === 1;
}

/** A 1D case normalized so that the image runs along W: [h,w] = [1,N], kernel [1,k], … */
export interface Geometry {
  ifmH: number; ifmW: number; ofmH: number; ofmW: number;
  kh: number; kw: number; sh: number; sw: number; dh: number; dw: number;
  /** Channel fold cf = IFMChannels/SIMD. */
  cf: number;
}

export function geometry(a: SwgAttrs): Geometry {
  const swap = isOneD(a) && a.IFMDim[1] === 1 && a.IFMDim[0] !== 1;
  const ix = swap ? 1 : 0;
  const iy = swap ? 0 : 1;
  return {
    ifmH: a.IFMDim[ix]!, ifmW: a.IFMDim[iy]!, ofmH: a.OFMDim[ix]!, ofmW: a.OFMDim[iy]!,
    kh: a.ConvKernelDim[ix]!, kw: a.ConvKernelDim[iy]!, sh: a.Stride[ix]!, sw: a.Stride[iy]!,
    dh: a.Dilation[ix]!, dw: a.Dilation[iy]!, cf: a.IFMChannels / a.SIMD,
  };
}

/** Buffer width in bits: SIMD·A. */
export function bufferWidth(a: SwgAttrs): number {
  return a.SIMD * datatype(a.inputDataType).bitwidth();
}

/** HLS: the 1D variant that emits a window per cycle (parallel_window, depthwise, SIMD = C). */
export function hlsParallel1D(a: SwgAttrs): boolean {
  return isOneD(a) && a.parallel_window === 1 && a.depthwise === 1 && a.SIMD === a.IFMChannels;
}

/**
 * HLS cycles. 2D: ifmW·kh·dilH·cf + ofmH·max(ofmW·kw·kh·cf, strideW·ifmW·cf);
 * 1D: `_1D_parallel` kw + ofmW, `_1D` 1 + ofmW·kw·cf.
 */
export function hlsCycles(a: SwgAttrs): number {
  const g = geometry(a);
  if (isOneD(a)) return hlsParallel1D(a) ? g.kw + g.ofmW : 1 + g.ofmW * g.kw * g.cf;
  const write = g.ofmW * g.kw * g.kh * g.cf;
  const read = g.sw * g.ifmW * g.cf;
  return g.ifmW * g.kh * g.dh * g.cf + g.ofmH * Math.max(write, read);
}

/** RTL minimal buffer: ((kh−1)·dilH·ifmW + (kw−1)·dilW + 1)·cf. */
function rtlBufferMin(g: Geometry): number {
  return ((g.kh - 1) * g.dh * g.ifmW + (g.kw - 1) * g.dw + 1) * g.cf;
}

/**
 * RTL cycles. parallel style: #input words + 2. default 2D: buf_min + ofmH·max(write, read), with the
 * depthwise stride terms ofmW·(sW−1)·(cf−1) per row and (sH−1)·ifmW·cf; 1D: ofmW·kw·cf + 2
 * (depthwise: + cf·(kw−1)·(sW−1) − (kw−1)).
 */
export function rtlCycles(a: SwgAttrs): number {
  const g = geometry(a);
  if (a.parallel_window === 1) return g.ifmH * g.ifmW * g.cf + 2;
  const dw = a.depthwise === 1;
  if (isOneD(a)) {
    const base = g.ofmW * g.kw * g.cf + 2;
    return dw ? base + g.cf * (g.kw - 1) * (g.sw - 1) - (g.kw - 1) : base;
  }
  let max = Math.max(g.ofmW * g.kw * g.kh * g.cf, g.sw * g.ifmW * g.cf);
  if (dw) max += g.ofmW * (g.sw - 1) * (g.cf - 1);
  let cycles = rtlBufferMin(g) + g.ofmH * max;
  if (dw) cycles += (g.sh - 1) * g.ifmW * g.cf;
  return cycles;
}

/**
 * RTL buffer depth. default: buf_min + max(0, (sW−1−kh·kw)·cf) + max(0, ((sH−1)·ifmW − kh·kw)·cf);
 * parallel: ((kh−1)·dilH·ifmW + (kw−1)·dilW)·cf + 2.
 */
export function rtlBufferDepth(a: SwgAttrs): number {
  const g = geometry(a);
  if (a.parallel_window === 1) return ((g.kh - 1) * g.dh * g.ifmW + (g.kw - 1) * g.dw) * g.cf + 2;
  const k2 = g.kh * g.kw;
  return rtlBufferMin(g) + Math.max(0, (g.sw - 1 - k2) * g.cf) + Math.max(0, ((g.sh - 1) * g.ifmW - k2) * g.cf);
}

/** BRAM18 width for a line buffer of `depth` words: 36/18/9/4/2/1 for depth ≤ 512/1024/2048/4096/8192/more. */
export function ramWidthFor(depth: number): number {
  if (depth <= 512) return 36;
  if (depth <= 1024) return 18;
  if (depth <= 2048) return 9;
  if (depth <= 4096) return 4;
  if (depth <= 8192) return 2;
  return 1;
}
