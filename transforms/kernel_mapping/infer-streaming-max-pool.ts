import { defineTransform, getInt, getInts } from '../../src/index.js';
import { datatypeOf, freshName, hwNode, isQonnxOp, staticShape } from './_lib/hw-node.js';

/** MaxPoolNHWC with kernel = stride and no padding, on integer input → StreamingMaxPool (FINN's InferStreamingMaxPool). */
export default defineTransform({
  name: 'InferStreamingMaxPool',
  stage: 'kernel_mapping',
  description: 'MaxPoolNHWC (kernel = stride) → StreamingMaxPool',
  apply(model) {
    const graph = model.graph;
    let changed = false;
    for (const mp of graph.nodeList()) {
      if (!mp.graph || !isQonnxOp(mp, 'MaxPoolNHWC')) continue;
      const x = mp.inputs[0]!;
      const shape = staticShape(graph, x);
      const dt = datatypeOf(graph, x);
      if (!shape || shape.length !== 4 || !dt.isInteger()) continue;
      const k = getInts(mp, 'kernel_shape');
      const s = getInts(mp, 'strides', k);
      const pads = getInts(mp, 'pads', [0, 0, 0, 0]);
      if (k.length !== 2 || k[0] !== s[0] || k[1] !== s[1] || pads.some((p) => p !== 0)) continue;
      graph.insertBefore(mp, hwNode('StreamingMaxPool', [x], [mp.outputs[0]!], {
        ImgDim: [shape[1]!, shape[2]!], PoolDim: k, NumChannels: shape[3]!, PE: 1, CeilMode: getInt(mp, 'ceil_mode', 0), dataType: dt.name,
      }, freshName(graph, `StreamingMaxPool_${mp.name}`)));
      graph.removeNode(mp);
      changed = true;
    }
    return changed;
  },
});
