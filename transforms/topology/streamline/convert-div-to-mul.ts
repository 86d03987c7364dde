import { defineTransform } from '../../../src/index.js';
import { addConst, isFloatTensor, mapConst } from '../../../src/rewrite.js';
import { dropIfUnused, matchConstBinary } from '../../../src/rewrite.js';
import { quantizedNodes } from '../_lib/quantized-scope.js';

/** Div(x, c) → Mul(x, 1/c) for a float constant c (integer Div truncates, so it stays). */
export default defineTransform({
  name: 'ConvertDivToMul',
  stage: 'topology',
  description: 'Rewrite Div by a float constant as Mul by its reciprocal',
  apply(model) {
    const graph = model.graph;
    let changed = false;
    for (const node of quantizedNodes(graph, 'Div')) {
      const m = matchConstBinary(graph, node, 'Div', false);
      if (!m || !isFloatTensor(graph, m.cName) || m.c.data.some((v) => v === 0)) continue;
      const inv = addConst(graph, `${node.name || 'Div'}_inv`, mapConst(m.c, (v) => 1 / v), graph.getElemType(m.cName));
      graph.replaceNode(node, { op_type: 'Mul', name: node.name, input: [m.x, inv], output: [...node.outputs] });
      dropIfUnused(graph, m.cName);
      changed = true;
    }
    return changed;
  },
});
