import { defineTransform } from '../../../src/index.js';
import { addConst, floatTypeOf, isScalar, mapConst } from '../../../src/rewrite.js';
import { dropIfUnused, matchConstBinary } from '../../../src/rewrite.js';
import { quantizedNodes } from '../_lib/quantized-scope.js';

/**
 * Mul(x, c) with some negative entries → Mul(Mul(x, sign(c)), |c|): the ±1 factor can then go into the
 * preceding weights (Absorb1BitMulInto*) and the positive one into the next thresholds.
 */
export default defineTransform({
  name: 'FactorOutMulSignMagnitude',
  stage: 'topology',
  description: 'Split a Mul by a constant with negative entries into a ±1 Mul and a positive Mul',
  apply(model) {
    const graph = model.graph;
    let changed = false;
    for (const mul of quantizedNodes(graph, 'Mul')) {
      const m = matchConstBinary(graph, mul, 'Mul');
      if (!m || isScalar(m.c)) continue;
      const v = m.c.data;
      if (!v.some((x) => x < 0) || v.every((x) => x === 1 || x === -1) || v.some((x) => x === 0)) continue;
      const et = floatTypeOf(graph, m.cName);
      const base = mul.name || 'Mul';
      const sign = addConst(graph, `${base}_sign`, mapConst(m.c, Math.sign), et);
      const mag = addConst(graph, `${base}_magnitude`, mapConst(m.c, Math.abs), et);
      const mid = graph.uniqueTensorName(`${base}_signed`);
      const shape = graph.getShape(mul.outputs[0]!);
      graph.insertBefore(mul, { op_type: 'Mul', name: `${base}_sign`, input: [m.x, sign], output: [mid] });
      graph.setInputs(mul, [mid, mag]);
      if (shape) graph.setShape(mid, shape, graph.getElemType(mul.outputs[0]!));
      dropIfUnused(graph, m.cName);
      changed = true;
    }
    return changed;
  },
});
