/**
 * Estimates a model holding hardware nodes: each node's kernel gives cycles and op/param counts, its
 * backend gives resources, all through the binding layer (src/hw; this module knows no kernel by name).
 */
import { BrainsmithError } from '../errors.js';
import type { Model } from '../ir/model.js';
import type { BackendLanguage } from '../plugins/schemas.js';
import type { FpgaTarget } from '../plugins/types.js';
import { hwNodeKind, reportNames } from '../hw/hw-nodes.js';
import type { HwApi } from '../hw/types.js';
import { resources } from './memory.js';
import { networkPerformance, totalOf, type NetworkPerformance } from './performance.js';

export interface NodeEstimate {
  name: string;
  opType: string;
  kernel: string;
  backend: BackendLanguage | undefined;
  /** Parallelism parameters and their values (PE, SIMD, …). */
  parallelism: Record<string, number>;
  cycles: number;
  resources: Record<string, number>;
  opAndParamCounts: Record<string, number>;
  /** Why the backend is not viable for this node, when it is not. */
  warnings: string[];
}

export interface ModelEstimate {
  target: FpgaTarget;
  clockNs: number;
  nodes: NodeEstimate[];
  /** Nodes outside the dataflow (not hardware nodes), by name. */
  hostNodes: string[];
  cycles: Record<string, number>;
  resources: Record<string, Record<string, number>>;
  performance: NetworkPerformance;
  opAndParamCounts: Record<string, Record<string, number>>;
}

export interface EstimateOptions {
  target: FpgaTarget;
  clockNs: number;
  /** For error messages. */
  file?: string;
}

function assertFiniteCount(v: unknown, what: string, node: string, comp: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new BrainsmithError('E_ESTIMATE_VALUE', `${comp} gave ${what} = ${String(v)} for node '${node}'; expected a finite number ≥ 0`, { kind: 'work' });
  }
  return v;
}

export async function estimateModel(model: Model, hw: HwApi, opts: EstimateOptions): Promise<ModelEstimate> {
  if (!(opts.clockNs > 0) || !Number.isFinite(opts.clockNs)) {
    throw new BrainsmithError('E_USAGE', `clock period must be a positive number of ns, got ${opts.clockNs}`, { kind: 'usage' });
  }
  const graph = model.graph;
  const all = graph.nodeList();
  const names = reportNames(all);
  const hostNodes: string[] = [];
  for (const node of all) if (!hwNodeKind(node)) hostNodes.push(names.get(node)!);
  const where = opts.file ? `${opts.file}: ` : '';
  if (hostNodes.length === all.length) {
    const ops = [...new Set(all.map((n) => n.opType))].slice(0, 8).join(', ');
    throw new BrainsmithError('E_NO_HW_NODES', `${where}the model holds no hardware nodes (domain finn.custom_op.fpgadataflow*); its ops are ${ops || 'none'}. Map it to kernels first (brainsmith compile)`, { kind: 'input', file: opts.file });
  }

  const nodes: NodeEstimate[] = [];
  const producerName = new Map<string, string>();
  const perf: Array<{ name: string; cycles: number; predecessors: string[] }> = [];
  const { nodes: bound } = await hw.nodes(model, { target: opts.target, file: opts.file });
  for (const bn of bound) {
    const { node, name } = bn;
    const cycles = assertFiniteCount(bn.cycles(), 'cycles', name, bn.backendComponent ?? bn.kernelComponent);
    const res = bn.resources() ?? resources({});
    for (const [key, v] of Object.entries(res)) assertFiniteCount(v, key, name, bn.backendComponent ?? bn.kernelComponent);
    const counts = bn.opAndParamCounts();
    const parallelism: Record<string, number> = {};
    for (const p of Object.keys(bn.parallelism())) {
      const v = bn.view.attrs[p];
      if (typeof v === 'number') parallelism[p] = v;
    }
    nodes.push({ name, opType: node.opType, kernel: bn.kernel, backend: bn.language, parallelism, cycles, resources: res, opAndParamCounts: counts, warnings: [...bn.warnings] });
    const predecessors = [...new Set(node.inputs.map((t) => producerName.get(t)).filter((p): p is string => p !== undefined))];
    perf.push({ name, cycles, predecessors });
    for (const o of node.outputs) if (o) producerName.set(o, name);
  }

  const resourcesByNode: Record<string, Record<string, number>> = {};
  const cyclesByNode: Record<string, number> = {};
  const counts: Record<string, Record<string, number>> = {};
  for (const n of nodes) {
    cyclesByNode[n.name] = n.cycles;
    resourcesByNode[n.name] = n.resources;
    counts[n.name] = n.opAndParamCounts;
  }
  resourcesByNode.total = totalOf(nodes.map((n) => n.resources));
  counts.total = totalOf(nodes.map((n) => n.opAndParamCounts));
  return {
    target: opts.target,
    clockNs: opts.clockNs,
    nodes,
    hostNodes,
    cycles: cyclesByNode,
    resources: resourcesByNode,
    performance: networkPerformance(perf, opts.clockNs),
    opAndParamCounts: counts,
  };
}
