import { defineTransform, smallestDataType, type Graph, type Node } from '../../src/index.js';
import { channelsLast, datatypeOf, freshName, hwNode, isOnnxOp, staticShape } from '../../src/rewrite.js';

/** The Abs that is the only reader of the Sub's result (then the pair becomes one AbsDiff), if any. */
function absAfter(graph: Graph, tensor: string): Node | undefined {
  if (graph.isGraphOutput(tensor)) return undefined;
  const uses = graph.consumers(tensor);
  const only = uses.length === 1 ? uses[0]!.node : undefined;
  return only && isOnnxOp(only, 'Abs') && only.outputs[0] ? only : undefined;
}

/**
 * Sub of two dynamic integer streams of the same static shape → StreamingEltwise 'Sub'; a Sub followed by an
 * Abs (its only reader) → one StreamingEltwise 'AbsDiff' (FINN's InferStreamingEltwise). The difference is
 * element-wise, so the last axis serves as the channel axis whatever the layout.
 */
export default defineTransform({
  name: 'InferStreamingEltwise',
  stage: 'kernel_mapping',
  description: 'Sub (or Sub→Abs) of two integer streams → StreamingEltwise',
  apply(model) {
    const graph = model.graph;
    let changed = false;
    for (const sub of graph.nodeList()) {
      if (!sub.graph || !isOnnxOp(sub, 'Sub') || sub.inputs.length !== 2) continue;
      const [a, b] = sub.inputs as [string, string];
      const diff = sub.outputs[0];
      if (!diff || !a || !b || graph.isInitializer(a) || graph.isInitializer(b)) continue;
      const sa = staticShape(graph, a);
      const sb = staticShape(graph, b);
      // No broadcasting: both streams carry every element.
      if (!sa || !sb || sa.length === 0 || sa.length !== sb.length || sa.some((d, i) => d !== sb[i])) continue;
      const ta = datatypeOf(graph, a);
      const tb = datatypeOf(graph, b);
      if (!ta.isInteger() || !tb.isInteger()) continue;
      const { vectors, channels } = channelsLast(sa);
      const lo = ta.min() - tb.max();
      const hi = ta.max() - tb.min();
      const abs = absAfter(graph, diff);
      const out = abs ? abs.outputs[0]! : diff;
      const odt = abs ? smallestDataType(0, Math.max(Math.abs(lo), Math.abs(hi))) : smallestDataType(lo, hi);
      graph.insertBefore(sub, hwNode('StreamingEltwise', [a, b], [out], {
        NumChannels: channels,
        PE: 1,
        inputDataType0: ta.name,
        inputDataType1: tb.name,
        eltwiseOp: abs ? 'AbsDiff' : 'Sub',
        numInputVectors: vectors,
      }, freshName(graph, `StreamingEltwise_${sub.name}`)));
      graph.removeNode(sub);
      if (abs) {
        graph.removeNode(abs);
        graph.removeValueInfo(diff);
        graph.setDatatypeName(diff, undefined);
      }
      graph.setDatatypeName(out, odt.name);
      changed = true;
    }
    return changed;
  },
});
