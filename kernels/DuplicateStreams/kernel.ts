import { defineKernel, z } from '../../src/index.js';
import { channelStreamHooks, channelStreamShape, datatype, datatypeName, floatTensor, hwCommonAttributes, numbers, positiveInt, requireDivides, requireLastAxis, type KernelNodeView } from '../../src/kernel.js';
import { duplicateStreamsBehaviour } from './_stream-model.js';

export const duplicateStreamsAttributes = z.looseObject({
  ...hwCommonAttributes,
  NumChannels: positiveInt,
  PE: positiveInt.default(1),
  NumOutputStreams: z.number().int().min(2).default(2),
  inputDataType: datatypeName,
  numInputVectors: z.array(positiveInt).default([1]),
});
type Attrs = z.infer<typeof duplicateStreamsAttributes>;

function attrs(node: KernelNodeView): Attrs {
  const a = node.attrs as Attrs;
  requireDivides(node.name, 'PE', a.PE, 'NumChannels', a.NumChannels);
  return a;
}

export default defineKernel({
  name: 'DuplicateStreams',
  domain: 'finn.custom_op.fpgadataflow',
  description: 'Copies one stream to NumOutputStreams outputs (fan-out)',
  attributeSchema: duplicateStreamsAttributes,
  // PE folds NumChannels; cycles = prod(numInputVectors)·C/PE.
  ...channelStreamHooks(attrs),
  /** All outputs move together (reference §2.12): _stream-model.ts. */
  streamBehaviour(node) {
    return duplicateStreamsBehaviour(node);
  },
  /** PE·bits in, and the same on every output. */
  streamWidths(node) {
    const a = attrs(node);
    const w = a.PE * datatype(a.inputDataType).bitwidth();
    return { inputs: [w], outputs: Array.from({ length: a.NumOutputStreams }, () => w) };
  },
  /** One copy of the input stream per output. */
  inferShapes(node) {
    const a = attrs(node);
    const shape = channelStreamShape(node, a);
    return Array.from({ length: a.NumOutputStreams }, () => [...shape]);
  },
  inferDatatypes(node) {
    const a = attrs(node);
    return Array.from({ length: a.NumOutputStreams }, () => a.inputDataType);
  },
  execute(inputs, attributes) {
    const a = duplicateStreamsAttributes.parse(attributes);
    const x = requireLastAxis(inputs[0], a.NumChannels, 'DuplicateStreams input 0');
    const v = numbers(x, 'input 0');
    return Array.from({ length: a.NumOutputStreams }, () => floatTensor(x.dims, v));
  },
});
