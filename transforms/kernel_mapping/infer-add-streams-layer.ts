import { defineTransform, smallestDataType } from '../../src/index.js';
import { channelsLast, datatypeOf, freshName, hwNode, isOnnxOp, staticShape } from '../../src/rewrite.js';

/**
 * Add of two dynamic integer streams of the same static shape → AddStreams (FINN's InferAddStreamsLayer). The
 * sum is element-wise, so the last axis serves as the channel axis whatever the layout.
 */
export default defineTransform({
  name: 'InferAddStreamsLayer',
  stage: 'kernel_mapping',
  description: 'Add of two integer streams → AddStreams',
  apply(model) {
    const graph = model.graph;
    let changed = false;
    for (const add of graph.nodeList()) {
      if (!add.graph || !isOnnxOp(add, 'Add') || add.inputs.length !== 2) continue;
      const [a, b] = add.inputs as [string, string];
      const out = add.outputs[0];
      if (!out || graph.isInitializer(a) || graph.isInitializer(b)) continue;
      const sa = staticShape(graph, a);
      const sb = staticShape(graph, b);
      // No broadcasting: both streams carry every element.
      if (!sa || !sb || sa.length !== sb.length || sa.some((d, i) => d !== sb[i])) continue;
      const ta = datatypeOf(graph, a);
      const tb = datatypeOf(graph, b);
      if (!ta.isInteger() || !tb.isInteger()) continue;
      const { vectors, channels } = channelsLast(sa);
      const odt = smallestDataType(ta.min() + tb.min(), ta.max() + tb.max()).name;
      graph.insertBefore(add, hwNode('AddStreams', [a, b], [out], {
        NumChannels: channels,
        PE: 1,
        inputDataTypes: [ta.name, tb.name],
        numInputVectors: vectors,
      }, freshName(graph, `AddStreams_${add.name}`)));
      graph.removeNode(add);
      graph.setDatatypeName(out, odt);
      changed = true;
    }
    return changed;
  },
});
