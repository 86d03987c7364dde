import { defineTransform } from '../../../src/index.js';
import { dropIfUnused } from '../../../src/rewrite.js';
import { TO_NCHW, TO_NHWC, addTranspose, permute } from '../../../src/rewrite.js';
import { quantizedNodes } from '../_lib/quantized-scope.js';
import { permutedResizeParams, readNearestResize } from '../../../src/rewrite.js';

const NHWC = 'NHWC';

/**
 * Nearest-neighbour Resize/Upsample scaling H and W of an NCHW tensor (scales [1, 1, sh, sw]) → Transpose to
 * NHWC, the same op with its scales (or sizes) permuted, Transpose back, so the channels-last datapath keeps
 * flowing (AbsorbConsecutiveTransposes cancels the pairs) and InferUpsample can map it. Only resizes that are
 * exact integer replication are moved: the others have no kernel, so moving them would gain nothing.
 */
export default defineTransform({
  name: 'MakeScaleResizeNHWC',
  stage: 'topology',
  description: 'Move nearest-neighbour Resize/Upsample on NCHW tensors to NHWC between Transposes',
  apply(model) {
    const graph = model.graph;
    const opset = model.opsets.get('') ?? model.opsets.get('ai.onnx') ?? 0;
    let changed = false;
    for (const op of ['Resize', 'Upsample']) {
      for (const node of quantizedNodes(graph, op)) {
        if (node.outputs.filter((o) => o).length !== 1) continue;
        const x = node.inputs[0]!;
        const r = readNearestResize(graph, node, opset);
        if (!r || r.scales.length !== 4) continue;
        const [sn, sc, sh, sw] = r.scales as [number, number, number, number];
        if (sn !== 1 || sc !== 1 || (sh === 1 && sw === 1)) continue;
        // A tensor annotated channels-last is already NHWC (it would be scaling W and C here: not ours).
        if (graph.getTensorLayout(x)?.join('') === NHWC) continue;
        const base = node.name || op;
        const out = node.outputs[0]!;
        const xT = addTranspose(graph, node, x, TO_NHWC, `${base}_to_nhwc`);
        const { inputs, attributes } = permutedResizeParams(graph, node, r, TO_NHWC, xT);
        const y = graph.uniqueTensorName(`${base}_nhwc`);
        graph.insertBefore(node, { op_type: node.opType, domain: node.domain, name: base, input: inputs, output: [y], attribute: attributes });
        const outShape = graph.getShape(out);
        if (outShape) graph.setShape(y, permute(outShape, TO_NHWC), graph.getElemType(out) ?? graph.getElemType(x));
        const dt = graph.getDatatypeName(x);
        if (dt) graph.setDatatypeName(y, dt);
        graph.setTensorLayout(xT, [...NHWC]);
        graph.setTensorLayout(y, [...NHWC]);
        const params = node.inputs.slice(1).filter((t) => t && !inputs.includes(t));
        graph.replaceNode(node, { op_type: 'Transpose', name: `${base}_to_nchw`, input: [y], output: [out], attribute: [{ name: 'perm', type: 7, ints: TO_NCHW }] });
        dropIfUnused(graph, ...params);
        changed = true;
      }
    }
    return changed;
  },
});
