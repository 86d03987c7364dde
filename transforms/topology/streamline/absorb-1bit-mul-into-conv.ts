import { defineTransform } from '../../../src/index.js';
import { addConst, constOf, perChannel } from '../../../src/rewrite.js';
import { absorbFollower, annotateAccumulator, dropIfUnused, isOnnxOp, matchConstBinary, soleConsumer } from '../../../src/rewrite.js';
import { isOneBitFactor, replaceWeights } from '../_lib/one-bit.js';
import { quantizedNodes } from '../_lib/quantized-scope.js';

/** Conv(x, W, b)·c → Conv(x, W·c, b·c) for c of ±1/0 values per output channel (axis 1). */
export default defineTransform({
  name: 'Absorb1BitMulIntoConv',
  stage: 'topology',
  description: 'Fold a Mul by a ±1/0 (per-channel) constant after a Conv into its weights',
  apply(model) {
    const graph = model.graph;
    let changed = false;
    for (const conv of quantizedNodes(graph, 'Conv')) {
      if (!isOnnxOp(conv, 'Conv')) continue;
      const w = constOf(graph, conv.inputs[1] ?? '');
      const bias = conv.inputs[2] ? constOf(graph, conv.inputs[2]) : undefined;
      const mul = soleConsumer(graph, conv.outputs[0]!);
      const m = mul && matchConstBinary(graph, mul, 'Mul');
      if (!w || !m || !isOneBitFactor(m.c) || (conv.inputs[2] && !bias)) continue;
      const rank = graph.getShape(conv.outputs[0]!)?.length ?? w.dims.length;
      const co = w.dims[0]!;
      const c = perChannel(m.c, rank, 1, co);
      if (!c) continue;
      const per = w.data.length / co;
      const data = w.data.map((v, i) => v * c[Math.floor(i / per)]!);
      absorbFollower(graph, conv, mul!);
      replaceWeights(graph, conv, { dims: w.dims, data });
      if (bias) {
        const b = addConst(graph, `${conv.name || 'Conv'}_bias`, { dims: bias.dims, data: bias.data.map((v, i) => v * c[i]!) });
        const old = conv.inputs[2]!;
        graph.setInput(conv, 2, b);
        dropIfUnused(graph, old);
      }
      dropIfUnused(graph, m.cName);
      annotateAccumulator(graph, conv);
      changed = true;
    }
    return changed;
  },
});
