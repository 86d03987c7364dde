import { defineTransform } from '../../../src/index.js';
import { addConst, broadcastOp, floatTypeOf, isFloatTensor } from '../../../src/rewrite.js';
import { absorbFollower, dropIfUnused, keepsShape, matchConstBinary, soleConsumer, swapPast } from '../../../src/rewrite.js';
import { quantizedNodes } from '../_lib/quantized-scope.js';

/**
 * (x + a)·m → x·m + a·m, so Adds gather behind Muls where they can be collapsed and absorbed. Each Add walks
 * as far as it can in one application, merging with Adds it meets on the way (x + a + b = x + (a + b)), so
 * long alternating chains take one pass rather than one per step.
 */
export default defineTransform({
  name: 'MoveAddPastMul',
  stage: 'topology',
  description: 'Move an Add of a constant past following Muls by constants (merging Adds it meets)',
  apply(model) {
    const graph = model.graph;
    let changed = false;
    for (const add of quantizedNodes(graph, 'Add')) {
      // Merging with a following Add only once this Add has moved: a lone Add + Add pair is
      // CollapseRepeatedAdd's job and must not make this transform report a change.
      let moved = false;
      for (;;) {
        if (!add.graph) break;
        const a = matchConstBinary(graph, add, 'Add');
        const next = a && soleConsumer(graph, add.outputs[0]!);
        if (!a || !next || !isFloatTensor(graph, a.cName) || !keepsShape(graph, a)) break;
        const m = matchConstBinary(graph, next, next.opType === 'Mul' ? 'Mul' : 'Add');
        if (!m || !isFloatTensor(graph, m.cName) || (next.opType === 'Add' && !moved)) break;
        const c = broadcastOp(a.c, m.c, next.opType === 'Mul' ? (x, y) => x * y : (x, y) => x + y);
        if (!c) break;
        if (next.opType === 'Mul') swapPast(graph, add, a.xIndex, next, m.xIndex);
        else absorbFollower(graph, add, next);
        const name = addConst(graph, `${add.name || 'Add'}_param`, c, floatTypeOf(graph, a.cName));
        graph.setInput(add, 1 - a.xIndex, name);
        dropIfUnused(graph, a.cName, m.cName);
        moved = true;
        changed = true;
      }
    }
    return changed;
  },
});

