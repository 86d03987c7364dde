import { defineTransform, BrainsmithError, FINN_HW_DOMAIN, normalizeNodeDomain, removeAttribute, z } from '../../src/index.js';
import { resolveTarget } from '../../src/kernel.js';

const lang = z.enum(['hls', 'rtl']);
const options = z.strictObject({
  /** Preferred backend per kernel type (`MVAU`) or per node name (a node name wins). */
  preferences: z.record(z.string(), lang).default({}),
  /** Preferred backend for every kernel (`--prefer`); per-kernel and per-node preferences refine it. */
  prefer: lang.optional(),
  /** Target for viability (DSP family etc.): a board (`Pynq-Z2`) or a Vivado part. */
  board: z.string().optional(),
  part: z.string().optional(),
});

/**
 * Each kernel node becomes `<Kernel>_hls` or `<Kernel>_rtl` (domain finn.custom_op.fpgadataflow.hls/.rtl)
 * by the binding layer's one backend rule (src/hw/backend-choice.ts): a stated preference when that backend
 * is viable (else the other, with a warning), otherwise FINN's default choice. preferred_impl_style is
 * dropped. Run GiveUniqueNodeNames afterwards for FINN's names (MVAU_hls_0, …).
 */
export default defineTransform({
  name: 'SpecializeLayers',
  stage: 'kernel_mapping',
  description: 'Kernel nodes → <Kernel>_hls / <Kernel>_rtl by preference and viability',
  options,
  async apply(model, ctx) {
    const graph = model.graph;
    const target = ctx.options.board || ctx.options.part ? resolveTarget({ board: ctx.options.board, part: ctx.options.part }) : undefined;
    const preferences = { byName: ctx.options.preferences, all: ctx.options.prefer || undefined };
    let changed = false;
    for (const node of graph.nodeList()) {
      if (normalizeNodeDomain(node) !== FINN_HW_DOMAIN) continue;
      const kernel = node.opType;
      const choice = await ctx.hw.chooseBackend(model, node, { target, preferences });
      if (!choice.language) throw new BrainsmithError('E_NO_BACKEND', `node '${node.name}' (${kernel}): ${choice.warnings.join('; ')}`, { kind: 'input' });
      for (const w of choice.warnings) ctx.log.warn(`node '${node.name}' (${kernel}): ${w}`);
      node.proto.op_type = `${kernel}_${choice.language}`;
      node.proto.domain = `${FINN_HW_DOMAIN}.${choice.language}`;
      removeAttribute(node, 'preferred_impl_style');
      graph.attributesChanged(node);
      changed = true;
    }
    return changed;
  },
});
