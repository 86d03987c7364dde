import { defineTransform, parseDataType, tensorToNumbers, z } from '../../src/index.js';
import { finnWeightTypeFor, valueRange, weightTypeFor, writeAttribute } from '../../src/rewrite.js';

const options = z.object({
  /**
   * `finn` (FINN's MinimizeWeightBitWidth): the smallest type holding w_min, or −w_max − 1 when that is
   * further from zero, set whatever the current type (±1 weights outside XNOR mode become INT2). `narrow`:
   * the smallest such type, but a type is never widened (BIPOLAR weights stay 1 bit).
   */
  mode: z.enum(['finn', 'narrow']).default('finn'),
});

/**
 * FINN's MinimizeWeightBitWidth: a kernel node with a `weightDataType` attribute and constant weights
 * (input 1) gets the smallest integer type that holds its actual weights. Runtime-writeable weights keep
 * their type (they may change).
 */
export default defineTransform({
  name: 'MinimizeWeightBitWidth',
  stage: 'optimization',
  description: 'Set weightDataType of MVAU/VVAU-like kernels to the smallest type holding the actual weights',
  options,
  async apply(model, ctx) {
    const o = ctx.options as z.infer<typeof options>;
    const { nodes } = await ctx.hw.nodes(model, { skipUnknown: true });
    let changed = false;
    for (const kn of nodes) {
      const cur = kn.view.attrs.weightDataType;
      if (typeof cur !== 'string' || kn.view.attrs.runtime_writeable_weights === 1) continue;
      const w = kn.view.constantInput(1);
      if (!w) continue;
      const old = parseDataType(cur);
      if (!old.isInteger()) continue;
      const range = valueRange(tensorToNumbers(w));
      const next = o.mode === 'finn' ? finnWeightTypeFor(range) : weightTypeFor(range);
      if (next.name === old.name || (o.mode === 'narrow' && next.bitwidth() >= old.bitwidth())) continue;
      writeAttribute(kn.node, 'weightDataType', next.name);
      model.graph.setDatatypeName(kn.node.inputs[1]!, next.name);
      ctx.log.debug(`MinimizeWeightBitWidth: ${kn.name} weights ${old.name} → ${next.name}`);
      changed = true;
    }
    return changed;
  },
});
