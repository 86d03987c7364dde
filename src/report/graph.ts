/**
 * The dataflow graph as the report draws it: every node of the final model (hardware nodes with their
 * kernel, backend and folding; host nodes set apart), graph inputs and outputs, and the streams between
 * them labelled with their width in bits (from the kernels' declared stream widths) or the tensor's
 * datatype and shape where no kernel declares one.
 */
import { hwEdges } from '../folding/edges.js';
import { hwNodeKind } from '../hw/hw-nodes.js';
import type { Model } from '../ir/model.js';
import type { Registry } from '../plugins/registry.js';
import type { FpgaTarget } from '../plugins/types.js';

export interface ReportNode {
  id: string;
  opType: string;
  /** 'hw' (a kernel node), 'host' (stays on the host), 'io' (graph input or output). */
  role: 'hw' | 'host' | 'io';
  kernel?: string;
  backend?: string;
}

export interface ReportEdge {
  from: string;
  to: string;
  tensor: string;
  label: string;
}

export interface ReportGraph {
  nodes: ReportNode[];
  edges: ReportEdge[];
}

function shapeText(model: Model, tensor: string): string {
  const g = model.graph;
  const dt = g.getDatatypeName(tensor);
  const shape = g.getShape(tensor);
  const dims = shape ? `[${shape.map((d) => (typeof d === 'number' ? d : '?')).join(',')}]` : '';
  return [dt, dims].filter(Boolean).join(' ');
}

export async function reportGraph(model: Model, reg: Registry | undefined, target: FpgaTarget | undefined): Promise<ReportGraph> {
  const g = model.graph;
  const widths = new Map<string, number>();
  if (reg) {
    try {
      for (const e of await hwEdges(model, reg.hw, target)) {
        const w = e.outWidth ?? e.inWidth;
        if (w !== undefined) widths.set(e.tensor, w);
      }
    } catch {
      // a kernel without stream widths: fall back to datatype and shape labels
    }
  }
  const nodes: ReportNode[] = [];
  const producerOf = new Map<string, string>();
  for (const vi of g.inputs) {
    if (g.isInitializer(vi.name!)) continue;
    nodes.push({ id: `in:${vi.name}`, opType: 'input', role: 'io' });
    producerOf.set(vi.name!, `in:${vi.name}`);
  }
  for (const n of g.nodeList()) {
    const hw = hwNodeKind(n);
    nodes.push({ id: n.name, opType: n.opType, role: hw ? 'hw' : 'host', ...(hw ? { kernel: hw.kernel, ...(hw.language ? { backend: hw.language } : {}) } : {}) });
    for (const o of n.outputs) if (o) producerOf.set(o, n.name);
  }
  const edges: ReportEdge[] = [];
  const label = (t: string): string => (widths.has(t) ? `${widths.get(t)} b` : shapeText(model, t));
  for (const n of g.nodeList()) {
    for (const t of n.inputs) {
      if (!t || g.isInitializer(t)) continue;
      const from = producerOf.get(t);
      if (from) edges.push({ from, to: n.name, tensor: t, label: label(t) });
    }
  }
  for (const vi of g.outputs) {
    const from = producerOf.get(vi.name!);
    nodes.push({ id: `out:${vi.name}`, opType: 'output', role: 'io' });
    if (from) edges.push({ from, to: `out:${vi.name}`, tensor: vi.name!, label: label(vi.name!) });
  }
  return { nodes, edges };
}
