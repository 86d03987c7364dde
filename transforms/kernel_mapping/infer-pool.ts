import { defineTransform, getInt } from '../../src/index.js';
import { z } from 'zod';
import { freshName, hwNode } from '../../src/rewrite.js';
import { im2col, maxPoolWindow, outDim } from './_lib/window.js';

const options = z.strictObject({
  /**
   * Also take MaxPoolNHWC with kernel = stride (which InferStreamingMaxPool could map). True follows the FINN
   * course flows whose folding configs name ConvolutionInputGenerator + Pool_hls for 2×2/2 max pooling.
   */
  kernelEqualsStride: z.boolean().default(true),
});

/**
 * MaxPoolNHWC (no padding, floor mode) on integer input → Im2Col (depthwise windows) + Pool(MaxPool), as FINN's
 * InferPool; InferConvInpGen then turns the Im2Col into a ConvolutionInputGenerator.
 */
export default defineTransform({
  name: 'InferPool',
  stage: 'kernel_mapping',
  description: 'MaxPoolNHWC → Im2Col + Pool',
  options,
  apply(model, ctx) {
    const graph = model.graph;
    let changed = false;
    for (const mp of graph.nodeList()) {
      const w = maxPoolWindow(graph, mp);
      if (!w || getInt(mp, 'ceil_mode', 0) !== 0) continue;
      const { x, shape, dt, kernel: k, stride: s } = w;
      const y = mp.outputs[0]!;
      if (!ctx.options.kernelEqualsStride && k[0] === s[0] && k[1] === s[1]) continue;
      const [N, H, W, C] = shape;
      const oh = outDim(H, k[0]!, s[0]!, 1, 0);
      const ow = outDim(W, k[1]!, s[1]!, 1, 0);
      const windows = graph.uniqueTensorName(`${x}_windows`);
      graph.setShape(windows, [N, oh, ow, k[0]! * k[1]! * C], graph.getElemType(x));
      graph.setDatatypeName(windows, dt.name);
      graph.insertBefore(mp, im2col(x, windows, shape, [k[0]!, k[1]!], [s[0]!, s[1]!], freshName(graph, `Im2Col_${mp.name}`), 1));
      graph.insertBefore(mp, hwNode('Pool', [windows], [y], {
        Channels: C, PE: 1, KernelSize: k, Function: 'MaxPool', OutImgDims: [oh, ow], InputDataType: dt.name, OutputDataType: dt.name, BatchSize: N,
      }, freshName(graph, `Pool_${mp.name}`)));
      graph.removeNode(mp);
      changed = true;
    }
    return changed;
  },
});
