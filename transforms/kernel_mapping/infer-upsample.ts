import { defineTransform } from '../../src/index.js';
import { readNearestResize } from '../../src/rewrite.js';
import { datatypeOf, freshName, hwNode, staticShape } from '../../src/rewrite.js';

/**
 * Nearest-neighbour Resize/Upsample of an integer NHWC tensor by an integer factor (exact pixel replication)
 * → UpsampleNearestNeighbour, as FINN's InferUpsample: a square image scaled equally in H and W, or a 1-D
 * image (N, H, 1, C) scaled in H; N and C unscaled. Resizes on NCHW tensors are moved to NHWC first by
 * MakeScaleResizeNHWC; anything else is left alone.
 */
export default defineTransform({
  name: 'InferUpsample',
  stage: 'kernel_mapping',
  description: 'Nearest-neighbour Resize/Upsample (NHWC, integer factor) → UpsampleNearestNeighbour',
  apply(model) {
    const graph = model.graph;
    const opset = model.opsets.get('') ?? model.opsets.get('ai.onnx') ?? 0;
    let changed = false;
    for (const node of graph.nodeList()) {
      if (!node.graph || (node.opType !== 'Resize' && node.opType !== 'Upsample')) continue;
      const x = node.inputs[0]!;
      const y = node.outputs[0];
      if (!y || node.outputs.filter((o) => o).length !== 1) continue;
      const shape = staticShape(graph, x);
      if (!shape || shape.length !== 4) continue;
      const layout = graph.getTensorLayout(x)?.join('');
      if (layout !== undefined && layout !== 'NHWC') continue;
      const idt = datatypeOf(graph, x);
      if (!idt.isInteger()) continue;
      const r = readNearestResize(graph, node, opset);
      if (!r) continue;
      const [N, H, W, C] = shape as [number, number, number, number];
      const [sn, sh, sw, sc] = r.scales as [number, number, number, number];
      if (sn !== 1 || sc !== 1 || sh === 1) continue;
      // The kernel's image is square (DimMode 0) or a column (N, H, 1, C) (DimMode 1).
      const dimMode = W === 1 && sw === 1 ? 1 : 0;
      if (dimMode === 0 && (H !== W || sh !== sw)) continue;
      const params = node.inputs.slice(1).filter((t) => t);
      graph.insertBefore(node, hwNode('UpsampleNearestNeighbour', [x], [y], {
        OFMDim: H * sh, IFMDim: H, NumChannels: C, inputDataType: idt.name, numInputVectors: N, DimMode: dimMode,
      }, freshName(graph, `UpsampleNearestNeighbour_${node.name || node.opType}`)));
      graph.removeNode(node);
      for (const t of params) {
        if (graph.isInitializer(t) && !graph.hasConsumers(t) && !graph.isGraphOutput(t)) graph.removeInitializer(t);
      }
      graph.setDatatypeName(y, idt.name);
      changed = true;
    }
    return changed;
  },
});
