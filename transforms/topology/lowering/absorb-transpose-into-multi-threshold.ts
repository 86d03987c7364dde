import { defineTransform, getString, setString } from '../../../src/index.js';
import { isQonnxOp, soleConsumer } from '../../../src/rewrite.js';
import { TO_NCHW, permOf, permute, samePerm } from '../../../src/rewrite.js';
import { quantizedNodes } from '../_lib/quantized-scope.js';

/**
 * Transpose(x_nhwc → nchw) then MultiThreshold (NCHW) ≡ MultiThreshold (NHWC) on x, then the Transpose: the
 * thresholds move into the channels-last datapath and the Transpose moves on toward its inverse.
 */
export default defineTransform({
  name: 'AbsorbTransposeIntoMultiThreshold',
  stage: 'topology',
  description: 'Run a MultiThreshold after an NHWC→NCHW Transpose in NHWC layout, moving the Transpose behind it',
  apply(model) {
    const graph = model.graph;
    let changed = false;
    for (const mt of quantizedNodes(graph)) {
      if (!isQonnxOp(mt, 'MultiThreshold') || getString(mt, 'data_layout', 'NCHW') !== 'NCHW') continue;
      const tr = graph.producer(mt.inputs[0]!);
      if (!tr || !samePerm(permOf(tr), TO_NCHW) || soleConsumer(graph, tr.outputs[0]!) !== mt) continue;
      const x = tr.inputs[0]!;
      const mid = tr.outputs[0]!;
      const out = mt.outputs[0]!;
      const xShape = graph.getShape(x);
      if (!xShape || xShape.length !== 4) continue;
      const t = graph.uniqueTensorName(`${mt.name || 'MultiThreshold'}_nhwc`);
      graph.setInput(mt, 0, x);
      graph.setOutput(mt, 0, t);
      graph.setInput(tr, 0, t);
      graph.setOutput(tr, 0, out);
      graph.removeNode(tr);
      graph.insertAfter(mt, tr);
      graph.removeValueInfo(mid);
      graph.setShape(t, xShape, graph.getElemType(out));
      const outShape = graph.getShape(out);
      if (!outShape) graph.setShape(out, permute(xShape, TO_NCHW));
      graph.setDatatypeName(t, graph.getDatatypeName(out));
      graph.setDatatypeName(mid, undefined);
      setString(mt, 'data_layout', 'NHWC');
      changed = true;
    }
    return changed;
  },
});
