import { defineTransform, getInts, FINN_HW_DOMAIN, normalizeNodeDomain, type Node } from '../../src/index.js';
import { constOf, isOnnxOp, setFloatInit, staticShape } from '../../src/rewrite.js';

const isKernel = (n: Node | undefined): boolean => n !== undefined && normalizeNodeDomain(n).startsWith(FINN_HW_DOMAIN);

/**
 * The convolution-to-dense transition `kernel → Transpose(NHWC→NCHW) → Flatten → MVAU` (FINN's
 * RemoveCNVtoFCFlatten): the Transpose and Flatten go, and the MVAU's weight rows are permuted from (c,h,w)
 * to (h,w,c) order so that it reads the channels-last stream directly. A Flatten (or a Reshape that is a
 * flatten) straight from a kernel into an MVAU goes as well: its input is already the channels-last stream
 * in the order the MVAU's weight rows expect (streamlining reordered them), and the MVAU reads any input of
 * MW elements per vector, so removing it only drops a shape rename. Other consumers keep the Flatten, since
 * they would see a different shape.
 */
/** [N, ...rest] → [N, prod(rest)]: the row-major order of the elements is unchanged. */
function isPlainFlatten(inShape: number[] | undefined, outShape: number[]): boolean {
  if (!inShape || inShape.length < 2) return false;
  return outShape[0] === inShape[0] && outShape[1] === inShape.slice(1).reduce((a, b) => a * b, 1);
}

export default defineTransform({
  name: 'RemoveCNVtoFCFlatten',
  stage: 'kernel_mapping',
  description: 'Remove Transpose+Flatten between a convolution kernel and an MVAU (weights permuted)',
  apply(model) {
    const graph = model.graph;
    let changed = false;
    for (const fl of graph.nodeList()) {
      if (!fl.graph || !(isOnnxOp(fl, 'Flatten') || isOnnxOp(fl, 'Reshape'))) continue;
      const out = fl.outputs[0]!;
      const uses = graph.consumers(out);
      if (uses.length !== 1 || graph.isGraphOutput(out)) continue;
      const consumer = uses[0]!.node;
      if (!isKernel(consumer) || consumer.opType !== 'MVAU') continue;
      const outShape = staticShape(graph, out);
      if (!outShape || outShape.length !== 2) continue;
      const producer = graph.producer(fl.inputs[0]!);
      if (producer && isOnnxOp(producer, 'Transpose') && graph.consumers(producer.outputs[0]!).length === 1) {
        const perm = getInts(producer, 'perm', []);
        const nhwc = staticShape(graph, producer.inputs[0]!);
        const before = graph.producer(producer.inputs[0]!);
        if (perm.join() !== '0,3,1,2' || !nhwc || nhwc.length !== 4 || !isKernel(before)) continue;
        const wName = consumer.inputs[1]!;
        const w = constOf(graph, wName);
        const [, h, wd, c] = nhwc as [number, number, number, number];
        if (!w || w.dims[0] !== h * wd * c || graph.consumers(wName).length !== 1) continue;
        const mh = w.dims[1]!;
        // Row (c,h,w) of the NCHW-flattened input becomes row (h,w,c) of the NHWC one.
        const permuted = new Float64Array(w.data.length);
        for (let ci = 0; ci < c; ci++)
          for (let hi = 0; hi < h; hi++)
            for (let wi = 0; wi < wd; wi++) {
              const src = (ci * h * wd + hi * wd + wi) * mh;
              const dst = ((hi * wd + wi) * c + ci) * mh;
              permuted.set(w.data.subarray(src, src + mh), dst);
            }
        setFloatInit(graph, wName, w.dims, permuted, graph.getDatatypeName(wName));
        graph.setInput(fl, 0, producer.inputs[0]!);
        graph.removeValueInfo(producer.outputs[0]!);
        graph.setDatatypeName(producer.outputs[0]!, undefined);
        graph.removeNode(producer);
        changed = true;
      }
      if (isKernel(graph.producer(fl.inputs[0]!)) && isPlainFlatten(staticShape(graph, fl.inputs[0]!), outShape)) {
        const shapeInput = fl.inputs[1];
        graph.setInput(consumer, uses[0]!.index, fl.inputs[0]!);
        graph.removeValueInfo(out);
        graph.setDatatypeName(out, undefined);
        graph.removeNode(fl);
        // A Reshape's target shape constant goes with it unless something else reads it.
        if (shapeInput && graph.getInitializer(shapeInput) && graph.consumers(shapeInput).length === 0) graph.removeInitializer(shapeInput);
        changed = true;
      }
    }
    return changed;
  },
});
