import { defineTransform } from '../../../src/index.js';
import { addConst, isFloatTensor, mapConst } from '../../../src/rewrite.js';
import { dropIfUnused, matchConstBinary } from '../../../src/rewrite.js';
import { quantizedNodes } from '../_lib/quantized-scope.js';

/** Sub(x, c) → Add(x, −c) for a float constant c, so the Add can be moved and collapsed like any other. */
export default defineTransform({
  name: 'ConvertSubToAdd',
  stage: 'topology',
  description: 'Rewrite Sub of a float constant as Add of its negation',
  apply(model) {
    const graph = model.graph;
    let changed = false;
    for (const node of quantizedNodes(graph, 'Sub')) {
      const m = matchConstBinary(graph, node, 'Sub', false);
      if (!m || !isFloatTensor(graph, m.cName)) continue;
      const neg = addConst(graph, `${node.name || 'Sub'}_neg`, mapConst(m.c, (v) => -v), graph.getElemType(m.cName));
      graph.replaceNode(node, { op_type: 'Add', name: node.name, input: [m.x, neg], output: [...node.outputs] });
      dropIfUnused(graph, m.cName);
      changed = true;
    }
    return changed;
  },
});
