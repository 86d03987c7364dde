import { defineKernel, BrainsmithError } from '../../src/index.js';
import { datatype, floatTensor, numbers } from '../../src/kernel.js';
import { batchOf, fmpadding, fmpaddingAttributes, outDims } from './_model.js';
import { fmpaddingStreamBehaviour } from './_stream-model.js';

export default defineKernel({
  name: 'FMPadding',
  domain: 'finn.custom_op.fpgadataflow',
  description: 'Zero padding of an NHWC feature map',
  attributeSchema: fmpaddingAttributes,
  parallelism(node) {
    return { SIMD: { dimension: 'NumChannels', size: fmpadding(node).NumChannels } };
  },
  /** One output word per cycle, image words forwarded (reference §2.8): _stream-model.ts. */
  streamBehaviour(node) {
    return fmpaddingStreamBehaviour(node);
  },
  /** in = out = SIMD·bits. */
  streamWidths(node) {
    const a = fmpadding(node);
    const w = a.SIMD * datatype(a.inputDataType).bitwidth();
    return { inputs: [w], outputs: [w] };
  },
  /** cycles = (C/SIMD)·numInputVectors·(H+padT+padB)·(W+padL+padR). */
  cycles(node) {
    const a = fmpadding(node);
    const [oh, ow] = outDims(a);
    return (a.NumChannels / a.SIMD) * batchOf(a) * oh * ow;
  },
  inferShapes(node) {
    const a = fmpadding(node);
    const n = node.inputShapes[0]?.[0] ?? batchOf(a);
    return [[n, ...outDims(a), a.NumChannels]];
  },
  inferDatatypes(node) {
    return [fmpadding(node).inputDataType];
  },
  execute(inputs, attributes) {
    const a = fmpaddingAttributes.parse(attributes);
    const x = inputs[0];
    const xs = numbers(x, 'FMPadding input 0');
    const [H, W] = a.ImgDim as [number, number];
    const C = a.NumChannels;
    if (x!.dims.length !== 4 || x!.dims[1] !== H || x!.dims[2] !== W || x!.dims[3] !== C) {
      throw new BrainsmithError('E_EXEC_SHAPE', `FMPadding input has shape [${x!.dims.join(',')}], expected [N,${H},${W},${C}]`, { kind: 'work' });
    }
    const [t, l] = a.Padding as [number, number, number, number];
    const [OH, OW] = outDims(a);
    const N = x!.dims[0]!;
    const out = new Float64Array(N * OH * OW * C);
    for (let n = 0; n < N; n++)
      for (let y = 0; y < H; y++)
        for (let xx = 0; xx < W; xx++)
          for (let c = 0; c < C; c++) out[((n * OH + y + t) * OW + xx + l) * C + c] = xs[((n * H + y) * W + xx) * C + c]!;
    return [floatTensor([N, OH, OW, C], out)];
  },
});
