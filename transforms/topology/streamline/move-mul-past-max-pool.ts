import { defineTransform } from '../../../src/index.js';
import { perChannel } from '../../../src/rewrite.js';
import { copyDatatype, isOnnxOp, linearBefore, swapPast } from '../../../src/rewrite.js';
import { quantizedNodes } from '../_lib/quantized-scope.js';

/** MaxPool(x·c) → MaxPool(x)·c for a positive scalar or per-channel (axis 1) c: max commutes with it. */
export default defineTransform({
  name: 'MoveMulPastMaxPool',
  stage: 'topology',
  description: 'Move a Mul by a positive (per-channel) constant past a following MaxPool',
  apply(model) {
    const graph = model.graph;
    let changed = false;
    for (const pool of quantizedNodes(graph, 'MaxPool')) {
      if (!isOnnxOp(pool, 'MaxPool') || pool.outputs.filter((o) => o).length !== 1) continue;
      const mul = linearBefore(graph, pool.inputs[0]!, ['Mul']);
      if (!mul || mul.c.data.some((v) => !(v > 0))) continue;
      const shape = graph.getShape(mul.x);
      if (!shape || typeof shape[1] !== 'number') continue;
      if (!perChannel(mul.c, shape.length, 1, shape[1])) continue;
      swapPast(graph, mul.node, mul.xIndex, pool, 0);
      copyDatatype(graph, pool.inputs[0]!, pool.outputs[0]!);
      changed = true;
    }
    return changed;
  },
});
