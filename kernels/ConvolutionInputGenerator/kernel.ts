import { defineKernel, BrainsmithError } from '../../src/index.js';
import { datatype, floatTensor, numbers } from '../../src/kernel.js';
import { convOut, hlsCycles, swg, swgAttributes } from './_model.js';
import { swgStreamBehaviour } from './_stream-model.js';

export default defineKernel({
  name: 'ConvolutionInputGenerator',
  domain: 'finn.custom_op.fpgadataflow',
  description: 'Sliding window generator: Im2Col of an NHWC stream (no padding; FMPadding precedes it)',
  inferFrom: ['Im2Col'],
  attributeSchema: swgAttributes,
  /**
   * SIMD divides IFMChannels. A depthwise SWG is not walked: it follows the VVAU/Pool it feeds (their PE).
   * The rtl backend adds its parallel_window switch.
   */
  parallelism(node) {
    const a = swg(node);
    const simd = { dimension: 'IFMChannels', size: a.IFMChannels };
    return a.depthwise === 1 ? { SIMD: { ...simd, fold: 'follow' as const } } : { SIMD: simd };
  },
  /** Windows out of a cyclic buffer (FINN's RTL, reference §2.4): _stream-model.ts. */
  streamBehaviour(node) {
    return swgStreamBehaviour(node);
  },
  /** in = SIMD·A; out = the same, or a whole window (SIMD·kh·kw elements) per cycle with parallel_window. */
  streamWidths(node) {
    const a = swg(node);
    const inW = a.SIMD * datatype(a.inputDataType).bitwidth();
    const perOut = a.SIMD * datatype(a.outputDataType).bitwidth();
    const window = a.parallel_window === 1 ? a.ConvKernelDim[0]! * a.ConvKernelDim[1]! : 1;
    return { inputs: [inW], outputs: [perOut * window] };
  },
  /** FINN's hls formula; the rtl backend has its own. */
  cycles(node) {
    return hlsCycles(swg(node));
  },
  inferShapes(node) {
    const a = swg(node);
    const n = node.inputShapes[0]?.[0] ?? 1;
    return [[n, a.OFMDim[0]!, a.OFMDim[1]!, a.ConvKernelDim[0]! * a.ConvKernelDim[1]! * a.IFMChannels]];
  },
  inferDatatypes(node) {
    return [swg(node).outputDataType];
  },
  /**
   * Im2Col without padding: out[n, oy, ox, (p·kw + q)·C + c] = x[n, oy·sH + p·dH, ox·sW + q·dW, c], the
   * order FINN's reference execution produces for every SWG variant (depthwise included).
   */
  execute(inputs, attributes) {
    const a = swgAttributes.parse(attributes);
    const x = inputs[0];
    const xs = numbers(x, 'ConvolutionInputGenerator input 0');
    const [H, W] = a.IFMDim as [number, number];
    const C = a.IFMChannels;
    if (x!.dims.length !== 4 || x!.dims[1] !== H || x!.dims[2] !== W || x!.dims[3] !== C) {
      throw new BrainsmithError('E_EXEC_SHAPE', `ConvolutionInputGenerator input has shape [${x!.dims.join(',')}], expected [N,${H},${W},${C}]`, { kind: 'work' });
    }
    const [kh, kw] = a.ConvKernelDim as [number, number];
    const [sh, sw] = a.Stride as [number, number];
    const [dh, dw] = a.Dilation as [number, number];
    const OH = convOut(H, kh, sh, dh);
    const OW = convOut(W, kw, sw, dw);
    if (OH !== a.OFMDim[0] || OW !== a.OFMDim[1]) {
      throw new BrainsmithError('E_EXEC_SHAPE', `ConvolutionInputGenerator OFMDim [${a.OFMDim.join(',')}] does not match the window geometry [${OH},${OW}]`, { kind: 'work' });
    }
    const N = x!.dims[0]!;
    const out = new Float64Array(N * OH * OW * kh * kw * C);
    let o = 0;
    for (let n = 0; n < N; n++)
      for (let oy = 0; oy < OH; oy++)
        for (let ox = 0; ox < OW; ox++)
          for (let p = 0; p < kh; p++)
            for (let q = 0; q < kw; q++) {
              const base = ((n * H + oy * sh + p * dh) * W + ox * sw + q * dw) * C;
              for (let c = 0; c < C; c++) out[o++] = xs[base + c]!;
            }
    return [floatTensor([N, OH, OW, kh * kw * C], out)];
  },
});
