import { defineKernel, z, BrainsmithError } from '../../src/index.js';
import { datatype, datatypeName, floatTensor, hwCommonAttributes, numbers, positiveInt, requireDivides, type KernelNodeView } from '../../src/kernel.js';

export const downSamplerAttributes = z.looseObject({
  ...hwCommonAttributes,
  ImgDim: positiveInt,
  NumChannels: positiveInt,
  SIMD: positiveInt.default(1),
  Stride: positiveInt.default(2),
  inputDataType: datatypeName,
  numInputVectors: positiveInt.default(1),
  is1D: z.union([z.literal(0), z.literal(1)]).default(0),
  /** 1D along H: (N, dim, 1, C); otherwise (N, 1, dim, C). */
  is1D_unitx: z.union([z.literal(0), z.literal(1)]).default(1),
});
type Attrs = z.infer<typeof downSamplerAttributes>;

function attrs(node: KernelNodeView): Attrs {
  const a = node.attrs as Attrs;
  requireDivides(node.name, 'SIMD', a.SIMD, 'NumChannels', a.NumChannels);
  return a;
}

/** Output size: floor((ImgDim − 1)/Stride) + 1 (a 1×1 window with stride). */
function outDim(a: Attrs): number {
  return Math.floor((a.ImgDim - 1) / a.Stride) + 1;
}

function shapeOf(a: Attrs, d: number): [number, number, number, number] {
  if (a.is1D === 0) return [a.numInputVectors, d, d, a.NumChannels];
  return a.is1D_unitx === 1 ? [a.numInputVectors, d, 1, a.NumChannels] : [a.numInputVectors, 1, d, a.NumChannels];
}

export default defineKernel({
  name: 'DownSampler',
  domain: 'finn.custom_op.fpgadataflow',
  description: 'Keeps every Stride-th pixel (a 1×1 convolution window with stride > 1)',
  inferFrom: ['Im2Col'],
  attributeSchema: downSamplerAttributes,
  parallelism(node) {
    return { SIMD: { dimension: 'NumChannels', size: attrs(node).NumChannels } };
  },
  /** in = out = SIMD·bits. */
  streamWidths(node) {
    const a = attrs(node);
    const w = a.SIMD * datatype(a.inputDataType).bitwidth();
    return { inputs: [w], outputs: [w] };
  },
  /** cycles = C/SIMD·batch·ImgDim² (2D) or ·ImgDim (1D). */
  cycles(node) {
    const a = attrs(node);
    return (a.NumChannels / a.SIMD) * a.numInputVectors * (a.is1D === 1 ? a.ImgDim : a.ImgDim * a.ImgDim);
  },
  inferShapes(node) {
    return [shapeOf(attrs(node), outDim(attrs(node)))];
  },
  inferDatatypes(node) {
    return [attrs(node).inputDataType];
  },
  execute(inputs, attributes) {
    const a = downSamplerAttributes.parse(attributes);
    const x = inputs[0];
    const xs = numbers(x, 'DownSampler input 0');
    const want = shapeOf(a, a.ImgDim);
    if (x!.dims.length !== 4 || x!.dims.slice(1).some((d, i) => d !== want[i + 1])) {
      throw new BrainsmithError('E_EXEC_SHAPE', `DownSampler input has shape [${x!.dims.join(',')}], expected [N,${want.slice(1).join(',')}]`, { kind: 'work' });
    }
    const [N, IH, IW, C] = x!.dims as [number, number, number, number];
    const [, OH, OW] = shapeOf(a, outDim(a));
    const out = new Float64Array(N * OH * OW * C);
    const sy = IH === 1 ? 0 : a.Stride;
    const sx = IW === 1 ? 0 : a.Stride;
    for (let n = 0; n < N; n++)
      for (let y = 0; y < OH; y++)
        for (let xx = 0; xx < OW; xx++) {
          const base = ((n * IH + y * sy) * IW + xx * sx) * C;
          out.set(xs.subarray(base, base + C), ((n * OH + y) * OW + xx) * C);
        }
    return [floatTensor([N, OH, OW, C], out)];
  },
});
