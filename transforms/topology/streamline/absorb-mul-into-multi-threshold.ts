import { defineTransform } from '../../../src/index.js';
import { dropIfUnused, isQonnxOp, linearBefore, bypass } from '../../../src/rewrite.js';
import { paramPerRow, rewriteThresholds, thresholdsOf } from '../_lib/multithreshold.js';
import { quantizedNodes } from '../_lib/quantized-scope.js';

/** MultiThreshold(x·m, T) = MultiThreshold(x, T / m) for a positive scalar or per-channel m. */
export default defineTransform({
  name: 'AbsorbMulIntoMultiThreshold',
  stage: 'topology',
  description: 'Fold a positive scalar or per-channel Mul in front of a MultiThreshold into its thresholds',
  apply(model) {
    const graph = model.graph;
    let changed = false;
    for (const mt of quantizedNodes(graph)) {
      if (!isQonnxOp(mt, 'MultiThreshold')) continue;
      const mul = linearBefore(graph, mt.inputs[0]!, ['Mul']);
      const t = thresholdsOf(graph, mt);
      if (!mul || !t || mul.c.data.some((v) => !(v > 0) || !Number.isFinite(v))) continue;
      const p = paramPerRow(graph, mt, mul.c, t);
      if (!p) continue;
      rewriteThresholds(graph, mt, t, p, (thr, m) => thr / m);
      if (!bypass(graph, mul.node, mul.xIndex)) continue;
      dropIfUnused(graph, mul.cName);
      changed = true;
    }
    return changed;
  },
});
