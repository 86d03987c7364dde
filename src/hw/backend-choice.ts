/**
 * The one rule that picks a node's backend, used by SpecializeLayers and by estimates of nodes that are not
 * specialized yet, so that both give the same answer. A pure function of what each backend says.
 */
import type { BackendLanguage } from '../plugins/schemas.js';
import type { BackendChoice, BackendPreferences } from './types.js';

/** FINN's order when nobody states a preference: rtl first, hls otherwise (SpecializeLayers). */
export const FINN_BACKEND_ORDER: readonly BackendLanguage[] = ['rtl', 'hls'];

/** What one backend language offers for a node. */
export interface BackendCandidate {
  /** Why it cannot be used (no plugin, not viable); undefined when it can. */
  unusable?: string;
  /** FINN's SpecializeLayers would pick it without a preference (the backend's `isDefault`). */
  isDefault: boolean;
}

/**
 * The preference that applies to a node: a preference for its name, then its own `preferred_impl_style`,
 * then one for its kernel, then the preference for every kernel.
 */
export function preferenceFor(
  prefs: BackendPreferences | undefined,
  nodeName: string,
  kernel: string,
  attribute: unknown,
): BackendLanguage | undefined {
  const attr = attribute === 'hls' || attribute === 'rtl' ? attribute : undefined;
  return prefs?.byName?.[nodeName] ?? attr ?? prefs?.byName?.[kernel] ?? prefs?.all;
}

/**
 * A stated preference wins when that backend can be used, else the other one with a warning. Without one,
 * FINN's order: the first usable backend that FINN would pick, then the first usable one. When none can be
 * used, the first that exists (an estimate still wants its figures) or none, with the reasons.
 */
export function chooseLanguage(candidates: Readonly<Record<BackendLanguage, BackendCandidate>>, preference?: BackendLanguage): BackendChoice & { usable: boolean } {
  const order = preference ? [preference, ...FINN_BACKEND_ORDER.filter((l) => l !== preference)] : FINN_BACKEND_ORDER;
  const usable = order.filter((l) => candidates[l].unusable === undefined);
  const reasons = order.map((l) => candidates[l].unusable).filter((r): r is string => r !== undefined);
  if (preference) {
    if (usable[0] === preference) return { language: preference, warnings: [], usable: true };
    if (usable.length) return { language: usable[0], warnings: [`preferred ${preference} backend not used (${candidates[preference].unusable}); using ${usable[0]}`], usable: true };
  } else {
    const pick = usable.find((l) => candidates[l].isDefault) ?? usable[0];
    if (pick) return { language: pick, warnings: [], usable: true };
  }
  const exists = order.find((l) => !/^no \S+ backend plugin/.test(candidates[l].unusable ?? ''));
  return { language: exists, warnings: reasons, usable: false };
}
