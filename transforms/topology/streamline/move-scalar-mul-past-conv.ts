import { defineTransform } from '../../../src/index.js';
import { isScalar } from '../../../src/rewrite.js';
import { annotateAccumulator, isOnnxOp, linearBefore, swapPast } from '../../../src/rewrite.js';
import { quantizedNodes } from '../_lib/quantized-scope.js';

/** Conv(x·s, W) → Conv(x, W)·s for a scalar s and a Conv without bias (zero padding scales too). */
export default defineTransform({
  name: 'MoveScalarMulPastConv',
  stage: 'topology',
  description: 'Move a scalar Mul in front of a bias-free Conv with constant weights behind it',
  apply(model) {
    const graph = model.graph;
    let changed = false;
    for (const conv of quantizedNodes(graph, 'Conv')) {
      if (!isOnnxOp(conv, 'Conv') || conv.inputs[2] || !graph.isInitializer(conv.inputs[1] ?? '')) continue;
      const mul = linearBefore(graph, conv.inputs[0]!, ['Mul']);
      if (!mul || !isScalar(mul.c)) continue;
      swapPast(graph, mul.node, mul.xIndex, conv, 0);
      annotateAccumulator(graph, conv);
      changed = true;
    }
    return changed;
  },
});
