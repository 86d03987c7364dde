import { defineTransform } from '../../../src/index.js';
import { constOf, perChannel } from '../../../src/rewrite.js';
import { absorbFollower, annotateAccumulator, dropIfUnused, isOnnxOp, matchConstBinary, soleConsumer } from '../../../src/rewrite.js';
import { isOneBitFactor, replaceWeights } from '../_lib/one-bit.js';
import { quantizedNodes } from '../_lib/quantized-scope.js';

/** MatMul(x, W)·c → MatMul(x, W·c) for c of ±1/0 values per output column: the weights stay integer. */
export default defineTransform({
  name: 'Absorb1BitMulIntoMatMul',
  stage: 'topology',
  description: 'Fold a Mul by a ±1/0 (per-column) constant after a MatMul into its weights',
  apply(model) {
    const graph = model.graph;
    let changed = false;
    for (const mm of quantizedNodes(graph, 'MatMul')) {
      if (!isOnnxOp(mm, 'MatMul')) continue;
      const w = constOf(graph, mm.inputs[1] ?? '');
      const mul = soleConsumer(graph, mm.outputs[0]!);
      const m = mul && matchConstBinary(graph, mul, 'Mul');
      if (!w || w.dims.length !== 2 || !m || !isOneBitFactor(m.c)) continue;
      const outRank = graph.getShape(mm.outputs[0]!)?.length ?? 2;
      const [k, n] = w.dims as [number, number];
      const c = perChannel(m.c, outRank, outRank - 1, n);
      if (!c) continue;
      const wd = w.data;
      const data = new Float64Array(k * n);
      for (let i = 0, at = 0; i < k; i++) for (let j = 0; j < n; j++, at++) data[at] = wd[at]! * c[j]!;
      absorbFollower(graph, mm, mul!);
      replaceWeights(graph, mm, { dims: [k, n], data });
      dropIfUnused(graph, m.cName);
      annotateAccumulator(graph, mm);
      changed = true;
    }
    return changed;
  },
});
