// Gemm is not a FINN op: Y = alpha·A'·B' + beta·C becomes (Transpose) MatMul (+ Mul alpha) (+ Add C), so the
// later transforms (weight folding, streamlining, MVAU mapping) only ever see MatMul.
import {
  defineTransform, getFloat, getInt, makeValueInfo, setInts, makeNode, type Graph, type Node,
} from '../../../src/index.js';
import { addFloatInitializer, dropIfUnused, readInitializer, transpose } from './_lib/tensors.js';
import { derivedNodeName, isStandardNode } from './_lib/rewire.js';
import { quantizedNodes } from '../_lib/quantized-scope.js';

/** A tensor holding the transpose of 2-D `name`: a transposed initializer copy, else a Transpose node. */
function transposed(graph: Graph, gemm: Node, name: string, tag: string): string {
  const init = readInitializer(graph, name);
  if (init && init.dims.length === 2) {
    const t = transpose(init.data, init.dims, [1, 0]);
    return addFloatInitializer(graph, `${name}_T`, t.dims, t.data);
  }
  const out = graph.uniqueTensorName(`${name}_T`);
  const shape = graph.getShape(name);
  if (shape && shape.length === 2) graph.setValueInfo(makeValueInfo(out, graph.getElemType(name) ?? 1, [shape[1]!, shape[0]!]));
  const tr = graph.insertBefore(gemm, makeNode({ opType: 'Transpose', inputs: [name], outputs: [out], name: derivedNodeName(graph, gemm, `transpose_${tag}`) }));
  setInts(tr, 'perm', [1, 0]);
  return out;
}

export default defineTransform({
  name: 'GemmToMatMul',
  stage: 'topology',
  description: 'Rewrite Gemm as (Transpose) MatMul (+ Mul by alpha) (+ Add of beta·C)',
  apply(model, ctx) {
    const graph = model.graph;
    let converted = 0;
    for (const gemm of quantizedNodes(graph, 'Gemm')) {
      if (!isStandardNode(gemm)) continue;
      const [a, b, c] = gemm.inputs;
      const y = gemm.outputs[0];
      if (!a || !b || !y) continue;
      const alpha = getFloat(gemm, 'alpha', 1);
      const beta = getFloat(gemm, 'beta', 1);
      const yShape = graph.getShape(y);
      const yType = graph.getElemType(y) ?? 1;
      const declare = (name: string): void => {
        if (yShape) graph.setValueInfo(makeValueInfo(name, yType, yShape));
      };

      const lhs = getInt(gemm, 'transA', 0) ? transposed(graph, gemm, a, 'a') : a;
      const rhs = getInt(gemm, 'transB', 0) ? transposed(graph, gemm, b, 'b') : b;
      const steps: { op: string; operand: string }[] = [];
      if (alpha !== 1) steps.push({ op: 'Mul', operand: addFloatInitializer(graph, `${y}_alpha`, [], [alpha]) });
      if (c) {
        let bias = c;
        if (beta !== 1) {
          const cInit = readInitializer(graph, c);
          if (cInit) {
            bias = addFloatInitializer(graph, `${c}_beta`, cInit.dims, cInit.data.map((v) => v * beta));
          } else {
            bias = graph.uniqueTensorName(`${c}_beta`);
            const betaName = addFloatInitializer(graph, `${c}_beta_factor`, [], [beta]);
            graph.insertBefore(gemm, makeNode({ opType: 'Mul', inputs: [c, betaName], outputs: [bias], name: derivedNodeName(graph, gemm, 'beta') }));
          }
        }
        if (beta !== 0) steps.push({ op: 'Add', operand: bias });
      }

      // The chain MatMul → Mul → Add ends in the Gemm's own output tensor, so consumers need no rewiring.
      let current = steps.length ? graph.uniqueTensorName(`${y}_matmul`) : y;
      const matmul = graph.insertBefore(gemm, makeNode({ opType: 'MatMul', inputs: [lhs, rhs], outputs: [current], name: gemm.name || undefined }));
      let prev: Node = matmul;
      if (current !== y) declare(current);
      steps.forEach((s, i) => {
        const out = i === steps.length - 1 ? y : graph.uniqueTensorName(`${y}_${s.op.toLowerCase()}`);
        if (out !== y) declare(out);
        prev = graph.insertAfter(prev, makeNode({ opType: s.op, inputs: [current, s.operand], outputs: [out], name: derivedNodeName(graph, gemm, s.op.toLowerCase()) }));
        current = out;
      });
      graph.removeNode(gemm);
      dropIfUnused(graph, [a, b, c ?? '']);
      converted++;
    }
    if (converted) ctx.log.debug({ converted }, 'Gemm → MatMul');
    return converted > 0;
  },
});
