import { defineKernel, z, BrainsmithError, smallestDataType } from '../../src/index.js';
import { channelStreamHooks, datatype, datatypeName, floatTensor, hwCommonAttributes, twoStreams, positiveInt, requireDivides, type KernelNodeView } from '../../src/kernel.js';
import { addStreamsBehaviour } from './_stream-model.js';

export const addStreamsAttributes = z.looseObject({
  ...hwCommonAttributes,
  NumChannels: positiveInt,
  PE: positiveInt.default(1),
  /** One datatype per input (current FINN); older models carry a single inputDataType. */
  inputDataTypes: z.array(datatypeName).length(2).optional(),
  inputDataType: datatypeName.optional(),
  numInputVectors: z.array(positiveInt).default([1]),
});
type Attrs = z.infer<typeof addStreamsAttributes>;

function attrs(node: KernelNodeView): Attrs {
  const a = node.attrs as Attrs;
  requireDivides(node.name, 'PE', a.PE, 'NumChannels', a.NumChannels);
  inputTypes(a, node.name);
  return a;
}

function inputTypes(a: Attrs, name: string): [string, string] {
  const t = a.inputDataTypes ?? (a.inputDataType ? [a.inputDataType, a.inputDataType] : undefined);
  if (!t) throw new BrainsmithError('E_KERNEL_ATTR', `node '${name}': AddStreams needs inputDataTypes (or inputDataType)`, { kind: 'input' });
  return [t[0]!, t[1]!];
}

export default defineKernel({
  name: 'AddStreams',
  domain: 'finn.custom_op.fpgadataflow',
  description: 'Element-wise sum of two streams of the same shape',
  inferFrom: ['Add'],
  attributeSchema: addStreamsAttributes,
  // PE folds NumChannels; cycles = prod(numInputVectors)·C/PE; output shape = input shape.
  ...channelStreamHooks(attrs),
  /** Both inputs move together (reference §2.11): _stream-model.ts. */
  streamBehaviour(node) {
    return addStreamsBehaviour(node);
  },
  /** in = PE·bits of each input, out = PE·bits of the sum type. */
  streamWidths(node) {
    const a = attrs(node);
    const [t0, t1] = inputTypes(a, node.name).map(datatype) as [ReturnType<typeof datatype>, ReturnType<typeof datatype>];
    const out = smallestDataType(t0.min() + t1.min(), t0.max() + t1.max());
    return { inputs: [a.PE * t0.bitwidth(), a.PE * t1.bitwidth()], outputs: [a.PE * out.bitwidth()] };
  },
  /** The smallest type holding every sum: [min0 + min1, max0 + max1]. */
  inferDatatypes(node) {
    const [t0, t1] = inputTypes(attrs(node), node.name).map(datatype) as [ReturnType<typeof datatype>, ReturnType<typeof datatype>];
    return [smallestDataType(t0.min() + t1.min(), t0.max() + t1.max()).name];
  },
  execute(inputs, attributes) {
    const a = addStreamsAttributes.parse(attributes);
    const { dims, p, q } = twoStreams(inputs, a.NumChannels, 'AddStreams');
    return [floatTensor(dims, p.map((v, i) => v + q[i]!))];
  },
});
