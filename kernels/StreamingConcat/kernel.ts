import { defineKernel, z, BrainsmithError } from '../../src/index.js';
import { datatype, datatypeName, floatTensor, hwCommonAttributes, numbers, positiveInt, prod, requireDivides, requireLastAxis, type KernelNodeView } from '../../src/kernel.js';
import { concatBehaviour } from './_stream-model.js';

export const streamingConcatAttributes = z.looseObject({
  ...hwCommonAttributes,
  ChannelsPerStream: z.array(positiveInt).min(2),
  SIMD: positiveInt.default(1),
  inputDataType: datatypeName,
  outputDataType: datatypeName.optional(),
  numInputVectors: z.array(positiveInt).default([1]),
});
type Attrs = z.infer<typeof streamingConcatAttributes>;

/** SIMD must divide the channels of every input stream. */
function attrs(node: KernelNodeView): Attrs {
  const a = node.attrs as Attrs;
  a.ChannelsPerStream.forEach((c, i) => requireDivides(node.name, 'SIMD', a.SIMD, `ChannelsPerStream[${i}]`, c));
  return a;
}

function gcdAll(xs: readonly number[]): number {
  const g = (x: number, y: number): number => (y === 0 ? x : g(y, x % y));
  return xs.reduce(g);
}

export default defineKernel({
  name: 'StreamingConcat',
  domain: 'finn.custom_op.fpgadataflow',
  description: 'Concatenation of streams along the channel (last) axis',
  inferFrom: ['Concat'],
  attributeSchema: streamingConcatAttributes,
  parallelism(node) {
    const a = attrs(node);
    // FINN's SetFolding leaves StreamingConcat's SIMD as it is.
    return { SIMD: { dimension: 'gcd(ChannelsPerStream)', size: gcdAll(a.ChannelsPerStream), fold: 'keep' as const } };
  },
  /** SIMD·bits on every input and on the output. */
  /** When each word moves (FIFO sizing's dataflow model): _stream-model.ts. */
  streamBehaviour(node) {
    return concatBehaviour(node);
  },
  streamWidths(node) {
    const a = attrs(node);
    const inW = a.SIMD * datatype(a.inputDataType).bitwidth();
    return { inputs: a.ChannelsPerStream.map(() => inW), outputs: [a.SIMD * datatype(a.outputDataType ?? a.inputDataType).bitwidth()] };
  },
  /** cycles = prod(folded output without the SIMD axis) = prod(numInputVectors)·ΣC/SIMD. */
  cycles(node) {
    const a = attrs(node);
    return (prod(a.numInputVectors) * a.ChannelsPerStream.reduce((s, c) => s + c, 0)) / a.SIMD;
  },
  inferShapes(node) {
    const a = attrs(node);
    const total = a.ChannelsPerStream.reduce((s, c) => s + c, 0);
    return [[...(node.inputShapes[0]?.slice(0, -1) ?? a.numInputVectors), total]];
  },
  inferDatatypes(node) {
    const a = attrs(node);
    return [a.outputDataType ?? a.inputDataType];
  },
  execute(inputs, attributes) {
    const a = streamingConcatAttributes.parse(attributes);
    const cs = a.ChannelsPerStream;
    const xs = cs.map((c, i) => numbers(requireLastAxis(inputs[i], c, `StreamingConcat input ${i}`), `input ${i}`));
    const rows = xs[0]!.length / cs[0]!;
    xs.forEach((x, i) => {
      if (x.length / cs[i]! !== rows) throw new BrainsmithError('E_EXEC_SHAPE', `StreamingConcat input ${i} has a different number of pixels than input 0`, { kind: 'work' });
    });
    const total = cs.reduce((s, c) => s + c, 0);
    const out = new Float64Array(rows * total);
    for (let r = 0; r < rows; r++) {
      let o = r * total;
      cs.forEach((c, i) => {
        out.set(xs[i]!.subarray(r * c, (r + 1) * c), o);
        o += c;
      });
    }
    return [floatTensor([...inputs[0]!.dims.slice(0, -1), total], out)];
  },
});
