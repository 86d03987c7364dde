// A Conv bias blocks moving weight scales past the Conv (and FINN's MVAU/VVAU have no bias): the bias becomes
// a separate Add, with the bias shaped [1, C, 1, …] so it broadcasts over the channel axis of N×C×spatial.
import { defineTransform, makeNode, makeValueInfo, ElemType } from '../../../src/index.js';
import { addFloatInitializer, dropIfUnused, readInitializer } from './_lib/tensors.js';
import { appendAfterOutput, derivedNodeName, isStandardNode } from './_lib/rewire.js';
import { quantizedNodes } from '../_lib/quantized-scope.js';

export default defineTransform({
  name: 'ExtractConvBias',
  stage: 'topology',
  description: 'Move the bias of Conv nodes into an Add after the Conv, broadcast over the channel axis',
  apply(model, ctx) {
    const graph = model.graph;
    let extracted = 0;
    for (const conv of quantizedNodes(graph, 'Conv')) {
      if (!isStandardNode(conv)) continue;
      const bias = conv.inputs[2];
      const weightShape = graph.getShape(conv.inputs[1] ?? '');
      if (!bias || !weightShape) continue;
      const rank = weightShape.length;
      const channels = weightShape[0];
      const shaped = new Array<number>(rank).fill(1);
      let operand: string;
      const init = readInitializer(graph, bias);
      if (init) {
        shaped[1] = init.data.length;
        operand = addFloatInitializer(graph, `${bias}_bcast`, shaped, init.data);
      } else {
        // A computed bias: reshape it at run time.
        if (typeof channels !== 'number') continue;
        shaped[1] = channels;
        const shapeName = graph.uniqueTensorName(`${bias}_bcast_shape`);
        graph.setInitializer({ name: shapeName, data_type: ElemType.INT64, dims: [rank], int64_data: shaped });
        operand = graph.uniqueTensorName(`${bias}_bcast`);
        graph.setValueInfo(makeValueInfo(operand, graph.getElemType(bias) ?? ElemType.FLOAT, shaped));
        graph.insertBefore(conv, makeNode({ opType: 'Reshape', inputs: [bias, shapeName], outputs: [operand], name: derivedNodeName(graph, conv, 'bias_reshape') }));
      }
      graph.setInputs(conv, conv.inputs.slice(0, 2));
      appendAfterOutput(graph, conv, 0, (fresh, out) => ({ opType: 'Add', inputs: [fresh, operand], outputs: [out], name: derivedNodeName(graph, conv, 'bias') }));
      dropIfUnused(graph, [bias]);
      extracted++;
    }
    if (extracted) ctx.log.debug({ extracted }, 'Conv biases extracted');
    return extracted > 0;
  },
});
