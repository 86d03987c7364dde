import { defineTransform, getInt } from '../../src/index.js';
import { freshName, hwNode } from '../../src/rewrite.js';
import { maxPoolWindow } from './_lib/window.js';

/** MaxPoolNHWC with kernel = stride and no padding, on integer input → StreamingMaxPool (FINN's InferStreamingMaxPool). */
export default defineTransform({
  name: 'InferStreamingMaxPool',
  stage: 'kernel_mapping',
  description: 'MaxPoolNHWC (kernel = stride) → StreamingMaxPool',
  apply(model) {
    const graph = model.graph;
    let changed = false;
    for (const mp of graph.nodeList()) {
      const w = maxPoolWindow(graph, mp);
      if (!w || w.kernel[0] !== w.stride[0] || w.kernel[1] !== w.stride[1]) continue;
      const { x, shape, dt, kernel: k } = w;
      graph.insertBefore(mp, hwNode('StreamingMaxPool', [x], [mp.outputs[0]!], {
        ImgDim: [shape[1], shape[2]], PoolDim: k, NumChannels: shape[3], PE: 1, CeilMode: getInt(mp, 'ceil_mode', 0), dataType: dt.name,
      }, freshName(graph, `StreamingMaxPool_${mp.name}`)));
      graph.removeNode(mp);
      changed = true;
    }
    return changed;
  },
});
