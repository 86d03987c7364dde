import { defineTransform, getInt, getInts } from '../../src/index.js';
import { datatypeOf, freshName, hwNode, isQonnxOp, staticShape } from '../../src/rewrite.js';
import { outDim } from './_lib/window.js';

/**
 * Im2Col on an NHWC tensor → ConvolutionInputGenerator, preceded by FMPadding when the Im2Col pads (zero
 * padding only), as FINN's InferConvInpGen. A 1×1 window with stride > 1 and no padding keeps every
 * Stride-th pixel: a DownSampler (square images, or 1-D images with a unit H or W).
 */
export default defineTransform({
  name: 'InferConvInpGen',
  stage: 'kernel_mapping',
  description: 'Im2Col → [FMPadding +] ConvolutionInputGenerator',
  apply(model) {
    const graph = model.graph;
    let changed = false;
    for (const ic of graph.nodeList()) {
      if (!ic.graph || !isQonnxOp(ic, 'Im2Col')) continue;
      const x = ic.inputs[0]!;
      const y = ic.outputs[0]!;
      const shape = staticShape(graph, x);
      if (!shape || shape.length !== 4) continue;
      const idt = datatypeOf(graph, x);
      if (!idt.isInteger()) continue;
      const [N, H, W, C] = shape as [number, number, number, number];
      const k = getInts(ic, 'kernel_size');
      const stride = getInts(ic, 'stride', [1, 1]);
      const dil = getInts(ic, 'dilations', [1, 1]);
      const pad = getInts(ic, 'pad_amount', [0, 0, 0, 0]);
      if (k.length !== 2 || stride.length !== 2 || pad.length !== 4) continue;
      if (getInt(ic, 'pad_value', 0) !== 0) continue;
      if (k[0] === 1 && k[1] === 1 && (stride[0]! > 1 || stride[1]! > 1)) {
        const ds = downSampler(shape as [number, number, number, number], stride as [number, number], pad);
        if (!ds) continue;
        graph.insertBefore(ic, hwNode('DownSampler', [x], [y], {
          ImgDim: ds.imgDim, NumChannels: C, SIMD: 1, Stride: ds.stride, inputDataType: idt.name, numInputVectors: N,
          is1D: ds.is1D, is1D_unitx: ds.unitX,
        }, freshName(graph, `DownSampler_${ic.name}`)));
        graph.removeNode(ic);
        changed = true;
        continue;
      }
      const [pt, pl, pb, pr] = pad as [number, number, number, number];
      const padded = pt + pl + pb + pr > 0;
      const Hp = H + pt + pb;
      const Wp = W + pl + pr;
      let cigIn = x;
      if (padded) {
        cigIn = graph.uniqueTensorName(`${x}_padded`);
        graph.setShape(cigIn, [N, Hp, Wp, C], graph.getElemType(x));
        graph.setDatatypeName(cigIn, idt.name);
        graph.insertBefore(ic, hwNode('FMPadding', [x], [cigIn], {
          ImgDim: [H, W], Padding: [pt, pl, pb, pr], NumChannels: C, SIMD: 1, inputDataType: idt.name, numInputVectors: N,
        }, freshName(graph, `FMPadding_${ic.name}`)));
      }
      graph.insertBefore(ic, hwNode('ConvolutionInputGenerator', [cigIn], [y], {
        ConvKernelDim: k,
        IFMChannels: C,
        IFMDim: [Hp, Wp],
        OFMDim: [outDim(Hp, k[0]!, stride[0]!, dil[0]!, 0), outDim(Wp, k[1]!, stride[1]!, dil[1]!, 0)],
        SIMD: 1,
        Stride: stride,
        Dilation: dil,
        inputDataType: idt.name,
        outputDataType: idt.name,
        depthwise: getInt(ic, 'depthwise', 0),
      }, freshName(graph, `ConvolutionInputGenerator_${ic.name}`)));
      graph.removeNode(ic);
      changed = true;
    }
    return changed;
  },
});

interface DownSampling {
  imgDim: number;
  stride: number;
  is1D: 0 | 1;
  /** For 1-D images: 1 when the unit axis is W (N, dim, 1, C), 0 when it is H (N, 1, dim, C). */
  unitX: 0 | 1;
}

/**
 * DownSampler parameters for a 1×1 strided Im2Col on an NHWC shape, or undefined when the kernel cannot
 * express it: padding, a non-square 2-D image, or different strides along two non-unit axes.
 */
function downSampler([, H, W]: [number, number, number, number], [sh, sw]: [number, number], pad: readonly number[]): DownSampling | undefined {
  if (pad.some((p) => p !== 0)) return undefined;
  if (W === 1 && H > 1) return { imgDim: H, stride: sh, is1D: 1, unitX: 1 };
  if (H === 1 && W > 1) return { imgDim: W, stride: sw, is1D: 1, unitX: 0 };
  if (H !== W || sh !== sw) return undefined;
  return { imgDim: H, stride: sh, is1D: 0, unitX: 1 };
}
