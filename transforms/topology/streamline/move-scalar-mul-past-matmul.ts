import { defineTransform } from '../../../src/index.js';
import { isScalar } from '../../../src/rewrite.js';
import { annotateAccumulator, isOnnxOp, linearBefore, swapPast } from '../../../src/rewrite.js';
import { quantizedNodes } from '../_lib/quantized-scope.js';

/** MatMul(x·s, W) → MatMul(x, W)·s for a scalar s and constant W. */
export default defineTransform({
  name: 'MoveScalarMulPastMatMul',
  stage: 'topology',
  description: 'Move a scalar Mul in front of a MatMul with constant weights behind it',
  apply(model) {
    const graph = model.graph;
    let changed = false;
    for (const mm of quantizedNodes(graph, 'MatMul')) {
      if (!isOnnxOp(mm, 'MatMul') || !graph.isInitializer(mm.inputs[1] ?? '')) continue;
      const mul = linearBefore(graph, mm.inputs[0]!, ['Mul']);
      if (!mul || !isScalar(mul.c)) continue;
      swapPast(graph, mul.node, mul.xIndex, mm, 0);
      annotateAccumulator(graph, mm);
      changed = true;
    }
    return changed;
  },
});
