import { defineTransform } from '../../../src/index.js';
import { isScalar } from '../../../src/rewrite.js';
import { bypass, dropIfUnused, isOnnxOp, linearBefore } from '../../../src/rewrite.js';
import { quantizedNodes } from '../_lib/quantized-scope.js';

/**
 * TopK's indices do not change under a monotonic increasing map: a scalar Add, or a Mul by a positive scalar,
 * right before a TopK whose values output nobody reads can be dropped.
 */
export default defineTransform({
  name: 'AbsorbScalarMulAddIntoTopK',
  stage: 'topology',
  description: 'Drop a scalar Add or positive scalar Mul in front of a TopK whose values output is unused',
  apply(model) {
    const graph = model.graph;
    let changed = false;
    for (const topk of quantizedNodes(graph, 'TopK')) {
      if (!isOnnxOp(topk, 'TopK')) continue;
      const values = topk.outputs[0];
      if (values && (graph.hasConsumers(values) || graph.isGraphOutput(values))) continue;
      for (;;) {
        const lin = linearBefore(graph, topk.inputs[0]!, ['Add', 'Mul']);
        if (!lin || !isScalar(lin.c)) break;
        if (lin.node.opType === 'Mul' && !(lin.c.data[0]! > 0)) break;
        if (!bypass(graph, lin.node, lin.xIndex)) break;
        dropIfUnused(graph, lin.cName);
        changed = true;
      }
    }
    return changed;
  },
});
