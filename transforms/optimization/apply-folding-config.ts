import { defineTransform, z } from '../../src/index.js';
import { applyFoldingConfig, readFoldingConfig } from '../../src/rewrite.js';

const options = z.object({
  /** A FINN folding config: `Defaults` plus per-node attributes keyed by node name. */
  path: z.string().optional(),
});

/**
 * FINN's step_apply_folding_config (ApplyConfig). When a config is given it wins over SetFolding: the
 * blueprint passes the same file to SetFolding's `folding_config`, which then does nothing.
 */
export default defineTransform({
  name: 'ApplyFoldingConfig',
  stage: 'optimization',
  description: 'Apply a FINN folding config (Defaults plus per-node PE/SIMD/… by node name); overrides SetFolding',
  options,
  async apply(model, ctx) {
    const file = (ctx.options as z.infer<typeof options>).path;
    if (!file) return false;
    const config = readFoldingConfig(file);
    const r = await applyFoldingConfig(model, config, ctx.hw);
    if (r.crossBackend.length) {
      const pairs = r.crossBackend.map((c) => `${c.entry} → ${c.node}`).join(', ');
      ctx.log.info(`folding config ${file}: ${r.crossBackend.length} entries of the other backend configure their namesakes (${pairs})`);
    }
    for (const name of r.unmatched) ctx.log.warn(`folding config ${file}: entry '${name}' matches no node of the model`);
    if (r.unconfigured.length) ctx.log.debug(`folding config ${file} has no entry for: ${r.unconfigured.join(', ')}`);
    ctx.log.info(`folding config ${file}: applied to ${r.applied.length} node${r.applied.length === 1 ? '' : 's'}`);
    return r.changed;
  },
});
