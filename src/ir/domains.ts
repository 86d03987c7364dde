import { getString, hasAttribute, type AttributeTarget } from './attributes.js';
import { Node } from './node.js';

/** Operator domains (finn-qonnx reference §5). */
export const ONNX_DOMAIN = '';
export const QONNX_GENERAL_DOMAIN = 'qonnx.custom_op.general';
export const FINN_HW_DOMAIN = 'finn.custom_op.fpgadataflow';
export const FINN_HLS_DOMAIN = 'finn.custom_op.fpgadataflow.hls';
export const FINN_RTL_DOMAIN = 'finn.custom_op.fpgadataflow.rtl';

/** Older names of the QONNX general ops: the same operators under another domain. */
const QONNX_GENERAL_ALIASES: ReadonlySet<string> = new Set(['onnx.brevitas', 'finn.custom_op.general', 'finn']);

export type DomainKind = 'onnx' | 'qonnx' | 'finn-hw' | 'custom';

/** The default ONNX operator set, under either of its names. */
export function isStandardDomain(domain: string | undefined): boolean {
  return !domain || domain === 'ai.onnx';
}

export interface NormalizeOptions {
  /**
   * The legacy bare domain `finn` held hardware ops too; those carry the attribute backend="fpgadataflow".
   * Set this for such a node (normalizeNodeDomain does it by itself).
   */
  fpgadataflowBackend?: boolean;
}

/**
 * One name per operator set: 'ai.onnx' → '', `onnx.brevitas` / `finn.custom_op.general` / `finn` →
 * `qonnx.custom_op.general` (or `finn` → `finn.custom_op.fpgadataflow` for hardware ops). Others unchanged.
 */
export function normalizeDomain(domain: string | undefined, opts: NormalizeOptions = {}): string {
  if (isStandardDomain(domain)) return ONNX_DOMAIN;
  if (domain === 'finn' && opts.fpgadataflowBackend) return FINN_HW_DOMAIN;
  if (QONNX_GENERAL_ALIASES.has(domain!)) return QONNX_GENERAL_DOMAIN;
  return domain!;
}

/** A node's domain, normalized; looks at its `backend` attribute for the bare legacy `finn` domain. */
export function normalizeNodeDomain(node: AttributeTarget): string {
  const proto = node instanceof Node ? node.proto : node;
  const domain = proto.domain ?? '';
  const hw = domain === 'finn' && hasAttribute(node, 'backend') && getString(node, 'backend') === 'fpgadataflow';
  return normalizeDomain(domain, { fpgadataflowBackend: hw });
}

function isFinnHwDomain(normalized: string): boolean {
  return normalized === FINN_HW_DOMAIN || normalized.startsWith(`${FINN_HW_DOMAIN}.`);
}

/** Which family of operators a domain belongs to. `ai.onnx.*` (e.g. ai.onnx.ml) counts as ONNX. */
export function classifyDomain(domain: string | undefined, opts: NormalizeOptions = {}): DomainKind {
  const d = normalizeDomain(domain, opts);
  if (d === ONNX_DOMAIN || d.startsWith('ai.onnx.')) return 'onnx';
  if (d === 'qonnx.custom_op' || d.startsWith('qonnx.custom_op.')) return 'qonnx';
  if (isFinnHwDomain(d)) return 'finn-hw';
  return 'custom';
}

/** classifyDomain for a node, with the `finn` + backend rule applied. */
export function classifyNodeDomain(node: AttributeTarget): DomainKind {
  return classifyDomain(normalizeNodeDomain(node));
}
