import { defineKernel, z, BrainsmithError } from '../../src/index.js';
import { channelStreamHooks, datatype, datatypeName, floatTensor, hwCommonAttributes, numbers, positiveInt, requireDivides, requireLastAxis, type KernelNodeView } from '../../src/kernel.js';
import { channelwiseBehaviour } from './_stream-model.js';

export const channelwiseOpAttributes = z.looseObject({
  ...hwCommonAttributes,
  Func: z.enum(['cmp_le', 'cmp_ge', 'add', 'mul']).default('cmp_le'),
  PE: positiveInt.default(1),
  NumChannels: positiveInt,
  inputDataType: datatypeName,
  paramDataType: datatypeName,
  outputDataType: datatypeName,
  numInputVectors: z.array(positiveInt).default([1]),
  ram_style: z.enum(['distributed', 'block']).default('distributed'),
});
type Attrs = z.infer<typeof channelwiseOpAttributes>;

function attrs(node: KernelNodeView): Attrs {
  const a = node.attrs as Attrs;
  requireDivides(node.name, 'PE', a.PE, 'NumChannels', a.NumChannels);
  return a;
}

const FUNCS: Record<Attrs['Func'], (x: number, p: number) => number> = {
  cmp_le: (x, p) => (x <= p ? 1 : 0),
  cmp_ge: (x, p) => (x >= p ? 1 : 0),
  add: (x, p) => x + p,
  mul: (x, p) => x * p,
};

export default defineKernel({
  name: 'ChannelwiseOp',
  domain: 'finn.custom_op.fpgadataflow',
  description: 'Per-channel add, mul or compare with a constant parameter vector',
  inferFrom: ['Add', 'Mul'],
  attributeSchema: channelwiseOpAttributes,
  // PE folds NumChannels; cycles = prod(numInputVectors)·C/PE; output shape = input shape.
  ...channelStreamHooks(attrs),
  /** in = PE·A (the parameters are a constant), out = PE·B. */
  /** When each word moves (FIFO sizing's dataflow model): _stream-model.ts. */
  streamBehaviour(node) {
    return channelwiseBehaviour(node);
  },
  streamWidths(node) {
    const a = attrs(node);
    return { inputs: [a.PE * datatype(a.inputDataType).bitwidth()], outputs: [a.PE * datatype(a.outputDataType).bitwidth()] };
  },
  inferDatatypes(node) {
    return [attrs(node).outputDataType];
  },
  /** y[…, c] = Func(x[…, c], param[c]); a single parameter applies to every channel. */
  execute(inputs, attributes) {
    const a = channelwiseOpAttributes.parse(attributes);
    const C = a.NumChannels;
    const x = requireLastAxis(inputs[0], C, 'ChannelwiseOp input 0');
    const xs = numbers(x, 'input 0');
    const ps = numbers(inputs[1], 'ChannelwiseOp parameters (input 1)');
    if (ps.length !== C && ps.length !== 1) {
      throw new BrainsmithError('E_EXEC_SHAPE', `ChannelwiseOp has ${ps.length} parameters, expected ${C} (one per channel) or 1`, { kind: 'work' });
    }
    const f = FUNCS[a.Func];
    return [floatTensor(x.dims, xs.map((v, i) => f(v, ps[ps.length === 1 ? 0 : i % C]!)))];
  },
});
