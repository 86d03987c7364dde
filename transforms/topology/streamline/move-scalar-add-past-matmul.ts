import { defineTransform } from '../../../src/index.js';
import { addConst, constOf, floatTypeOf, isScalar } from '../../../src/rewrite.js';
import { annotateAccumulator, dropIfUnused, isOnnxOp, linearBefore, swapPast } from '../../../src/rewrite.js';
import { quantizedNodes } from '../_lib/quantized-scope.js';

/** MatMul(x + a, W) → MatMul(x, W) + a·Σ_k W[k, :] for a scalar a and 2-D constant W. */
export default defineTransform({
  name: 'MoveScalarAddPastMatMul',
  stage: 'topology',
  description: 'Move a scalar Add in front of a MatMul with constant weights behind it (as a per-column bias)',
  apply(model) {
    const graph = model.graph;
    let changed = false;
    for (const mm of quantizedNodes(graph, 'MatMul')) {
      if (!isOnnxOp(mm, 'MatMul')) continue;
      const w = constOf(graph, mm.inputs[1] ?? '');
      if (!w || w.dims.length !== 2) continue;
      const add = linearBefore(graph, mm.inputs[0]!, ['Add']);
      if (!add || !isScalar(add.c)) continue;
      const [k, n] = w.dims as [number, number];
      const bias = new Float64Array(n);
      for (let i = 0; i < k; i++) for (let j = 0; j < n; j++) bias[j] = bias[j]! + w.data[i * n + j]!;
      const a = add.c.data[0]!;
      for (let j = 0; j < n; j++) bias[j] = bias[j]! * a;
      swapPast(graph, add.node, add.xIndex, mm, 0);
      const name = addConst(graph, `${add.node.name || 'Add'}_param`, { dims: [n], data: bias }, floatTypeOf(graph, add.cName));
      graph.setInput(add.node, 1 - add.xIndex, name);
      dropIfUnused(graph, add.cName);
      annotateAccumulator(graph, mm);
      changed = true;
    }
    return changed;
  },
});
