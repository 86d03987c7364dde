/**
 * FINN writes its estimate reports (step_generate_estimate_reports) before step_set_fifo_depths inserts the
 * width converters and FIFOs, so its four report files never list them. Kernels tagged
 * `stream-infrastructure` are those nodes: their costs go to a report of their own, and FINN's files hold
 * the other nodes only.
 */
import { totalOf } from './performance.js';
import type { ModelEstimate } from './estimate.js';

export const STREAM_INFRASTRUCTURE_TAG = 'stream-infrastructure';
export const STREAM_INFRASTRUCTURE_REPORT = 'estimate_stream_infrastructure.json';

export interface SplitEstimate {
  /** FINN's view: the model estimate without the stream-infrastructure nodes. */
  finn: ModelEstimate;
  /** Per stream-infrastructure node its resources, plus `total` (absent when there is none). */
  streams?: Record<string, Record<string, number>>;
}

function pick<T>(rec: Record<string, T>, keep: (name: string) => boolean): Record<string, T> {
  return Object.fromEntries(Object.entries(rec).filter(([k]) => k !== 'total' && keep(k)));
}

/**
 * Splits `est` by node name. The network figures stay as they are: these nodes have no cycles in FINN's
 * model (0), so neither the slowest node nor the critical path changes without them.
 */
export function splitStreamInfrastructure(est: ModelEstimate, isStream: (kernel: string) => boolean): SplitEstimate {
  const streamNames = new Set(est.nodes.filter((n) => isStream(n.kernel)).map((n) => n.name));
  if (streamNames.size === 0) return { finn: est };
  const keep = (name: string): boolean => !streamNames.has(name);
  const resources = pick(est.resources, keep);
  const counts = pick(est.opAndParamCounts, keep);
  const streams = pick(est.resources, (k) => streamNames.has(k));
  const countsTotal = totalOf(Object.values(counts));
  return {
    finn: {
      ...est,
      nodes: est.nodes.filter((n) => keep(n.name)),
      cycles: pick(est.cycles, keep),
      resources: { ...resources, total: totalOf(Object.values(resources)) },
      opAndParamCounts: 'total' in est.opAndParamCounts ? { ...counts, total: countsTotal } : counts,
    },
    streams: { ...streams, total: totalOf(Object.values(streams)) },
  };
}
