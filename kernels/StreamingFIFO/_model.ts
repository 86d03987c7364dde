/** StreamingFIFO: attributes, stream width and the effective depth its cost model uses (reference §2). */
import { z, type KernelNodeView } from '../../src/index.js';
import { datatype, datatypeName, hwCommonAttributes, positiveInt } from '../../src/kernel.js';

export const fifoAttributes = z.looseObject({
  ...hwCommonAttributes,
  depth: z.number().int().min(2),
  /** Folded shape of the stream; its last axis times the element width is the FIFO width. */
  folded_shape: z.array(positiveInt).min(1),
  normal_shape: z.array(positiveInt).optional(),
  dataType: datatypeName,
  impl_style: z.enum(['rtl', 'vivado']).default('rtl'),
  ram_style: z.enum(['auto', 'block', 'distributed', 'ultra']).default('auto'),
  depth_monitor: z.union([z.literal(0), z.literal(1)]).default(0),
});
export type FifoAttrs = z.infer<typeof fifoAttributes>;

export const fifo = (node: KernelNodeView): FifoAttrs => node.attrs as FifoAttrs;

export function fifoWidth(a: FifoAttrs): number {
  return a.folded_shape.at(-1)! * datatype(a.dataType).bitwidth();
}

/** The vivado FIFO IP only comes in power-of-2 depths. */
export function effectiveDepth(a: FifoAttrs): number {
  return a.impl_style === 'vivado' ? 2 ** Math.ceil(Math.log2(a.depth)) : a.depth;
}
