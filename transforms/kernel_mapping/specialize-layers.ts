import { defineTransform, BrainsmithError, FINN_HW_DOMAIN, normalizeNodeDomain, removeAttribute, type Node } from '../../src/index.js';
import { datatype, resolveTarget } from '../../src/estimate/index.js';
import { KERNEL_CATALOG_SERVICE, type KernelCatalog } from '../../src/exec/kernel-resolver.js';
import type { BackendLanguage } from '../../src/index.js';
import type { FpgaTarget } from '../../src/estimate/index.js';
import { z } from 'zod';

const lang = z.enum(['hls', 'rtl']);
const options = z.strictObject({
  /** Preferred backend per kernel type (`MVAU`) or per node name (a node name wins). */
  preferences: z.record(z.string(), lang).default({}),
  /** Preferred backend for every kernel (`--prefer`); per-kernel and per-node preferences refine it. */
  prefer: lang.optional(),
  /** Target for viability (DSP family etc.): a board (`Pynq-Z2`) or a Vivado part. */
  board: z.string().optional(),
  part: z.string().optional(),
  /**
   * FINN's default rule: without a preference these kernels go rtl only when input and weight datatypes are
   * both at least this wide (narrower ones stay on the LUT-based hls variant).
   */
  minRtlBits: z.record(z.string(), z.number().int().min(1)).default({ MVAU: 4, VVAU: 4 }),
});

const other = (l: BackendLanguage): BackendLanguage => (l === 'hls' ? 'rtl' : 'hls');

/**
 * Each kernel node becomes `<Kernel>_hls` or `<Kernel>_rtl` (domain finn.custom_op.fpgadataflow.hls/.rtl):
 * the preferred backend when it exists and is viable for the node, else the other one with a warning naming
 * the reason; without a preference rtl when viable, else hls (FINN's SpecializeLayers). preferred_impl_style
 * is dropped. Run GiveUniqueNodeNames afterwards for FINN's names (MVAU_hls_0, …).
 */
export default defineTransform({
  name: 'SpecializeLayers',
  stage: 'kernel_mapping',
  description: 'Kernel nodes → <Kernel>_hls / <Kernel>_rtl by preference and viability',
  options,
  async apply(model, ctx) {
    const graph = model.graph;
    if (!ctx.services.has(KERNEL_CATALOG_SERVICE)) {
      throw new BrainsmithError('E_NO_KERNEL_CATALOG', `SpecializeLayers needs the '${KERNEL_CATALOG_SERVICE}' service (registerKernelCatalog(registry) from src/exec/kernel-resolver.ts)`, { kind: 'work' });
    }
    const catalog = ctx.services.get<KernelCatalog>(KERNEL_CATALOG_SERVICE);
    const target: FpgaTarget | undefined = ctx.options.board || ctx.options.part ? resolveTarget({ board: ctx.options.board, part: ctx.options.part }) : undefined;
    let changed = false;
    for (const node of graph.nodeList()) {
      if (normalizeNodeDomain(node) !== FINN_HW_DOMAIN) continue;
      const kernel = node.opType;
      const k = await catalog.kernel(kernel);
      if (!k) throw new BrainsmithError('E_UNKNOWN_KERNEL', `node '${node.name}' (${kernel}): no kernel plugin declares '${kernel}'`, { kind: 'input' });
      const view = catalog.nodeView(model, node, k, target);
      /** Why `l` cannot implement this node, or undefined when it can. */
      const why = async (l: BackendLanguage): Promise<string | undefined> => {
        const b = await catalog.backend(kernel, l);
        if (!b) return `no ${l} backend plugin for ${kernel}`;
        if (b.impl.isViable && !b.impl.isViable.call(b.impl, view, b.ctx)) return `${b.entry.qualifiedName} is not viable for this node${target ? ` on ${target.part}` : ''}`;
        return undefined;
      };
      /** Why `l` is not FINN's choice for this node when nobody states a preference (backend isDefault false). */
      const notDefault = async (l: BackendLanguage): Promise<string | undefined> => {
        const b = await catalog.backend(kernel, l);
        return b?.impl.isDefault && !b.impl.isDefault.call(b.impl, view, b.ctx) ? `${b.entry.qualifiedName} is not FINN's default for this node` : undefined;
      };
      const attrPref = view.attrs.preferred_impl_style;
      const pref = ctx.options.preferences[node.name] ?? ctx.options.preferences[kernel] ?? (attrPref === 'hls' || attrPref === 'rtl' ? attrPref : undefined) ?? ctx.options.prefer;
      let chosen: BackendLanguage | undefined;
      if (pref) {
        const no = await why(pref);
        if (!no) chosen = pref;
        else {
          const alt = await why(other(pref));
          if (alt) throw new BrainsmithError('E_NO_BACKEND', `node '${node.name}' (${kernel}): ${no}; ${alt}`, { kind: 'input' });
          chosen = other(pref);
          ctx.log.warn(`node '${node.name}' (${kernel}): preferred ${pref} backend not used (${no}); using ${chosen}`);
        }
      } else {
        const rtlNo = (await why('rtl')) ?? (await notDefault('rtl')) ?? narrowForRtl(node, view.attrs, ctx.options.minRtlBits[kernel]);
        if (!rtlNo) chosen = 'rtl';
        else {
          const hlsNo = await why('hls');
          if (hlsNo) throw new BrainsmithError('E_NO_BACKEND', `node '${node.name}' (${kernel}): ${rtlNo}; ${hlsNo}`, { kind: 'input' });
          chosen = 'hls';
        }
      }
      node.proto.op_type = `${kernel}_${chosen}`;
      node.proto.domain = `${FINN_HW_DOMAIN}.${chosen}`;
      removeAttribute(node, 'preferred_impl_style');
      graph.attributesChanged(node);
      changed = true;
    }
    return changed;
  },
});

/** FINN's width rule for the default choice: a reason when input or weight datatypes are narrower than `min`. */
function narrowForRtl(node: Node, attrs: Readonly<Record<string, unknown>>, min: number | undefined): string | undefined {
  if (min === undefined) return undefined;
  for (const key of ['inputDataType', 'weightDataType']) {
    const name = attrs[key];
    if (typeof name === 'string' && datatype(name).bitwidth() < min) return `${key} ${name} of '${node.name}' is narrower than ${min} bits`;
  }
  return undefined;
}
