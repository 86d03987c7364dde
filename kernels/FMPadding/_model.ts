/** FMPadding: zero padding of an NHWC image; attributes shared by the hls and rtl backends. */
import { z, type KernelNodeView } from '../../src/index.js';
import { datatypeName, hwCommonAttributes, positiveInt, requireDivides } from '../../src/kernel.js';

const int = z.number().int();
export const fmpaddingAttributes = z.looseObject({
  ...hwCommonAttributes,
  ImgDim: z.array(positiveInt).length(2),
  /** [top, left, bottom, right] */
  Padding: z.array(int.min(0)).length(4),
  NumChannels: positiveInt,
  SIMD: positiveInt.default(1),
  inputDataType: datatypeName,
  numInputVectors: z.union([positiveInt, z.array(positiveInt)]).default(1),
  dynamic_mode: z.union([z.literal(0), z.literal(1)]).default(0),
});
export type FmpaddingAttrs = z.infer<typeof fmpaddingAttributes>;

export function fmpadding(node: KernelNodeView): FmpaddingAttrs {
  const a = node.attrs as FmpaddingAttrs;
  requireDivides(node.name, 'SIMD', a.SIMD, 'NumChannels', a.NumChannels);
  return a;
}

export function batchOf(a: FmpaddingAttrs): number {
  return Array.isArray(a.numInputVectors) ? a.numInputVectors.reduce((p, v) => p * v, 1) : a.numInputVectors;
}

export function outDims(a: FmpaddingAttrs): [number, number] {
  const [t, l, b, r] = a.Padding as [number, number, number, number];
  return [a.ImgDim[0]! + t + b, a.ImgDim[1]! + l + r];
}
