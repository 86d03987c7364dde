/**
 * FINN-compatible report files (same names and keys as FINN's step_generate_estimate_reports) and the
 * terminal summary table.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { describeFsError } from '../util/fs-errors.js';
import path from 'node:path';
import type { ModelEstimate } from './estimate.js';

export const REPORT_FILES = {
  cycles: 'estimate_layer_cycles.json',
  resources: 'estimate_layer_resources.json',
  performance: 'estimate_network_performance.json',
  counts: 'op_and_param_counts.json',
} as const;

/** Writes `<outDir>/report/*.json`; each file appears whole or not at all (temp file, then rename). */
export function writeEstimateReports(outDir: string, est: ModelEstimate): string[] {
  const contents: Array<[string, unknown]> = [
    [REPORT_FILES.cycles, est.cycles],
    [REPORT_FILES.resources, est.resources],
    [REPORT_FILES.performance, est.performance],
    [REPORT_FILES.counts, est.opAndParamCounts],
  ];
  return contents.map(([name, value]) => writeReportFile(outDir, name, value));
}

/** Writes `<outDir>/report/<name>` as JSON, whole or not at all (temp file, then rename); returns its path. */
export function writeReportFile(outDir: string, name: string, value: unknown): string {
  const dir = path.join(outDir, 'report');
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw describeFsError(e, outDir, 'cannot write the reports there');
  }
  const file = path.join(dir, name);
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n');
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw describeFsError(e, file, 'cannot write the report');
  }
  return file;
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(n < 10 ? 3 : 1);
}

/**
 * A fixed-width table: per node kernel, backend, parallelism, cycles, LUT, BRAM, DSP; then the network
 * figures. `extraTotals` are further labelled total rows after FINN's `total`.
 */
export function formatEstimateSummary(est: ModelEstimate, extraTotals: ReadonlyArray<[string, Record<string, number>]> = []): string {
  const header = ['node', 'kernel', 'backend', 'PE', 'SIMD', 'cycles', 'LUT', 'BRAM_18K', 'URAM', 'DSP'];
  const rows = est.nodes.map((n) => {
    const other = Object.entries(n.parallelism).filter(([k]) => k !== 'PE' && k !== 'SIMD');
    const simd = n.parallelism.SIMD ?? (other.length ? other.map(([k, v]) => `${k}=${v}`).join(',') : undefined);
    return [
      n.name, n.kernel, n.backend ?? '-',
      n.parallelism.PE === undefined ? '-' : String(n.parallelism.PE),
      simd === undefined ? '-' : String(simd),
      String(n.cycles), fmt(n.resources.LUT ?? 0), fmt(n.resources.BRAM_18K ?? 0), fmt(n.resources.URAM ?? 0), fmt(n.resources.DSP ?? 0),
    ];
  });
  const t = est.resources.total ?? {};
  const totalRow = (label: string, r: Record<string, number>) => [label, '', '', '', '', '', fmt(r.LUT ?? 0), fmt(r.BRAM_18K ?? 0), fmt(r.URAM ?? 0), fmt(r.DSP ?? 0)];
  const totals = [totalRow('total', t), ...extraTotals.map(([label, r]) => totalRow(label, r))];
  rows.push(...totals);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  const p = est.performance;
  const out = [
    `target ${est.target.board ? `${est.target.board} (${est.target.part})` : est.target.part}, ${est.target.dspFamily}, clock ${est.clockNs} ns`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.slice(0, -totals.length).map(line),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.slice(-totals.length).map(line),
    '',
    `bottleneck   ${p.max_cycles_node_name} (${p.max_cycles} cycles)`,
    `throughput   ${fmt(p.estimated_throughput_fps)} fps`,
    `latency      ${fmt(p.estimated_latency_ns)} ns (critical path ${p.critical_path_cycles} cycles)`,
  ];
  if (est.hostNodes.length) out.push(`host nodes   ${est.hostNodes.length} outside the dataflow: ${est.hostNodes.join(', ')}`);
  for (const n of est.nodes) for (const w of n.warnings) out.push(`warning      ${n.name}: ${w}`);
  return out.join('\n');
}
