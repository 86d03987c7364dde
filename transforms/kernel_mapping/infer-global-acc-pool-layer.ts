import { defineTransform, ElemType, makeNode, smallestDataType } from '../../src/index.js';
import { datatypeOf, freshName, hwNode, isOnnxOp, setFloatInit, staticShape } from '../../src/rewrite.js';

/**
 * GlobalAveragePool of a 4-D integer tensor → GlobalAccPool (the per-channel sum, in channels-last order) and a
 * Mul by 1/(H·W) that stays on the host (FINN's InferGlobalAccPoolLayer). An NCHW input (the default unless
 * the tensor's layout says NHWC) gets NCHW→NHWC and back transposes around the pair.
 */
export default defineTransform({
  name: 'InferGlobalAccPoolLayer',
  stage: 'kernel_mapping',
  description: 'GlobalAveragePool → GlobalAccPool + Mul',
  apply(model) {
    const graph = model.graph;
    let changed = false;
    for (const gap of graph.nodeList()) {
      if (!gap.graph || !isOnnxOp(gap, 'GlobalAveragePool')) continue;
      const x = gap.inputs[0]!;
      const y = gap.outputs[0]!;
      const shape = staticShape(graph, x);
      const idt = datatypeOf(graph, x);
      if (!y || !shape || shape.length !== 4 || graph.isInitializer(x) || !idt.isInteger()) continue;
      const nchw = graph.getTensorLayout(x)?.join('') !== 'NHWC';
      const [n, h, w, c] = (nchw ? [shape[0], shape[2], shape[3], shape[1]] : shape) as [number, number, number, number];
      const pooled = [n, 1, 1, c];
      const sumType = smallestDataType(idt.min() * h * w, idt.max() * h * w).name;
      const elemType = graph.getElemType(x) ?? ElemType.FLOAT;
      let inT = x;
      if (nchw) {
        inT = graph.uniqueTensorName(`${x}_nhwc`);
        graph.setShape(inT, [n, h, w, c], elemType);
        graph.setDatatypeName(inT, idt.name);
        graph.insertBefore(gap, makeNode({ opType: 'Transpose', inputs: [x], outputs: [inT], name: freshName(graph, `${gap.name}_to_nhwc`), attributes: [{ name: 'perm', type: 7, ints: [0, 2, 3, 1] }] }));
      }
      const sum = graph.uniqueTensorName(`${y}_sum`);
      graph.setShape(sum, pooled, ElemType.FLOAT);
      graph.setDatatypeName(sum, sumType);
      graph.insertBefore(gap, hwNode('GlobalAccPool', [inT], [sum], {
        NumChannels: c,
        PE: 1,
        inputDataType: idt.name,
        numInputVectors: [n, h, w],
      }, freshName(graph, `GlobalAccPool_${gap.name}`)));
      const scale = graph.uniqueTensorName(`${gap.name}_scale`);
      setFloatInit(graph, scale, [], [1 / (h * w)]);
      const mean = nchw ? graph.uniqueTensorName(`${y}_nhwc`) : y;
      if (nchw) graph.setShape(mean, pooled, ElemType.FLOAT);
      graph.insertBefore(gap, makeNode({ opType: 'Mul', inputs: [sum, scale], outputs: [mean], name: freshName(graph, `${gap.name}_mean`) }));
      if (nchw) {
        graph.insertBefore(gap, makeNode({ opType: 'Transpose', inputs: [mean], outputs: [y], name: freshName(graph, `${gap.name}_to_nchw`), attributes: [{ name: 'perm', type: 7, ints: [0, 3, 1, 2] }] }));
      }
      graph.removeNode(gap);
      graph.setDatatypeName(y, 'FLOAT32');
      changed = true;
    }
    return changed;
  },
});
