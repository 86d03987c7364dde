import { defineTransform } from '../../../src/index.js';
import { dropIfUnused, isQonnxOp, linearBefore, bypass } from '../../../src/rewrite.js';
import { paramPerRow, rewriteThresholds, thresholdsOf } from '../_lib/multithreshold.js';
import { quantizedNodes } from '../_lib/quantized-scope.js';

/** MultiThreshold(x + a, T) = MultiThreshold(x, T − a) for a scalar or per-channel a. */
export default defineTransform({
  name: 'AbsorbAddIntoMultiThreshold',
  stage: 'topology',
  description: 'Fold a scalar or per-channel Add in front of a MultiThreshold into its thresholds',
  apply(model) {
    const graph = model.graph;
    let changed = false;
    for (const mt of quantizedNodes(graph)) {
      if (!isQonnxOp(mt, 'MultiThreshold')) continue;
      const add = linearBefore(graph, mt.inputs[0]!, ['Add']);
      const t = thresholdsOf(graph, mt);
      if (!add || !t) continue;
      const p = paramPerRow(graph, mt, add.c, t);
      if (!p) continue;
      rewriteThresholds(graph, mt, t, p, (thr, a) => thr - a);
      if (!bypass(graph, add.node, add.xIndex)) continue;
      dropIfUnused(graph, add.cName);
      changed = true;
    }
    return changed;
  },
});
