import { QONNX_GENERAL_DOMAIN, defineTransform, setFloat, setString } from '../../../src/index.js';
import { addConst } from '../../../src/rewrite.js';
import { ensureQonnxOpset, isOnnxOp } from '../../../src/rewrite.js';
import { quantizedNodes } from '../_lib/quantized-scope.js';

/**
 * Sign(x) → MultiThreshold(x, [[0]]) with out_scale 2 and out_bias −1: +1 for x ≥ 0, −1 below (a BIPOLAR
 * output; FINN's convention maps Sign(0) to +1).
 */
export default defineTransform({
  name: 'ConvertSignToThres',
  stage: 'topology',
  description: 'Replace Sign by a one-threshold BIPOLAR MultiThreshold at 0',
  apply(model) {
    const graph = model.graph;
    let changed = false;
    for (const node of quantizedNodes(graph, 'Sign')) {
      if (!isOnnxOp(node, 'Sign')) continue;
      const t = addConst(graph, `${node.name || 'Sign'}_thresholds`, { dims: [1, 1], data: Float64Array.of(0) });
      const mt = graph.replaceNode(node, {
        op_type: 'MultiThreshold', domain: QONNX_GENERAL_DOMAIN, name: node.name, input: [node.inputs[0]!, t], output: [...node.outputs],
      });
      setString(mt, 'out_dtype', 'BIPOLAR');
      setFloat(mt, 'out_scale', 2);
      setFloat(mt, 'out_bias', -1);
      graph.setDatatypeName(mt.outputs[0]!, 'BIPOLAR');
      changed = true;
    }
    if (changed) ensureQonnxOpset(model);
    return changed;
  },
});
