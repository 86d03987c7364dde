import { defineTransform } from '../../../src/index.js';
import { addConst, constOf } from '../../../src/rewrite.js';
import { integerDatatype, isQonnxOp } from '../../../src/rewrite.js';
import { quantizedNodes } from '../_lib/quantized-scope.js';

/**
 * For an integer input x, x ≥ t ⟺ x ≥ ⌈t⌉, and thresholds below the datatype's minimum (above its maximum)
 * always (never) fire: thresholds become integers clipped to [min, max + 1] of the input datatype.
 */
export default defineTransform({
  name: 'RoundAndClipThresholds',
  stage: 'topology',
  description: 'Round MultiThreshold thresholds up to integers and clip them to the integer input range',
  apply(model) {
    const graph = model.graph;
    let changed = false;
    for (const mt of quantizedNodes(graph)) {
      if (!isQonnxOp(mt, 'MultiThreshold')) continue;
      const dt = integerDatatype(graph, mt.inputs[0]!);
      const t = constOf(graph, mt.inputs[1] ?? '');
      if (!dt || !t) continue;
      const lo = dt.min();
      const hi = dt.max() + 1;
      const data = t.data.map((v) => Math.min(hi, Math.max(lo, Math.ceil(v))));
      if (data.every((v, i) => v === t.data[i])) continue;
      const old = mt.inputs[1]!;
      const name = addConst(graph, `${mt.name || 'MultiThreshold'}_thresholds`, { dims: t.dims, data });
      graph.setInput(mt, 1, name);
      if (!graph.hasConsumers(old)) graph.removeInitializer(old);
      changed = true;
    }
    return changed;
  },
});
