import { defineTransform } from '../../../src/index.js';
import { addConst, broadcastOp, floatTypeOf } from '../../../src/rewrite.js';
import { dropIfUnused, isOnnxOp, linearBefore } from '../../../src/rewrite.js';
import { quantizedNodes } from '../_lib/quantized-scope.js';

const sameConst = (a: { dims: number[]; data: Float64Array }, b: { dims: number[]; data: Float64Array }): boolean =>
  a.dims.length === b.dims.length && a.dims.every((d, i) => d === b.dims[i]) && a.data.every((v, i) => v === b.data[i]);

/**
 * x·c + y·c → (x + y)·c, and (x + a) + (y + b) → (x + y) + (a + b), for an Add joining two branches: the linear
 * op moves past the join so it can travel on toward a threshold.
 */
export default defineTransform({
  name: 'MoveLinearPastEltwiseAdd',
  stage: 'topology',
  description: 'Move identical Muls (or any constant Adds) on both inputs of an elementwise Add behind it',
  apply(model) {
    const graph = model.graph;
    let changed = false;
    for (const add of quantizedNodes(graph, 'Add')) {
      if (!add.graph || !isOnnxOp(add, 'Add') || add.inputs.length !== 2) continue;
      const [i0, i1] = add.inputs as [string, string];
      if (i0 === i1 || graph.isInitializer(i0) || graph.isInitializer(i1)) continue;
      const s0 = graph.getShape(i0);
      const s1 = graph.getShape(i1);
      if (!s0 || !s1 || s0.length !== s1.length || s0.some((d, i) => d !== s1[i] || typeof d !== 'number')) continue;
      for (const op of ['Mul', 'Add'] as const) {
        const l0 = linearBefore(graph, i0, [op]);
        const l1 = linearBefore(graph, i1, [op]);
        if (!l0 || !l1 || l0.node === l1.node) continue;
        const c = op === 'Mul' ? (sameConst(l0.c, l1.c) ? l0.c : undefined) : broadcastOp(l0.c, l1.c, (a, b) => a + b);
        if (!c) continue;
        const out = add.outputs[0]!;
        const mid = graph.uniqueTensorName(`${add.name || 'Add'}_joined`);
        graph.setInputs(add, [l0.x, l1.x]);
        graph.setOutput(add, 0, mid);
        graph.setShape(mid, s0, graph.getElemType(out));
        const cName = addConst(graph, `${l0.node.name || op}_param`, c, floatTypeOf(graph, l0.cName));
        const moved = l0.node;
        graph.removeNode(l1.node);
        graph.setInputs(moved, [mid, cName]);
        graph.setOutput(moved, 0, out);
        graph.removeNode(moved);
        graph.insertAfter(add, moved);
        for (const t of [i0, i1]) {
          graph.removeValueInfo(t);
          graph.setDatatypeName(t, undefined);
        }
        dropIfUnused(graph, l0.cName, l1.cName);
        changed = true;
        break;
      }
    }
    return changed;
  },
});
