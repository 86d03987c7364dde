import { defineTransform, getString, smallestDataType, z, type DataType, type Graph, type Node } from '../../../src/index.js';
import { hwNodeKind } from '../../../src/kernel.js';
import { writeAttribute } from '../../../src/rewrite.js';
import { addConst, constOf } from '../../../src/rewrite.js';
import { integerDatatype, isQonnxOp } from '../../../src/rewrite.js';
import { quantizedNodes } from '../_lib/quantized-scope.js';

const options = z.object({
  /**
   * The datatype a Thresholding kernel's thresholds get. `input_plus_one` (FINN, the last transform of
   * step_minimize_bit_width): the smallest type holding the clip value max + 1 (UINT9 for a UINT8 input;
   * −(max + 1) − 1 for a signed input), whatever the values. `values`: the smallest type holding the input
   * range and the actual thresholds (UINT8 when no threshold reaches 256), as wide as the compare needs.
   */
  kernel_threshold_type: z.enum(['input_plus_one', 'values']).default('input_plus_one'),
});

/** FINN's type for thresholds clipped to [min, max + 1] of the input type `idt`. */
export function clippedThresholdType(idt: DataType): DataType {
  const top = idt.max() + 1;
  return idt.signed() ? smallestDataType(-top - 1, top) : smallestDataType(0, top);
}

function valuesType(idt: DataType, data: ArrayLike<number>): DataType {
  let lo = idt.min();
  let hi = idt.max();
  for (let i = 0; i < data.length; i++) {
    lo = Math.min(lo, data[i]!);
    hi = Math.max(hi, data[i]!);
  }
  return smallestDataType(lo, hi);
}

const isThresholdingKernel = (n: Node): boolean => hwNodeKind(n)?.kernel === 'Thresholding';

/** Rounds and clips one node's thresholds (input 1); returns the values now in place, or undefined. */
function roundAndClip(graph: Graph, node: Node, idt: DataType): { data: Float64Array; changed: boolean } | undefined {
  const t = constOf(graph, node.inputs[1] ?? '');
  if (!t) return undefined;
  const lo = idt.min();
  const hi = idt.max() + 1;
  const data = t.data.map((v) => Math.min(hi, Math.max(lo, Math.ceil(v))));
  if (data.every((v, i) => v === t.data[i])) return { data, changed: false };
  const old = node.inputs[1]!;
  const name = addConst(graph, `${node.name || node.opType}_thresholds`, { dims: t.dims, data });
  graph.setInput(node, 1, name);
  if (!graph.hasConsumers(old)) graph.removeInitializer(old);
  return { data, changed: true };
}

/**
 * For an integer input x, x ≥ t ⟺ x ≥ ⌈t⌉, and thresholds below the datatype's minimum (above its maximum)
 * always (never) fire: thresholds become integers clipped to [min, max + 1] of the input datatype. On a
 * Thresholding kernel (FINN runs this at the end of step_minimize_bit_width) the threshold tensor and the
 * kernel's weightDataType also get the threshold type (`kernel_threshold_type`), which sizes the
 * Thresholding_rtl memories.
 */
export default defineTransform({
  name: 'RoundAndClipThresholds',
  stage: 'topology',
  description: 'Round MultiThreshold/Thresholding thresholds up to integers, clip them to the integer input range, type the kernels\' thresholds',
  options,
  apply(model, ctx) {
    const o = ctx.options as z.infer<typeof options>;
    const graph = model.graph;
    let changed = false;
    for (const mt of quantizedNodes(graph)) {
      if (!isQonnxOp(mt, 'MultiThreshold')) continue;
      const dt = integerDatatype(graph, mt.inputs[0]!);
      if (dt && roundAndClip(graph, mt, dt)?.changed) changed = true;
    }
    for (const th of graph.nodeList()) {
      if (!isThresholdingKernel(th)) continue;
      const dt = integerDatatype(graph, th.inputs[0]!);
      const r = dt && roundAndClip(graph, th, dt);
      if (!dt || !r) continue;
      if (r.changed) changed = true;
      const tdt = o.kernel_threshold_type === 'values' ? valuesType(dt, r.data) : clippedThresholdType(dt);
      if (graph.getDatatypeName(th.inputs[1]!) !== tdt.name) {
        graph.setDatatypeName(th.inputs[1]!, tdt.name);
        changed = true;
      }
      if (getString(th, 'weightDataType', '') !== tdt.name) {
        writeAttribute(th, 'weightDataType', tdt.name);
        changed = true;
      }
    }
    return changed;
  },
});

