import { defineTransform, getInt, getInts, getString } from '../../../src/index.js';
import { addConst, constOf, floatTypeOf, perChannel } from '../../../src/rewrite.js';
import { annotateAccumulator, dropIfUnused, isOnnxOp, linearBefore, swapPast } from '../../../src/rewrite.js';
import { quantizedNodes } from '../_lib/quantized-scope.js';

/**
 * Conv(x + a, W) → Conv(x, W) + b with b[co] = Σ_{ci,kh,kw} W[co,ci,kh,kw]·a[ci], for a scalar or per-input-
 * channel a. Only without padding (padded zeros would not be shifted) and with group 1.
 */
export default defineTransform({
  name: 'MoveAddPastConv',
  stage: 'topology',
  description: 'Move a (per-channel) Add in front of an unpadded bias-free Conv behind it as a bias',
  apply(model) {
    const graph = model.graph;
    let changed = false;
    for (const conv of quantizedNodes(graph, 'Conv')) {
      if (!isOnnxOp(conv, 'Conv') || conv.inputs[2]) continue;
      if (getInts(conv, 'pads', []).some((p) => p !== 0) || getString(conv, 'auto_pad', 'NOTSET') !== 'NOTSET' || getInt(conv, 'group', 1) !== 1) continue;
      const w = constOf(graph, conv.inputs[1] ?? '');
      const add = linearBefore(graph, conv.inputs[0]!, ['Add']);
      const shape = add && graph.getShape(add.x);
      if (!w || !add || !shape || w.dims.length < 3) continue;
      const [co, ci] = w.dims as [number, number];
      const a = perChannel(add.c, shape.length, 1, ci);
      if (!a) continue;
      const k = w.data.length / (co * ci);
      const bias = new Float64Array(co);
      for (let o = 0; o < co; o++) {
        let s = 0;
        for (let i = 0; i < ci; i++) for (let j = 0; j < k; j++) s += w.data[(o * ci + i) * k + j]! * a[i]!;
        bias[o] = s;
      }
      swapPast(graph, add.node, add.xIndex, conv, 0);
      const dims = [1, co, ...new Array<number>(w.dims.length - 2).fill(1)];
      const name = addConst(graph, `${add.node.name || 'Add'}_param`, { dims, data: bias }, floatTypeOf(graph, add.cName));
      graph.setInput(add.node, 1 - add.xIndex, name);
      dropIfUnused(graph, add.cName);
      annotateAccumulator(graph, conv);
      changed = true;
    }
    return changed;
  },
});
