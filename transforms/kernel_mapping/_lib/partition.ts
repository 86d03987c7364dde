// The dataflow partition: every kernel node (domain finn.custom_op.fpgadataflow*) plus shape-only
// Flatten/Reshape nodes between two kernels; everything else runs on the host. FINN nests the partition in a
// child model; here it is an annotation (kernel attribute partition_id, model metadata brainsmith.host_nodes).
import { FINN_HW_DOMAIN, normalizeNodeDomain, type Graph, type Model, type Node } from '../../../src/index.js';

export const HOST_NODES_KEY = 'brainsmith.host_nodes';

export interface HostNode {
  name: string;
  opType: string;
  /** Why it is not in the dataflow partition. */
  reason: string;
}

export interface DataflowPartition {
  /** Names of the nodes inside the partition, in graph order. */
  kernels: string[];
  host: HostNode[];
  /** Host nodes that sit between partition nodes (the partition is not one contiguous block). */
  splitting: string[];
}

export const isKernelNode = (n: Node): boolean => normalizeNodeDomain(n).startsWith(FINN_HW_DOMAIN);

/** A Flatten/Reshape fed by a kernel and read only by kernels: a pure reinterpretation of the stream. */
function isStreamReshape(graph: Graph, n: Node): boolean {
  if (!(n.opType === 'Flatten' || n.opType === 'Reshape') || normalizeNodeDomain(n) !== '') return false;
  const p = graph.producer(n.inputs[0]!);
  const uses = graph.consumerNodes(n.outputs[0]!);
  return p !== undefined && isKernelNode(p) && uses.length > 0 && uses.every(isKernelNode) && !graph.isGraphOutput(n.outputs[0]!);
}

function hostReason(graph: Graph, n: Node): string {
  const dtypes = n.inputs.filter((t) => t && !graph.isInitializer(t)).map((t) => graph.getDatatypeName(t) ?? 'FLOAT32');
  if (dtypes.some((d) => d.startsWith('FLOAT'))) return `${n.opType} on a float input`;
  return `no kernel inference rule matched ${n.opType}`;
}

export function dataflowPartition(model: Model): DataflowPartition {
  const graph = model.graph;
  const nodes = graph.nodeList();
  const inside = new Set(nodes.filter((n) => isKernelNode(n) || isStreamReshape(graph, n)));
  // A host node is splitting when it is downstream of a partition node and upstream of one.
  const after = new Set<Node>();
  for (const n of nodes) {
    const fed = n.inputs.some((t) => {
      const p = t ? graph.producer(t) : undefined;
      return p !== undefined && (inside.has(p) || after.has(p));
    });
    if (fed) after.add(n);
  }
  const before = new Set<Node>();
  for (const n of [...nodes].reverse()) {
    const feeds = n.outputs.some((t) => t !== '' && graph.consumerNodes(t).some((c) => inside.has(c) || before.has(c)));
    if (feeds) before.add(n);
  }
  const host = nodes.filter((n) => !inside.has(n));
  return {
    kernels: nodes.filter((n) => inside.has(n)).map((n) => n.name),
    host: host.map((n) => ({ name: n.name, opType: n.opType, reason: hostReason(graph, n) })),
    splitting: host.filter((n) => after.has(n) && before.has(n)).map((n) => n.name),
  };
}

/** "these 2 nodes run on the host: Transpose_0 (Transpose), Mul_0 (Mul)", or undefined when none. */
export function hostNodesMessage(p: DataflowPartition): string | undefined {
  if (p.host.length === 0) return undefined;
  const list = p.host.map((h) => `${h.name} (${h.opType})`).join(', ');
  return `${p.host.length === 1 ? 'this node runs' : `these ${p.host.length} nodes run`} on the host: ${list}`;
}
