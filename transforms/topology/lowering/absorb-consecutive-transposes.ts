import { defineTransform } from '../../../src/index.js';
import { soleConsumer } from '../../../src/rewrite.js';
import { permOf } from '../../../src/rewrite.js';
import { quantizedNodes } from '../_lib/quantized-scope.js';

/**
 * Transpose(Transpose(x, p1), p2): an identity composition (p1[p2[i]] = i) disappears, readers of the second
 * reading x; otherwise, when the first feeds only the second, they merge into one Transpose.
 */
export default defineTransform({
  name: 'AbsorbConsecutiveTransposes',
  stage: 'topology',
  description: 'Cancel pairs of inverse Transposes and merge other consecutive Transposes',
  apply(model) {
    const graph = model.graph;
    let changed = false;
    for (const second of quantizedNodes(graph, 'Transpose')) {
      if (!second.graph) continue;
      const first = graph.producer(second.inputs[0]!);
      const rank = graph.getShape(second.inputs[0]!)?.length;
      const p2 = permOf(second, rank);
      const p1 = first && permOf(first, rank);
      if (!first || !p1 || !p2 || p1.length !== p2.length) continue;
      const combined = p2.map((i) => p1[i]!);
      const x = first.inputs[0]!;
      if (combined.every((v, i) => v === i)) {
        const out = second.outputs[0]!;
        if (!graph.isGraphOutput(out)) {
          const uses = graph.consumers(out);
          graph.removeNode(second);
          for (const u of uses) graph.setInput(u.node, u.index, x);
          graph.removeValueInfo(out);
          if (!graph.hasConsumers(first.outputs[0]!) && !graph.isGraphOutput(first.outputs[0]!)) {
            graph.removeValueInfo(first.outputs[0]!);
            graph.removeNode(first);
          }
          changed = true;
        } else {
          // The pair ends in a graph output: x's producer takes that name when x has no other reader.
          const p = graph.producer(x);
          if (p && soleConsumer(graph, x) === first && soleConsumer(graph, first.outputs[0]!) === second) {
            graph.removeNode(second);
            graph.removeNode(first);
            graph.removeValueInfo(first.outputs[0]!);
            graph.setOutput(p, p.outputs.indexOf(x), out);
            graph.removeValueInfo(x);
            graph.setDatatypeName(out, graph.getDatatypeName(x));
            graph.setDatatypeName(x, undefined);
            changed = true;
          }
        }
        continue;
      }
      if (soleConsumer(graph, first.outputs[0]!) !== second) continue;
      graph.setInput(second, 0, x);
      second.proto.attribute = [{ name: 'perm', type: 7, ints: combined }];
      graph.attributesChanged(second);
      graph.removeValueInfo(first.outputs[0]!);
      graph.removeNode(first);
      changed = true;
    }
    return changed;
  },
});
