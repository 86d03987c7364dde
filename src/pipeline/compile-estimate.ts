/**
 * The compile's last step: FINN's step_generate_estimate_reports on the final model (report/*.json under
 * FINN's names) and the summary the terminal table is made from. The host nodes are the dataflow
 * partition's (model metadata `brainsmith.host_nodes`, written by the kernel-mapping stage) when present.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { estimateModel, type ModelEstimate, type NodeEstimate } from '../estimate/estimate.js';
import { hwNodeKind } from '../hw/hw-nodes.js';
import type { NetworkPerformance } from '../estimate/performance.js';
import { formatEstimateSummary, writeEstimateReports, writeReportFile } from '../estimate/reports.js';
import { STREAM_INFRASTRUCTURE_REPORT, STREAM_INFRASTRUCTURE_TAG, splitStreamInfrastructure } from '../estimate/stream-infrastructure.js';
import type { Model } from '../ir/model.js';
import type { Registry } from '../plugins/registry.js';
import type { FpgaTarget } from '../plugins/types.js';
import type { CompileTarget } from './compile-target.js';

/** Metadata key under which the dataflow partition lists the nodes left on the host. */
export const HOST_NODES_METADATA = 'brainsmith.host_nodes';

export interface HostNodeInfo {
  name: string;
  opType: string;
  reason?: string;
}

export interface BuildEstimate {
  target: FpgaTarget;
  clockNs: number;
  /** Per hardware node: kernel, backend, parallelism (PE, SIMD, …), cycles, resources, warnings. */
  nodes: Omit<NodeEstimate, 'opAndParamCounts'>[];
  /** FINN's total (estimate_layer_resources.json): every node but the stream infrastructure. */
  total: Record<string, number>;
  /** Width converters and FIFOs (inserted after FINN's estimates): their nodes and total, when there are any. */
  streamInfrastructure?: { nodes: string[]; total: Record<string, number> };
  /** Both together: what the whole dataflow costs. */
  totalWithStreams: Record<string, number>;
  performance: NetworkPerformance;
  hostNodes: HostNodeInfo[];
  /** Report files written, relative to the build folder. */
  reports: string[];
}

/** The partition's host nodes from the model metadata, or undefined when no partition was made. */
export function partitionHostNodes(model: Model): HostNodeInfo[] | undefined {
  const entry = model.proto.metadata_props?.find((e) => e.key === HOST_NODES_METADATA);
  if (!entry?.value) return undefined;
  try {
    const v = JSON.parse(entry.value) as unknown;
    if (!Array.isArray(v)) return undefined;
    return v.filter((h): h is HostNodeInfo => typeof h === 'object' && h !== null && typeof h.name === 'string' && typeof h.opType === 'string');
  } catch {
    return undefined;
  }
}

/**
 * Estimates the model's hardware nodes and writes the reports into `outDir/report/`; undefined (and
 * nothing written) when the model holds no hardware node.
 */
export async function estimateBuild(model: Model, reg: Registry, hw: CompileTarget, outDir: string, file: string, log: Logger): Promise<BuildEstimate | undefined> {
  const nodes = model.graph.nodeList();
  if (!nodes.some((n) => hwNodeKind(n))) {
    log.info('no hardware nodes in the final model: no estimate reports');
    return undefined;
  }
  const est = await estimateModel(model, reg.hw, { target: hw.target, clockNs: hw.clockNs, file });
  const split = splitStreamInfrastructure(est, (kernel) => reg.kernels.tryGet(kernel)?.meta.tags?.includes(STREAM_INFRASTRUCTURE_TAG) ?? false);
  const written = writeEstimateReports(outDir, split.finn);
  if (split.streams) written.push(writeReportFile(outDir, STREAM_INFRASTRUCTURE_REPORT, split.streams));
  for (const n of est.nodes) for (const w of n.warnings) log.warn({ node: n.name }, w);
  const byName = new Map(nodes.map((n) => [n.name, n.opType]));
  const hostNodes = partitionHostNodes(model) ?? est.hostNodes.map((name) => ({ name, opType: byName.get(name) ?? '?' }));
  const p = est.performance;
  log.info({ performance: p }, `estimate: bottleneck ${p.max_cycles_node_name} (${p.max_cycles} cycles), ${Math.round(p.estimated_throughput_fps)} fps, latency ${p.estimated_latency_ns} ns`);
  return {
    target: est.target,
    clockNs: est.clockNs,
    nodes: est.nodes.map(({ opAndParamCounts: _c, ...n }) => n),
    total: split.finn.resources.total ?? {},
    ...(split.streams ? { streamInfrastructure: { nodes: Object.keys(split.streams).filter((k) => k !== 'total'), total: split.streams.total ?? {} } } : {}),
    totalWithStreams: est.resources.total ?? {},
    performance: p,
    hostNodes,
    reports: [...written.map((f) => path.relative(outDir, f)), ...extraReports(outDir)],
  };
}

/** Reports other transforms wrote (SetFolding's auto_folding_config.json), so the summary lists them. */
function extraReports(outDir: string): string[] {
  const rel = path.join('report', 'auto_folding_config.json');
  return existsSync(path.join(outDir, rel)) ? [rel] : [];
}

/** The terminal table: per node kernel, backend, PE/SIMD, cycles, LUT, BRAM, DSP; the network figures; the host nodes. */
export function formatBuildEstimate(e: BuildEstimate): string {
  const asModel: ModelEstimate = {
    target: e.target,
    clockNs: e.clockNs,
    nodes: e.nodes.map((n) => ({ ...n, opAndParamCounts: {} })),
    hostNodes: [],
    cycles: {},
    resources: { total: e.total },
    performance: e.performance,
    opAndParamCounts: {},
  };
  const extra: Array<[string, Record<string, number>]> = e.streamInfrastructure
    ? [['DWC/FIFO', e.streamInfrastructure.total], ['all', e.totalWithStreams]]
    : [];
  const lines = [formatEstimateSummary(asModel, extra)];
  if (e.hostNodes.length) {
    const list = e.hostNodes.map((h) => `${h.name} (${h.reason ?? h.opType})`).join(', ');
    lines.push(`host nodes   ${e.hostNodes.length === 1 ? 'this node runs' : `these ${e.hostNodes.length} nodes run`} on the host: ${list}`);
  } else {
    lines.push('host nodes   none: the whole network is in the dataflow partition');
  }
  return lines.join('\n');
}
