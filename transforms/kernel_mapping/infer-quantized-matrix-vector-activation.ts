import { defineTransform } from '../../src/index.js';
import { isOnnxOp } from '../../src/rewrite.js';
import { toMvau } from './_lib/mvau.js';

/**
 * MatMul with integer input and integer constant weights → MVAU (PE = SIMD = 1); a following MultiThreshold
 * with out_scale 1 (or BIPOLAR 2/−1) and integer thresholds is absorbed, otherwise noActivation = 1 (FINN's
 * InferQuantizedMatrixVectorActivation). Bipolar×bipolar products are left to the binary variant, and weights
 * with a tensor_sparsity annotation (depthwise convolutions) to InferVectorVectorActivation.
 */
export default defineTransform({
  name: 'InferQuantizedMatrixVectorActivation',
  stage: 'kernel_mapping',
  description: 'Integer MatMul [+ MultiThreshold] → MVAU',
  apply(model) {
    const graph = model.graph;
    let changed = false;
    for (const mm of graph.nodeList()) {
      if (!mm.graph || !isOnnxOp(mm, 'MatMul')) continue;
      const ok = toMvau(graph, mm, false, (idt, wdt) => idt.isInteger() && wdt.isInteger() && !(idt.name === 'BIPOLAR' && wdt.name === 'BIPOLAR'));
      if (ok) changed = true;
    }
    return changed;
  },
});
