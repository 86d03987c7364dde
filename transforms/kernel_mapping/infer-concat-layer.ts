import { defineTransform, getInt } from '../../src/index.js';
import { channelsLast, datatypeOf, freshName, hwNode, isOnnxOp, staticShape } from '../../src/rewrite.js';

/**
 * Concat on the last axis of two or more dynamic streams of one integer datatype, equal in every other axis
 * → StreamingConcat (FINN's InferConcatLayer).
 */
export default defineTransform({
  name: 'InferConcatLayer',
  stage: 'kernel_mapping',
  description: 'Concat on the last axis → StreamingConcat',
  apply(model) {
    const graph = model.graph;
    let changed = false;
    for (const cat of graph.nodeList()) {
      if (!cat.graph || !isOnnxOp(cat, 'Concat') || cat.inputs.length < 2) continue;
      const out = cat.outputs[0];
      if (!out || cat.inputs.some((t) => !t || graph.isInitializer(t))) continue;
      const shapes = cat.inputs.map((t) => staticShape(graph, t));
      const first = shapes[0];
      if (!first || first.length === 0) continue;
      const rank = first.length;
      const axis = getInt(cat, 'axis', 0);
      if (axis !== -1 && axis !== rank - 1) continue;
      const outer = first.slice(0, -1);
      if (shapes.some((s) => !s || s.length !== rank || s.slice(0, -1).some((d, i) => d !== outer[i]))) continue;
      const types = cat.inputs.map((t) => datatypeOf(graph, t));
      const dt = types[0]!;
      if (!dt.isInteger() || types.some((t) => t.name !== dt.name)) continue;
      graph.insertBefore(cat, hwNode('StreamingConcat', [...cat.inputs], [out], {
        ChannelsPerStream: shapes.map((s) => s![rank - 1]!),
        SIMD: 1,
        inputDataType: dt.name,
        outputDataType: dt.name,
        numInputVectors: channelsLast(first).vectors,
      }, freshName(graph, `StreamingConcat_${cat.name}`)));
      graph.removeNode(cat);
      graph.setDatatypeName(out, dt.name);
      changed = true;
    }
    return changed;
  },
});
