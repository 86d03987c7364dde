import { defineTransform, int64ToNumber, normalizeNodeDomain, QONNX_GENERAL_DOMAIN } from '../../src/index.js';

/** QONNX ops that exporters sometimes leave in the default domain, where ONNX has no such op. */
const QONNX_OPS = new Set(['Quant', 'IntQuant', 'BipolarQuant', 'Trunc']);

/**
 * One domain name per operator set: `onnx.brevitas`, `finn.custom_op.general` and `finn` (general ops) become
 * `qonnx.custom_op.general` (as QONNX's cleanup does), `ai.onnx` becomes ''. opset_import then lists exactly
 * the domains in use, each keeping the highest version any of its old names imported.
 */
export default defineTransform({
  name: 'NormalizeDomains',
  stage: 'cleanup',
  description: 'Rewrite legacy custom-op domains to qonnx.custom_op.general and fix opset_import',
  apply(model, ctx) {
    const graph = model.graph;
    let renamed = 0;
    const used = new Set<string>();
    for (const node of graph.nodes()) {
      let d = normalizeNodeDomain(node);
      if (d === '' && QONNX_OPS.has(node.opType)) d = QONNX_GENERAL_DOMAIN;
      if (d !== node.domain) {
        if (d === '') delete node.proto.domain;
        else node.proto.domain = d;
        renamed++;
      }
      used.add(d);
    }
    if (renamed) graph.markModified();
    // Versions by normalized domain; subgraph nodes are not rewritten, so keep what they may need.
    const imports = model.proto.opset_import ?? [];
    const versions = new Map<string, number>();
    for (const o of imports) {
      const raw = o.domain ?? '';
      const d = raw === 'ai.onnx' ? '' : raw === 'finn' || raw === 'onnx.brevitas' || raw === 'finn.custom_op.general' ? QONNX_GENERAL_DOMAIN : raw;
      versions.set(d, Math.max(versions.get(d) ?? 0, int64ToNumber(o.version)));
    }
    const keep = new Set<string>(used);
    // Other imported domains stay (functions or subgraphs may use them); the legacy aliases go unless used.
    for (const d of versions.keys()) if (d !== QONNX_GENERAL_DOMAIN) keep.add(d);
    const next = [...keep].map((d) => ({ domain: d, version: versions.get(d) ?? 1 }));
    const before = imports.map((o) => `${o.domain ?? ''}@${int64ToNumber(o.version)}`).sort().join(',');
    const after = next.map((o) => `${o.domain}@${o.version}`).sort().join(',');
    if (before !== after) {
      model.proto.opset_import = next.map((o) => (o.domain === '' ? { domain: '', version: o.version } : o));
      ctx.log.debug({ opsetImport: after }, 'rewrote opset_import');
    }
    return renamed > 0 || before !== after;
  },
});
