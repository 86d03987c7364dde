// The acceptance criterion for streamlined models: between the first MultiThreshold and the last MatMul
// there is no floating-point Mul/Add/Sub/Div/BatchNormalization, and every MatMul has integer weights.
import { tensorFromProto, tensorToNumbers, type Model } from '../../../src/index.js';

const FLOAT_OPS = new Set(['Mul', 'Add', 'Sub', 'Div', 'BatchNormalization']);

/** One line per violation (empty when the model is in streamlined form). */
export function streamlinedFormViolations(model: Model): string[] {
  const graph = model.graph;
  const nodes = graph.nodeList();
  const first = nodes.findIndex((n) => n.opType === 'MultiThreshold');
  let last = -1;
  nodes.forEach((n, i) => {
    if (n.opType === 'MatMul' || n.opType === 'XnorPopcountMatMul') last = i;
  });
  const out: string[] = [];
  if (first < 0) out.push('no MultiThreshold');
  if (last < 0) out.push('no MatMul');
  for (let i = Math.max(first, 0); i < last; i++) {
    const n = nodes[i]!;
    if (FLOAT_OPS.has(n.opType)) out.push(`float ${n.opType} '${n.name}' inside the integer datapath`);
  }
  for (const n of nodes) {
    if (n.opType !== 'MatMul' && n.opType !== 'XnorPopcountMatMul') continue;
    const w = graph.getInitializer(n.inputs[1] ?? '');
    if (!w) continue;
    if (!tensorToNumbers(tensorFromProto(w)).every((v) => Number.isInteger(v))) out.push(`MatMul '${n.name}' has non-integer weights`);
  }
  return out;
}
