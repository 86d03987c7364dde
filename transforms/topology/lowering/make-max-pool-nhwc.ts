import { QONNX_GENERAL_DOMAIN, defineTransform, getInt, getInts } from '../../../src/index.js';
import { ensureQonnxOpset, isOnnxOp } from '../../../src/rewrite.js';
import { TO_NCHW, TO_NHWC, addTranspose, permute } from '../../../src/rewrite.js';
import { quantizedNodes } from '../_lib/quantized-scope.js';

/**
 * 2-D MaxPool (NCHW) → Transpose to NHWC, MaxPoolNHWC, Transpose back; the Transposes then cancel against
 * their neighbours (AbsorbConsecutiveTransposes) in a channels-last datapath.
 */
export default defineTransform({
  name: 'MakeMaxPoolNHWC',
  stage: 'topology',
  description: 'Replace 2-D MaxPool by MaxPoolNHWC between Transposes',
  apply(model) {
    const graph = model.graph;
    let changed = false;
    for (const pool of quantizedNodes(graph, 'MaxPool')) {
      if (!isOnnxOp(pool, 'MaxPool') || pool.outputs.filter((o) => o).length !== 1) continue;
      const shape = graph.getShape(pool.inputs[0]!);
      if (!shape || shape.length !== 4 || getInt(pool, 'storage_order', 0) !== 0) continue;
      if (getInts(pool, 'dilations', [1, 1]).some((d) => d !== 1)) continue;
      const base = pool.name || 'MaxPool';
      const out = pool.outputs[0]!;
      const xT = addTranspose(graph, pool, pool.inputs[0]!, TO_NHWC, `${base}_to_nhwc`);
      const y = graph.uniqueTensorName(`${base}_nhwc`);
      const attrs = pool.attributes.filter((a) => ['kernel_shape', 'pads', 'strides', 'ceil_mode'].includes(a.name ?? ''));
      graph.insertBefore(pool, { op_type: 'MaxPoolNHWC', domain: QONNX_GENERAL_DOMAIN, name: base, input: [xT], output: [y], attribute: attrs });
      const outShape = graph.getShape(out);
      if (outShape) graph.setShape(y, permute(outShape, TO_NHWC), graph.getElemType(out));
      const dt = graph.getDatatypeName(pool.inputs[0]!);
      if (dt) graph.setDatatypeName(y, dt);
      graph.replaceNode(pool, { op_type: 'Transpose', name: `${base}_to_nchw`, input: [y], output: [out], attribute: [{ name: 'perm', type: 7, ints: TO_NCHW }] });
      ensureQonnxOpset(model);
      changed = true;
    }
    return changed;
  },
});
