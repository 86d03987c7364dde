/** Thresholding: attributes and the folding shared by its backends (reference §2). */
import { z, type KernelNodeView } from '../../src/index.js';
import { datatypeName, flag, hwCommonAttributes, positiveInt, prod, requireDivides } from '../../src/kernel.js';

export const thresholdingAttributes = z.looseObject({
  ...hwCommonAttributes,
  PE: positiveInt.default(1),
  NumChannels: positiveInt,
  ram_style: z.enum(['auto', 'block', 'distributed', 'ultra']).default('distributed'),
  inputDataType: datatypeName,
  weightDataType: datatypeName.default('INT32'),
  outputDataType: datatypeName,
  ActVal: z.number().int().default(0),
  numSteps: positiveInt.default(1),
  numInputVectors: z.array(positiveInt).default([1]),
  runtime_writeable_weights: flag.default(0),
  depth_trigger_uram: z.number().int().min(0).default(0),
  depth_trigger_bram: z.number().int().min(0).default(0),
});
export type ThresholdingAttrs = z.infer<typeof thresholdingAttributes>;

export function thresholding(node: KernelNodeView): ThresholdingAttrs {
  const a = node.attrs as ThresholdingAttrs;
  requireDivides(node.name, 'PE', a.PE, 'NumChannels', a.NumChannels);
  return a;
}

/** cycles = prod(numInputVectors)·NumChannels/PE. */
export function thresholdingCycles(a: ThresholdingAttrs): number {
  return (prod(a.numInputVectors) * a.NumChannels) / a.PE;
}
