import { defineTransform } from '../../src/index.js';
import { isQonnxOp } from '../../src/rewrite.js';
import { toMvau } from './_lib/mvau.js';

/**
 * XnorPopcountMatMul (BINARY input and weights) [+ MultiThreshold] → MVAU with binaryXnorMode = 1
 * (FINN's InferBinaryMatrixVectorActivation).
 */
export default defineTransform({
  name: 'InferBinaryMatrixVectorActivation',
  stage: 'kernel_mapping',
  description: 'XnorPopcountMatMul [+ MultiThreshold] → MVAU (binaryXnorMode)',
  apply(model) {
    const graph = model.graph;
    let changed = false;
    for (const mm of graph.nodeList()) {
      if (!mm.graph || !isQonnxOp(mm, 'XnorPopcountMatMul')) continue;
      if (toMvau(graph, mm, true, (idt, wdt) => idt.name === 'BINARY' && wdt.name === 'BINARY')) changed = true;
    }
    return changed;
  },
});
