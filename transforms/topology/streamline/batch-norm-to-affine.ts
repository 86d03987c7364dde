import { defineTransform, getFloat, getInts, hasAttribute, type Graph, type Node } from '../../../src/index.js';
import { addConst, constOf, floatTypeOf, numel } from '../../../src/rewrite.js';
import { dropIfUnused, isOnnxOp, soleConsumer } from '../../../src/rewrite.js';
import { quantizedNodes } from '../_lib/quantized-scope.js';

/** Axes of an Unsqueeze/Squeeze from its attribute (opset < 13) or its second input (opset ≥ 13). */
function axesOf(graph: Graph, node: Node): number[] | undefined {
  if (hasAttribute(node, 'axes')) return getInts(node, 'axes');
  const c = constOf(graph, node.inputs[1] ?? '');
  return c ? Array.from(c.data) : undefined;
}

/**
 * An Unsqueeze before and a Squeeze after the BatchNorm that undo each other on axes after the channel
 * axis (how exporters feed a rank-2 tensor to BatchNorm1d): the affine can act on the rank-2 tensor directly.
 */
function squeezePair(graph: Graph, bn: Node): { unsqueeze: Node; squeeze: Node } | undefined {
  const unsqueeze = graph.producer(bn.inputs[0]!);
  const squeeze = soleConsumer(graph, bn.outputs[0]!);
  if (!unsqueeze || !squeeze || !isOnnxOp(unsqueeze, 'Unsqueeze') || !isOnnxOp(squeeze, 'Squeeze')) return undefined;
  if (soleConsumer(graph, unsqueeze.outputs[0]!) !== bn) return undefined;
  const rank = graph.getShape(bn.inputs[0]!)?.length;
  const a = axesOf(graph, unsqueeze)?.map((x) => (x < 0 && rank ? x + rank : x));
  const b = axesOf(graph, squeeze)?.map((x) => (x < 0 && rank ? x + rank : x));
  if (!a || !b || a.length !== b.length || a.some((x, i) => x !== b[i] || x < 2)) return undefined;
  return { unsqueeze, squeeze };
}

/**
 * BatchNormalization (inference) → Mul(x, A) then Add(·, B), with A = scale/√(var+ε) and B = bias − mean·A,
 * shaped (C, 1, …) so they broadcast over the channel axis 1.
 */
export default defineTransform({
  name: 'BatchNormToAffine',
  stage: 'topology',
  description: 'Replace inference BatchNormalization by a per-channel Mul and Add with folded constants',
  apply(model) {
    const graph = model.graph;
    let changed = false;
    for (const bn of quantizedNodes(graph, 'BatchNormalization')) {
      if (!isOnnxOp(bn, 'BatchNormalization') || bn.outputs.filter((o) => o).length !== 1) continue;
      const [scale, bias, mean, variance] = bn.inputs.slice(1, 5).map((t) => constOf(graph, t));
      if (!scale || !bias || !mean || !variance) continue;
      const eps = getFloat(bn, 'epsilon', 1e-5);
      const c = scale.data.length;
      if ([bias, mean, variance].some((p) => p.data.length !== c)) continue;
      const pair = squeezePair(graph, bn);
      let x = bn.inputs[0]!;
      let out = bn.outputs[0]!;
      const rank = pair ? graph.getShape(pair.unsqueeze.inputs[0]!)?.length : graph.getShape(x)?.length;
      if (rank === undefined || rank < 2) continue;
      const a = new Float64Array(c);
      const b = new Float64Array(c);
      for (let i = 0; i < c; i++) {
        a[i] = scale.data[i]! / Math.sqrt(variance.data[i]! + eps);
        b[i] = bias.data[i]! - mean.data[i]! * a[i]!;
      }
      const dims = [c, ...new Array<number>(rank - 2).fill(1)];
      if (numel(dims) !== c) continue;
      const et = floatTypeOf(graph, bn.inputs[1]!);
      const base = bn.name || 'BatchNormalization';
      const aName = addConst(graph, `${base}_mul`, { dims, data: a }, et);
      const bName = addConst(graph, `${base}_add`, { dims, data: b }, et);
      const params = bn.inputs.slice(1);
      if (pair) {
        x = pair.unsqueeze.inputs[0]!;
        out = pair.squeeze.outputs[0]!;
        for (const n of [pair.unsqueeze, pair.squeeze]) {
          graph.removeNode(n);
          params.push(...n.inputs.slice(1));
        }
        graph.removeValueInfo(pair.unsqueeze.outputs[0]!);
      }
      const mid = graph.uniqueTensorName(`${base}_scaled`);
      const shape = graph.getShape(out);
      const mul = graph.replaceNode(bn, { op_type: 'Mul', name: `${base}_mul`, input: [x, aName], output: [mid] });
      graph.insertAfter(mul, { op_type: 'Add', name: `${base}_add`, input: [mid, bName], output: [out] });
      if (shape) graph.setShape(mid, shape, graph.getElemType(out));
      if (pair) graph.removeValueInfo(bn.outputs[0]!);
      dropIfUnused(graph, ...params);
      changed = true;
    }
    return changed;
  },
});
