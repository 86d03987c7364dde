import { defineTransform, parseDataType, tensorToNumbers } from '../../src/index.js';
import { valueRange, weightTypeFor, writeAttribute } from '../../src/rewrite.js';

/**
 * FINN's MinimizeWeightBitWidth: a kernel node with a `weightDataType` attribute and constant weights
 * (input 1) gets the smallest integer type that holds its actual weights. Runtime-writeable weights keep
 * their type (they may change), and a type is never widened (BIPOLAR stays).
 */
export default defineTransform({
  name: 'MinimizeWeightBitWidth',
  stage: 'optimization',
  description: 'Set weightDataType of MVAU/VVAU-like kernels to the smallest type holding the actual weights',
  async apply(model, ctx) {
    const { nodes } = await ctx.hw.nodes(model, { skipUnknown: true });
    let changed = false;
    for (const kn of nodes) {
      const cur = kn.view.attrs.weightDataType;
      if (typeof cur !== 'string' || kn.view.attrs.runtime_writeable_weights === 1) continue;
      const w = kn.view.constantInput(1);
      if (!w) continue;
      const old = parseDataType(cur);
      if (!old.isInteger()) continue;
      const next = weightTypeFor(valueRange(tensorToNumbers(w)));
      if (next.bitwidth() >= old.bitwidth() || next.name === old.name) continue;
      writeAttribute(kn.node, 'weightDataType', next.name);
      model.graph.setDatatypeName(kn.node.inputs[1]!, next.name);
      ctx.log.debug(`MinimizeWeightBitWidth: ${kn.name} weights ${old.name} → ${next.name}`);
      changed = true;
    }
    return changed;
  },
});
