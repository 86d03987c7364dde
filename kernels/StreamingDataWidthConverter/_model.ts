/** StreamingDataWidthConverter: attributes and the LUT model shared by its hls and rtl backends (reference §2). */
import { z, BrainsmithError, type KernelNodeView } from '../../src/index.js';
import { datatype, datatypeName, hwCommonAttributes, positiveInt } from '../../src/kernel.js';

export const dwcAttributes = z.looseObject({
  ...hwCommonAttributes,
  /** Tensor shape (same on both sides); newer FINN writes in_shape/out_shape instead. */
  shape: z.array(positiveInt).optional(),
  in_shape: z.array(positiveInt).optional(),
  out_shape: z.array(positiveInt).optional(),
  inWidth: positiveInt,
  outWidth: positiveInt,
  dataType: datatypeName,
});
export type DwcAttrs = z.infer<typeof dwcAttributes>;

/**
 * Both stream widths must be whole numbers of elements, and each must divide the elements of one frame (the
 * shape without its batch axis), so no word is left half full. Not the channel axis: an MVAU after a removed
 * flatten reads [1, H, W, C] as one vector of H·W·C, and its SIMD need only divide that.
 */
export function dwc(node: KernelNodeView): DwcAttrs {
  const a = node.attrs as DwcAttrs;
  const bits = datatype(a.dataType).bitwidth();
  const shape = a.in_shape ?? a.shape ?? node.inputShapes[0];
  const frame = shape && shape.length > 0 ? (shape.length > 1 ? shape.slice(1) : shape).reduce((x, y) => x * y, 1) : undefined;
  for (const [what, w] of [['inWidth', a.inWidth], ['outWidth', a.outWidth]] as const) {
    if (w % bits !== 0) throw new BrainsmithError('E_FOLDING', `node '${node.name}': ${what}=${w} is not a multiple of the ${a.dataType} element width ${bits}`, { kind: 'input' });
    if (frame !== undefined && frame % (w / bits) !== 0) {
      throw new BrainsmithError('E_FOLDING', `node '${node.name}': ${what}=${w} (${w / bits} elements) does not divide the ${frame} elements of a frame [${shape!.join(', ')}]`, { kind: 'input' });
    }
  }
  return a;
}

function gcd(x: number, y: number): number {
  return y === 0 ? x : gcd(y, x % y);
}

/**
 * LUT = (in ≠ lcm ? |ceil(log2(in/lcm))| + lcm : 0) + (lcm ≠ out ? |ceil(log2(lcm/out))| + out : 0):
 * a shift-register converter through the least common multiple of the two widths.
 */
export function dwcLut(a: DwcAttrs): number {
  const inw = a.inWidth;
  const outw = a.outWidth;
  const lcm = (inw * outw) / gcd(inw, outw);
  let luts = 0;
  if (inw !== lcm) luts += Math.abs(Math.ceil(Math.log2(inw / lcm))) + lcm;
  if (lcm !== outw) luts += Math.abs(Math.ceil(Math.log2(lcm / outw))) + outw;
  return luts;
}
