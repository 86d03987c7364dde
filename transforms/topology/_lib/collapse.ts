// CollapseRepeatedAdd / CollapseRepeatedMul share this: op(op(x, a), b) → op(x, a∘b).
import type { Model } from '../../../src/index.js';
import { addConst, broadcastOp, floatTypeOf, isFloatTensor } from '../../../src/rewrite.js';
import { dropIfUnused, matchConstBinary, soleConsumer } from '../../../src/rewrite.js';
import { quantizedNodes } from './quantized-scope.js';

export function collapseRepeated(model: Model, opType: 'Add' | 'Mul', combine: (a: number, b: number) => number): boolean {
  const graph = model.graph;
  let changed = false;
  for (const second of quantizedNodes(graph, opType)) {
    if (!second.graph) continue;
    const m2 = matchConstBinary(graph, second, opType);
    if (!m2 || !isFloatTensor(graph, m2.cName)) continue;
    const first = graph.producer(m2.x);
    if (!first || soleConsumer(graph, m2.x) !== second) continue;
    const m1 = matchConstBinary(graph, first, opType);
    if (!m1 || !isFloatTensor(graph, m1.cName)) continue;
    const c = broadcastOp(m1.c, m2.c, combine);
    if (!c) continue;
    const name = addConst(graph, `${second.name || opType}_param`, c, floatTypeOf(graph, m2.cName));
    graph.setInputs(second, [m1.x, name]);
    graph.removeValueInfo(m2.x);
    graph.setDatatypeName(m2.x, undefined);
    graph.removeNode(first);
    dropIfUnused(graph, m1.cName, m2.cName);
    changed = true;
  }
  return changed;
}
