import { defineKernel, z, BrainsmithError } from '../../src/index.js';
import { datatype, datatypeName, floatTensor, hwCommonAttributes, numbers, positiveInt, type KernelNodeView } from '../../src/kernel.js';

export const upsampleAttributes = z.looseObject({
  ...hwCommonAttributes,
  OFMDim: positiveInt,
  IFMDim: positiveInt,
  NumChannels: positiveInt,
  inputDataType: datatypeName,
  numInputVectors: positiveInt.default(1),
  /** 0: square 2D image; 1: 1D (N, dim, 1, C). */
  DimMode: z.union([z.literal(0), z.literal(1)]).default(0),
});
type Attrs = z.infer<typeof upsampleAttributes>;

const attrs = (node: KernelNodeView): Attrs => node.attrs as Attrs;

function shapeOf(a: Attrs, dim: number): number[] {
  return a.DimMode === 1 ? [a.numInputVectors, dim, 1, a.NumChannels] : [a.numInputVectors, dim, dim, a.NumChannels];
}

export default defineKernel({
  name: 'UpsampleNearestNeighbour',
  domain: 'finn.custom_op.fpgadataflow',
  description: 'Nearest-neighbour upsampling of an NHWC image (no parallelism parameter)',
  inferFrom: ['Upsample', 'Resize'],
  attributeSchema: upsampleAttributes,
  parallelism() {
    return {};
  },
  /** Not folded: all channels per cycle in and out. */
  streamWidths(node) {
    const a = attrs(node);
    const w = a.NumChannels * datatype(a.inputDataType).bitwidth();
    return { inputs: [w], outputs: [w] };
  },
  /** cycles = OFMDim²·batch (2D), OFMDim·batch (1D). */
  cycles(node) {
    const a = attrs(node);
    return (a.DimMode === 1 ? a.OFMDim : a.OFMDim * a.OFMDim) * a.numInputVectors;
  },
  inferShapes(node) {
    return [shapeOf(attrs(node), attrs(node).OFMDim)];
  },
  inferDatatypes(node) {
    return [attrs(node).inputDataType];
  },
  /** out[y, x] = in[floor(y·IFM/OFM), floor(x·IFM/OFM)] (ONNX nearest/asymmetric/floor for scale OFM/IFM). */
  execute(inputs, attributes) {
    const a = upsampleAttributes.parse(attributes);
    const x = inputs[0];
    const xs = numbers(x, 'UpsampleNearestNeighbour input 0');
    const want = shapeOf(a, a.IFMDim);
    if (x!.dims.length !== 4 || x!.dims.slice(1).some((d, i) => d !== want[i + 1])) {
      throw new BrainsmithError('E_EXEC_SHAPE', `UpsampleNearestNeighbour input has shape [${x!.dims.join(',')}], expected [N,${want.slice(1).join(',')}]`, { kind: 'work' });
    }
    const [N, , IW, C] = x!.dims as [number, number, number, number];
    const [, OH, OW] = shapeOf(a, a.OFMDim) as [number, number, number, number];
    const src = (o: number) => Math.floor((o * a.IFMDim) / a.OFMDim);
    const out = new Float64Array(N * OH * OW * C);
    const IH = x!.dims[1]!;
    for (let n = 0; n < N; n++)
      for (let y = 0; y < OH; y++)
        for (let xx = 0; xx < OW; xx++) {
          const sy = src(y);
          const sx = a.DimMode === 1 ? 0 : src(xx);
          out.set(xs.subarray(((n * IH + sy) * IW + sx) * C, ((n * IH + sy) * IW + sx + 1) * C), ((n * OH + y) * OW + xx) * C);
        }
    return [floatTensor([N, OH, OW, C], out)];
  },
});
