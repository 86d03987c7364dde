import { defineKernel, z, BrainsmithError } from '../../src/index.js';
import { datatype, datatypeName, floatTensor, hwCommonAttributes, numbers, positiveInt, requireDivides, type KernelNodeView } from '../../src/kernel.js';
import { maxPoolStreamBehaviour } from './_stream-model.js';

export const streamingMaxPoolAttributes = z.looseObject({
  ...hwCommonAttributes,
  ImgDim: z.array(positiveInt).length(2),
  PoolDim: z.array(positiveInt).length(2),
  NumChannels: positiveInt,
  PE: positiveInt.default(1),
  CeilMode: z.union([z.literal(0), z.literal(1)]).default(0),
  dataType: datatypeName,
});
type Attrs = z.infer<typeof streamingMaxPoolAttributes>;

function attrs(node: KernelNodeView): Attrs {
  const a = node.attrs as Attrs;
  requireDivides(node.name, 'PE', a.PE, 'NumChannels', a.NumChannels);
  return a;
}

/** Output size of one axis with stride = kernel: floor, or ceil with CeilMode. */
function outSize(i: number, k: number, ceil: boolean): number {
  return ceil ? Math.ceil((i - k) / k + 1) : Math.floor((i - k) / k + 1);
}

function isOneD(a: Attrs): boolean {
  return a.ImgDim[0] === 1 && a.PoolDim[0] === 1;
}

export default defineKernel({
  name: 'StreamingMaxPool',
  domain: 'finn.custom_op.fpgadataflow',
  description: 'Max pooling of an NHWC stream with kernel = stride',
  inferFrom: ['MaxPoolNHWC'],
  attributeSchema: streamingMaxPoolAttributes,
  parallelism(node) {
    // FINN's SetFolding leaves StreamingMaxPool's PE as it is.
    return { PE: { dimension: 'NumChannels', size: attrs(node).NumChannels, fold: 'keep' as const } };
  },
  /** k rows in, then a row of maxima out (hlslib, reference §2.5): _stream-model.ts. */
  streamBehaviour(node) {
    return maxPoolStreamBehaviour(node);
  },
  /** 1D: PE·bits; 2D: all channels per cycle (FINN folds only the 1D variant by PE). */
  streamWidths(node) {
    const a = attrs(node);
    const w = (isOneD(a) ? a.PE : a.NumChannels) * datatype(a.dataType).bitwidth();
    return { inputs: [w], outputs: [w] };
  },
  /** 2D: int(H·W·(1 + 1/(kh·kw))) (FINN marks it inaccurate); 1D: ofmW·(C/PE)·(kw + 1). */
  cycles(node) {
    const a = attrs(node);
    const [h, w] = a.ImgDim as [number, number];
    const [kh, kw] = a.PoolDim as [number, number];
    if (isOneD(a)) return outSize(w, kw, a.CeilMode === 1) * (a.NumChannels / a.PE) * (kw + 1);
    return Math.trunc(h * w * (1 + 1 / (kh * kw)));
  },
  inferShapes(node) {
    const a = attrs(node);
    const ceil = a.CeilMode === 1;
    return [[node.inputShapes[0]?.[0] ?? 1, outSize(a.ImgDim[0]!, a.PoolDim[0]!, ceil), outSize(a.ImgDim[1]!, a.PoolDim[1]!, ceil), a.NumChannels]];
  },
  inferDatatypes(node) {
    return [attrs(node).dataType];
  },
  execute(inputs, attributes) {
    const a = streamingMaxPoolAttributes.parse(attributes);
    const x = inputs[0];
    const xs = numbers(x, 'StreamingMaxPool input 0');
    const [H, W] = a.ImgDim as [number, number];
    const [kh, kw] = a.PoolDim as [number, number];
    const C = a.NumChannels;
    if (x!.dims.length !== 4 || x!.dims[1] !== H || x!.dims[2] !== W || x!.dims[3] !== C) {
      throw new BrainsmithError('E_EXEC_SHAPE', `StreamingMaxPool input has shape [${x!.dims.join(',')}], expected [N,${H},${W},${C}]`, { kind: 'work' });
    }
    const ceil = a.CeilMode === 1;
    const OH = outSize(H, kh, ceil);
    const OW = outSize(W, kw, ceil);
    const N = x!.dims[0]!;
    const out = new Float64Array(N * OH * OW * C);
    for (let n = 0; n < N; n++)
      for (let oy = 0; oy < OH; oy++)
        for (let ox = 0; ox < OW; ox++)
          for (let c = 0; c < C; c++) {
            let m = -Infinity;
            for (let ky = 0; ky < kh; ky++)
              for (let kx = 0; kx < kw; kx++) {
                const y = oy * kh + ky;
                const xx = ox * kw + kx;
                if (y < H && xx < W) m = Math.max(m, xs[((n * H + y) * W + xx) * C + c]!);
              }
            out[((n * OH + oy) * OW + ox) * C + c] = m;
          }
    return [floatTensor([N, OH, OW, C], out)];
  },
});
