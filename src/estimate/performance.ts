/**
 * Network performance from per-node cycles (FINN's dataflow_performance): in graph order, a node's latency
 * is its cycles plus the largest latency of the nodes feeding it; the critical path is the largest
 * latency. FINN calls this very pessimistic: it assumes no overlap between layers.
 */
export interface PerfNode {
  name: string;
  cycles: number;
  /** Names of the estimated nodes that feed this one. */
  predecessors: readonly string[];
}

export interface NetworkPerformance {
  critical_path_cycles: number;
  max_cycles: number;
  max_cycles_node_name: string;
  estimated_throughput_fps: number;
  estimated_latency_ns: number;
}

export function networkPerformance(nodes: readonly PerfNode[], clockNs: number): NetworkPerformance {
  const latency = new Map<string, number>();
  let critical = 0;
  let maxCycles = 0;
  let maxName = '';
  for (const n of nodes) {
    const before = Math.max(0, ...n.predecessors.map((p) => latency.get(p) ?? 0));
    const out = n.cycles + before;
    latency.set(n.name, out);
    critical = Math.max(critical, out);
    if (n.cycles > maxCycles || maxName === '') {
      maxCycles = n.cycles;
      maxName = n.name;
    }
  }
  return {
    critical_path_cycles: critical,
    max_cycles: maxCycles,
    max_cycles_node_name: maxName,
    estimated_throughput_fps: maxCycles > 0 ? 1e9 / clockNs / maxCycles : 0,
    estimated_latency_ns: critical * clockNs,
  };
}

/** FINN's "total" entry: sums every key except efficiencies. */
export function totalOf(rows: Iterable<Record<string, number>>): Record<string, number> {
  const total: Record<string, number> = {};
  for (const r of rows) {
    for (const [k, v] of Object.entries(r)) {
      if (k.endsWith('efficiency')) continue;
      total[k] = (total[k] ?? 0) + v;
    }
  }
  return total;
}
