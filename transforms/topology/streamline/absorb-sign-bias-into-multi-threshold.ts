import { defineTransform, getFloat, setFloat, setString, smallestDataType } from '../../../src/index.js';
import { isScalar } from '../../../src/rewrite.js';
import { absorbFollower, dropIfUnused, isQonnxOp, matchConstBinary, soleConsumer } from '../../../src/rewrite.js';
import { thresholdsOf } from '../_lib/multithreshold.js';
import { quantizedNodes } from '../_lib/quantized-scope.js';

/**
 * MultiThreshold(x) + b → MultiThreshold(x) with out_bias + b, for a scalar b (the bias a signed activation
 * export adds). The output datatype becomes the smallest one holding out_bias … out_bias + steps·out_scale.
 */
export default defineTransform({
  name: 'AbsorbSignBiasIntoMultiThreshold',
  stage: 'topology',
  description: 'Fold a scalar Add after a MultiThreshold into its out_bias and update its output datatype',
  apply(model) {
    const graph = model.graph;
    let changed = false;
    for (const mt of quantizedNodes(graph)) {
      if (!isQonnxOp(mt, 'MultiThreshold') || !mt.graph) continue;
      const out = mt.outputs[0]!;
      const add = soleConsumer(graph, out);
      const m = add && matchConstBinary(graph, add, 'Add');
      const t = thresholdsOf(graph, mt);
      if (!m || !t || !isScalar(m.c) || graph.isGraphOutput(out)) continue;
      const scale = getFloat(mt, 'out_scale', 1);
      const bias = getFloat(mt, 'out_bias', 0) + m.c.data[0]!;
      const hi = bias + t.steps * scale;
      if (!Number.isInteger(scale) || !Number.isInteger(bias)) continue;
      const dt = smallestDataType(Math.min(bias, hi), Math.max(bias, hi));
      // The Add disappears: the MultiThreshold takes over its output tensor.
      absorbFollower(graph, mt, add);
      dropIfUnused(graph, m.cName);
      setFloat(mt, 'out_bias', bias);
      setString(mt, 'out_dtype', dt.name);
      graph.setDatatypeName(mt.outputs[0]!, dt.name);
      changed = true;
    }
    return changed;
  },
});
