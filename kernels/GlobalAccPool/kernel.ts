import { defineKernel, z, smallestDataType } from '../../src/index.js';
import { datatype, datatypeName, floatTensor, hwCommonAttributes, numbers, positiveInt, prod, requireDivides, requireLastAxis, type KernelNodeView } from '../../src/kernel.js';

export const globalAccPoolAttributes = z.looseObject({
  ...hwCommonAttributes,
  NumChannels: positiveInt,
  PE: positiveInt.default(1),
  inputDataType: datatypeName,
  /** [N, H, W] for an NHWC input (or [N]). */
  numInputVectors: z.array(positiveInt).default([1]),
});
type Attrs = z.infer<typeof globalAccPoolAttributes>;

function attrs(node: KernelNodeView): Attrs {
  const a = node.attrs as Attrs;
  requireDivides(node.name, 'PE', a.PE, 'NumChannels', a.NumChannels);
  return a;
}

/** Pixels summed per channel: every input axis between batch and channels. */
function pixels(a: Attrs): number {
  return prod(a.numInputVectors.slice(1));
}

export default defineKernel({
  name: 'GlobalAccPool',
  domain: 'finn.custom_op.fpgadataflow',
  description: 'Per-channel sum over all pixels (GlobalAveragePool without the division, which stays a Mul)',
  inferFrom: ['GlobalAveragePool'],
  attributeSchema: globalAccPoolAttributes,
  parallelism(node) {
    return { PE: { dimension: 'NumChannels', size: attrs(node).NumChannels } };
  },
  /** in = PE·A, out = PE·bits of the sum type. */
  streamWidths(node) {
    const a = attrs(node);
    const t = datatype(a.inputDataType);
    const out = smallestDataType(t.min() * pixels(a), t.max() * pixels(a));
    return { inputs: [a.PE * t.bitwidth()], outputs: [a.PE * out.bitwidth()] };
  },
  /** cycles = prod(folded input without the PE axis) + C/PE = prod(numInputVectors)·C/PE + C/PE. */
  cycles(node) {
    const a = attrs(node);
    return (prod(a.numInputVectors) * a.NumChannels) / a.PE + a.NumChannels / a.PE;
  },
  inferShapes(node) {
    const a = attrs(node);
    const v = a.numInputVectors;
    return [[v[0]!, ...v.slice(1).map(() => 1), a.NumChannels]];
  },
  /** The smallest type holding pixels·[min, max] of the input type. */
  inferDatatypes(node) {
    const a = attrs(node);
    const t = datatype(a.inputDataType);
    return [smallestDataType(t.min() * pixels(a), t.max() * pixels(a)).name];
  },
  execute(inputs, attributes) {
    const a = globalAccPoolAttributes.parse(attributes);
    const C = a.NumChannels;
    const x = requireLastAxis(inputs[0], C, 'GlobalAccPool input 0');
    const xs = numbers(x, 'input 0');
    const N = x.dims[0]!;
    const perImage = xs.length / N / C;
    const out = new Float64Array(N * C);
    for (let n = 0; n < N; n++)
      for (let p = 0; p < perImage; p++)
        for (let c = 0; c < C; c++) out[n * C + c]! += xs[(n * perImage + p) * C + c]!;
    return [floatTensor([N, ...x.dims.slice(1, -1).map(() => 1), C], out)];
  },
});
