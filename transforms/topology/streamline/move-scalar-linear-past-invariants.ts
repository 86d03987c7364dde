import { defineTransform, type Node } from '../../../src/index.js';
import { isScalar } from '../../../src/rewrite.js';
import { copyDatatype, isOnnxOp, isQonnxOp, matchConstBinary, soleConsumer, swapPast } from '../../../src/rewrite.js';
import { quantizedNodes } from '../_lib/quantized-scope.js';
import { readNearestResize } from '../../../src/rewrite.js';

/** Ops f with f(x·s) = f(x)·s and f(x + s) = f(x) + s for a scalar s (max pooling only for s > 0 in a Mul). */
const SHAPE_OPS = ['Reshape', 'Flatten', 'Transpose', 'Squeeze', 'Unsqueeze', 'Identity'];

function invariantFor(node: Node, op: string, s: number, opset: number): boolean {
  if (node.outputs.length !== 1) return false;
  if (SHAPE_OPS.some((t) => isOnnxOp(node, t))) return true;
  if (isOnnxOp(node, 'MaxPool') || isQonnxOp(node, 'MaxPoolNHWC')) return op === 'Add' || s > 0;
  // Nearest-neighbour upsampling only replicates pixels (an activation's scale in front of it, as in ESPCN).
  if ((isOnnxOp(node, 'Resize') || isOnnxOp(node, 'Upsample')) && node.graph) return readNearestResize(node.graph, node, opset) !== undefined;
  return false;
}

/**
 * Moves scalar Mul/Add past shape-only ops and max pooling, toward the MatMul or threshold they belong to.
 * Each linear op walks past as many invariant ops as follow it in one application.
 */
export default defineTransform({
  name: 'MoveScalarLinearPastInvariants',
  stage: 'topology',
  description: 'Move scalar Mul/Add past Reshape, Flatten, Transpose, Squeeze, Unsqueeze, MaxPool and nearest Resize',
  apply(model) {
    const graph = model.graph;
    const opset = model.opsets.get('') ?? 0;
    let changed = false;
    for (const op of ['Mul', 'Add']) {
      for (const lin of quantizedNodes(graph, op)) {
        for (;;) {
          // Cheap structural checks first: most Muls/Adds are not followed by an invariant op.
          const next = lin.graph && soleConsumer(graph, lin.outputs[0]!);
          if (!next || next.inputs[0] !== lin.outputs[0] || !invariantFor(next, op, 1, opset)) break;
          const m = matchConstBinary(graph, lin, op);
          if (!m || !isScalar(m.c) || !invariantFor(next, op, m.c.data[0]!, opset)) break;
          swapPast(graph, lin, m.xIndex, next, 0);
          copyDatatype(graph, next.inputs[0]!, next.outputs[0]!);
          changed = true;
        }
      }
    }
    return changed;
  },
});
