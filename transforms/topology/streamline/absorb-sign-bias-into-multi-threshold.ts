import { defineTransform, getFloat, parseDataType, setFloat, setString, smallestDataType, z, type DataType } from '../../../src/index.js';
import { isScalar } from '../../../src/rewrite.js';
import { absorbFollower, dropIfUnused, isQonnxOp, matchConstBinary, soleConsumer } from '../../../src/rewrite.js';
import { thresholdsOf } from '../_lib/multithreshold.js';
import { quantizedNodes } from '../_lib/quantized-scope.js';

const options = z.object({
  /**
   * `finn`: FINN's type for the shifted output, INTn from the smallest type of the step count (UINTn → INTn),
   * which assumes a narrow-range quantizer: 2 steps from −1 give INT2 where the values need only TERNARY.
   * `exact`: the smallest type holding out_bias … out_bias + steps·out_scale.
   */
  output_type: z.enum(['finn', 'exact']).default('finn'),
});

/** FINN's rule; undefined when its type does not hold the range (FINN would fail its assertion there). */
export function finnSignBiasType(steps: number, lo: number, hi: number): DataType | undefined {
  const dt = parseDataType(smallestDataType(steps, steps).name.replace('UINT', 'INT'));
  return dt.allowed(lo) && dt.allowed(hi) ? dt : undefined;
}

/**
 * MultiThreshold(x) + b → MultiThreshold(x) with out_bias + b, for a scalar b (the bias a signed activation
 * export adds). The output datatype is recomputed (`output_type`).
 */
export default defineTransform({
  name: 'AbsorbSignBiasIntoMultiThreshold',
  stage: 'topology',
  description: 'Fold a scalar Add after a MultiThreshold into its out_bias and update its output datatype',
  options,
  apply(model, ctx) {
    const o = ctx.options as z.infer<typeof options>;
    const graph = model.graph;
    let changed = false;
    for (const mt of quantizedNodes(graph)) {
      if (!isQonnxOp(mt, 'MultiThreshold') || !mt.graph) continue;
      const out = mt.outputs[0]!;
      const add = soleConsumer(graph, out);
      const m = add && matchConstBinary(graph, add, 'Add');
      const t = thresholdsOf(graph, mt);
      if (!m || !t || !isScalar(m.c) || graph.isGraphOutput(out)) continue;
      const scale = getFloat(mt, 'out_scale', 1);
      const bias = getFloat(mt, 'out_bias', 0) + m.c.data[0]!;
      const hi = bias + t.steps * scale;
      if (!Number.isInteger(scale) || !Number.isInteger(bias)) continue;
      const lo = Math.min(bias, hi);
      const top = Math.max(bias, hi);
      const exact = smallestDataType(lo, top);
      const dt = o.output_type === 'finn' ? finnSignBiasType(t.steps, lo, top) ?? exact : exact;
      // The Add disappears: the MultiThreshold takes over its output tensor.
      absorbFollower(graph, mt, add);
      dropIfUnused(graph, m.cName);
      setFloat(mt, 'out_bias', bias);
      setString(mt, 'out_dtype', dt.name);
      graph.setDatatypeName(mt.outputs[0]!, dt.name);
      changed = true;
    }
    return changed;
  },
});
