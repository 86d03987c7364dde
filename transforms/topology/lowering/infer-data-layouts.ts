import { defineTransform, getString, type Graph, type Node } from '../../../src/index.js';
import { isQonnxOp } from '../../../src/rewrite.js';
import { permOf, permute } from '../../../src/rewrite.js';
import { quantizedDatapath } from '../_lib/quantized-scope.js';

const DEFAULT_BY_RANK: Record<number, string[]> = { 2: ['N', 'C'], 3: ['N', 'C', 'W'], 4: ['N', 'C', 'H', 'W'] };
const NHWC = ['N', 'H', 'W', 'C'];
/** Ops whose output has the layout of their first input. */
const SAME_LAYOUT = new Set([
  'Mul', 'Add', 'Sub', 'Div', 'Relu', 'Sigmoid', 'Tanh', 'Clip', 'Quant', 'IntQuant', 'BipolarQuant', 'Trunc',
  'BatchNormalization', 'Identity', 'Sign', 'Abs', 'Neg', 'Round', 'Floor', 'Ceil', 'Resize', 'Upsample',
]);

function outputLayout(graph: Graph, node: Node, inLayout: string[] | undefined, rank: number | undefined): string[] | undefined {
  const op = node.opType;
  if (isQonnxOp(node, 'Im2Col') || isQonnxOp(node, 'MaxPoolNHWC')) return NHWC;
  if (isQonnxOp(node, 'MultiThreshold')) {
    if (rank === 4) return getString(node, 'data_layout', 'NCHW') === 'NHWC' ? NHWC : DEFAULT_BY_RANK[4];
    return rank !== undefined ? DEFAULT_BY_RANK[rank] : inLayout;
  }
  if (op === 'Transpose') {
    const p = permOf(node, inLayout?.length);
    return inLayout && p && p.length === inLayout.length ? permute(inLayout, p) : undefined;
  }
  if (op === 'MatMul' || op === 'XnorPopcountMatMul' || op === 'Gemm') return rank === 2 ? ['N', 'C'] : inLayout && rank === inLayout.length ? inLayout : undefined;
  if (op === 'Conv' || op === 'MaxPool' || op === 'AveragePool' || op === 'QuantAvgPool2d') return rank !== undefined ? DEFAULT_BY_RANK[rank] : undefined;
  if (op === 'Flatten' || op === 'Reshape' || op === 'GlobalAveragePool' || op === 'Squeeze' || op === 'Unsqueeze') {
    if (rank === 2) return ['N', 'C'];
    return op === 'GlobalAveragePool' ? inLayout : undefined;
  }
  if (SAME_LAYOUT.has(op)) return inLayout && (rank === undefined || rank === inLayout.length) ? inLayout : undefined;
  return undefined;
}

/**
 * Annotates tensor_layout (NCHW, NHWC, NC, …) on graph inputs (by rank) and on every node output whose layout
 * follows from its inputs: Transposes permute it, Im2Col/MaxPoolNHWC and NHWC MultiThresholds are NHWC.
 */
export default defineTransform({
  name: 'InferDataLayouts',
  stage: 'topology',
  description: 'Annotate tensor_layout on graph inputs and node outputs (NCHW/NHWC/NC)',
  apply(model) {
    const graph = model.graph;
    // Layouts matter to the hardware mapping of the quantized datapath; a float model stays untouched.
    if (quantizedDatapath(graph).size === 0) return false;
    let changed = false;
    const set = (t: string, layout: string[] | undefined): void => {
      if (!t || !layout) return;
      const cur = graph.getTensorLayout(t);
      if (cur && cur.join('') === layout.join('')) return;
      graph.setTensorLayout(t, layout);
      changed = true;
    };
    for (const name of graph.inputNames()) {
      const rank = graph.getShape(name)?.length;
      if (!graph.isInitializer(name) && rank !== undefined && !graph.getTensorLayout(name)) set(name, DEFAULT_BY_RANK[rank]);
    }
    for (const node of graph.nodeList()) {
      const out = node.outputs[0];
      if (!out) continue;
      const x = node.inputs[0] ?? '';
      const inLayout = x ? graph.getTensorLayout(x) : undefined;
      set(out, outputLayout(graph, node, inLayout, graph.getShape(out)?.length));
    }
    return changed;
  },
});
