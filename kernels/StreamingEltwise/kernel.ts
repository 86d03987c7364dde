import { defineKernel, z, smallestDataType } from '../../src/index.js';
import { channelStreamHooks, datatype, datatypeName, floatTensor, hwCommonAttributes, twoStreams, positiveInt, requireDivides, type KernelNodeView } from '../../src/kernel.js';
import { eltwiseBehaviour } from './_stream-model.js';

export const streamingEltwiseAttributes = z.looseObject({
  ...hwCommonAttributes,
  NumChannels: positiveInt,
  PE: positiveInt.default(1),
  inputDataType0: datatypeName,
  inputDataType1: datatypeName,
  eltwiseOp: z.enum(['Add', 'Sub', 'AbsDiff']).default('Add'),
  numInputVectors: z.array(positiveInt).default([1]),
});
type Attrs = z.infer<typeof streamingEltwiseAttributes>;

function attrs(node: KernelNodeView): Attrs {
  const a = node.attrs as Attrs;
  requireDivides(node.name, 'PE', a.PE, 'NumChannels', a.NumChannels);
  return a;
}

const OPS: Record<Attrs['eltwiseOp'], (x: number, y: number) => number> = {
  Add: (x, y) => x + y,
  Sub: (x, y) => x - y,
  AbsDiff: (x, y) => Math.abs(x - y),
};

/** The smallest type holding every result of the op over the two input ranges. */
export function eltwiseOutputType(a: Attrs): string {
  const t0 = datatype(a.inputDataType0);
  const t1 = datatype(a.inputDataType1);
  if (a.eltwiseOp === 'Add') return smallestDataType(t0.min() + t1.min(), t0.max() + t1.max()).name;
  const lo = t0.min() - t1.max();
  const hi = t0.max() - t1.min();
  if (a.eltwiseOp === 'Sub') return smallestDataType(lo, hi).name;
  return smallestDataType(0, Math.max(Math.abs(lo), Math.abs(hi))).name;
}

export default defineKernel({
  name: 'StreamingEltwise',
  domain: 'finn.custom_op.fpgadataflow',
  description: 'Element-wise Add, Sub or AbsDiff (Sub→Abs) of two streams',
  inferFrom: ['Sub', 'Abs'],
  attributeSchema: streamingEltwiseAttributes,
  // PE folds NumChannels; cycles = prod(numInputVectors)·C/PE; output shape = input shape.
  ...channelStreamHooks(attrs),
  /** PE divides NumChannels, but FINN's SetFolding leaves StreamingEltwise's PE as it is. */
  parallelism(node) {
    return { PE: { dimension: 'NumChannels', size: attrs(node).NumChannels, fold: 'keep' as const } };
  },
  /** in = PE·bits of each input, out = PE·bits of the result type. */
  /** When each word moves (FIFO sizing's dataflow model): _stream-model.ts. */
  streamBehaviour(node) {
    return eltwiseBehaviour(node);
  },
  streamWidths(node) {
    const a = attrs(node);
    const b = (t: string) => a.PE * datatype(t).bitwidth();
    return { inputs: [b(a.inputDataType0), b(a.inputDataType1)], outputs: [b(eltwiseOutputType(a))] };
  },
  inferDatatypes(node) {
    return [eltwiseOutputType(attrs(node))];
  },
  execute(inputs, attributes) {
    const a = streamingEltwiseAttributes.parse(attributes);
    const { dims, p, q } = twoStreams(inputs, a.NumChannels, 'StreamingEltwise');
    const f = OPS[a.eltwiseOp];
    return [floatTensor(dims, p.map((v, i) => f(v, q[i]!)))];
  },
});
