/**
 * Which nodes are hardware nodes, and which kernel and backend language each names: `MVAU_hls` in
 * `finn.custom_op.fpgadataflow.hls` is kernel MVAU with backend language hls; `MVAU` in
 * `finn.custom_op.fpgadataflow` is the kernel not yet specialized.
 */
import { FINN_HW_DOMAIN, normalizeNodeDomain } from '../ir/domains.js';
import type { Node } from '../ir/node.js';
import type { BackendLanguage } from '../plugins/schemas.js';

export interface HwNodeKind {
  kernel: string;
  /** Undefined for a node that is not specialized yet. */
  language?: BackendLanguage;
}

export function hwNodeKind(node: Node): HwNodeKind | undefined {
  const d = normalizeNodeDomain(node);
  if (d === FINN_HW_DOMAIN) return { kernel: node.opType };
  for (const lang of ['hls', 'rtl'] as const) {
    if (d !== `${FINN_HW_DOMAIN}.${lang}`) continue;
    const suffix = `_${lang}`;
    const kernel = node.opType.endsWith(suffix) ? node.opType.slice(0, -suffix.length) : node.opType;
    return { kernel, language: lang };
  }
  return undefined;
}

/** Report names: the node's own name, else `<OpType>_<n>` counted per op type in graph order (FINN's scheme). */
export function reportNames(nodes: readonly Node[]): Map<Node, string> {
  const counters = new Map<string, number>();
  const taken = new Set(nodes.map((n) => n.name).filter((n) => n !== ''));
  const out = new Map<Node, string>();
  for (const n of nodes) {
    if (n.name) {
      out.set(n, n.name);
      continue;
    }
    let i = counters.get(n.opType) ?? 0;
    let name = `${n.opType}_${i}`;
    while (taken.has(name)) name = `${n.opType}_${++i}`;
    counters.set(n.opType, i + 1);
    taken.add(name);
    out.set(n, name);
  }
  return out;
}
