import { ElemType, defineTransform } from '../../src/index.js';
import { channelsLast, datatypeOf, freshName, hwNode, staticShape } from '../../src/rewrite.js';

/**
 * Fan-out: a node output of integer type read more than once gets a DuplicateStreams node with one output per
 * read (a stream has exactly one reader in hardware), and each reader takes its own copy (FINN's
 * InferDuplicateStreamsLayer). Graph inputs are left alone, as in FINN; a graph output keeps its producer.
 */
export default defineTransform({
  name: 'InferDuplicateStreamsLayer',
  stage: 'kernel_mapping',
  description: 'Tensor with fan-out ≥ 2 → DuplicateStreams',
  apply(model) {
    const graph = model.graph;
    let changed = false;
    for (const producer of graph.nodeList()) {
      if (!producer.graph) continue;
      for (const tensor of producer.outputs) {
        if (!tensor) continue;
        // Every read counts, Add(x, x) included: each needs its own stream.
        const reads = graph.consumers(tensor);
        if (reads.length < 2) continue;
        const dt = datatypeOf(graph, tensor);
        const shape = staticShape(graph, tensor);
        if (!dt.isInteger() || !shape) continue;
        const { vectors, channels } = channelsLast(shape);
        const elemType = graph.getElemType(tensor) ?? ElemType.FLOAT;
        const copies = reads.map(() => graph.uniqueTensorName(`${tensor}_dup`));
        // Rewire first, then add the node, so `reads` still describes the original uses.
        reads.forEach(({ node, index }, k) => graph.setInput(node, index, copies[k]!));
        graph.insertAfter(producer, hwNode('DuplicateStreams', [tensor], copies, {
          NumChannels: channels,
          PE: 1,
          NumOutputStreams: copies.length,
          inputDataType: dt.name,
          numInputVectors: vectors,
        }, freshName(graph, `DuplicateStreams_${producer.name}`)));
        for (const c of copies) {
          graph.setShape(c, shape, elemType);
          graph.setDatatypeName(c, dt.name);
        }
        changed = true;
      }
    }
    return changed;
  },
});
