/**
 * The dataflow partition a stitched top covers: the hardware nodes, the tensors that enter and leave it, and
 * the host nodes around it (boundary reshapes, transposes). A host node between two hardware nodes would cut
 * the dataflow in two: an error naming it. Every stream has one producer and one consumer.
 */
import { BrainsmithError } from '../errors.js';
import { hwNodeKind } from '../hw/hw-nodes.js';
import type { Model } from '../ir/model.js';
import type { Node } from '../ir/node.js';

export interface DataflowPartition {
  /** Hardware nodes in graph order. */
  nodes: Node[];
  /** Tensors entering the partition (graph inputs first, in graph order, then in node order). */
  inputs: string[];
  /** Tensors leaving it (graph outputs first, in graph order, then in node order). */
  outputs: string[];
  /** Stream inputs of each node: its non-constant inputs, in input order. */
  streamInputs: Map<Node, string[]>;
  hostBefore: Node[];
  hostAfter: Node[];
}

function partitionError(message: string): BrainsmithError {
  return new BrainsmithError('E_CODEGEN_PARTITION', message, { kind: 'input' });
}

export function dataflowPartition(model: Model): DataflowPartition {
  const g = model.graph;
  const all = g.nodeList();
  const hw = all.filter((n) => hwNodeKind(n));
  if (hw.length === 0) throw new BrainsmithError('E_NO_HW_NODES', 'the model holds no hardware nodes: nothing to generate (map it to kernels first)', { kind: 'input' });
  const isHw = new Set(hw);
  const producer = new Map<string, Node>();
  const consumers = new Map<string, Node[]>();
  for (const n of all) {
    for (const o of n.outputs) if (o) producer.set(o, n);
    for (const i of n.inputs) if (i) consumers.set(i, [...(consumers.get(i) ?? []), n]);
  }
  const reach = (from: Node[], next: (n: Node) => Node[]): Set<Node> => {
    const seen = new Set<Node>();
    const stack = [...from];
    while (stack.length) {
      for (const m of next(stack.pop()!)) if (!seen.has(m)) (seen.add(m), stack.push(m));
    }
    return seen;
  };
  const after = reach(hw, (n) => n.outputs.flatMap((o) => consumers.get(o) ?? []));
  const before = reach(hw, (n) => n.inputs.map((i) => producer.get(i)).filter((p): p is Node => p !== undefined));
  for (const n of all) {
    if (!isHw.has(n) && after.has(n) && before.has(n)) {
      throw partitionError(`host node '${n.name}' (${n.opType}) sits between hardware nodes: the dataflow partition must be one connected piece of hardware (map '${n.name}' to a kernel, or move it to the boundary)`);
    }
  }

  const streamInputs = new Map<Node, string[]>();
  const inputs = new Set<string>();
  const outputs = new Set<string>();
  const graphOutputs = new Set(g.outputNames());
  for (const n of hw) {
    const streams = n.inputs.filter((t) => t !== '' && !g.isInitializer(t));
    streamInputs.set(n, streams);
    for (const t of streams) {
      const p = producer.get(t);
      if (!p || !isHw.has(p)) inputs.add(t);
      const hwReaders = (consumers.get(t) ?? []).filter((c) => isHw.has(c));
      if (hwReaders.length > 1) throw partitionError(`tensor '${t}' feeds ${hwReaders.length} hardware nodes (${hwReaders.map((c) => c.name).join(', ')}): a stream has one consumer (insert a DuplicateStreams kernel)`);
    }
    for (const t of n.outputs) {
      if (!t) continue;
      const readers = consumers.get(t) ?? [];
      const hwReaders = readers.filter((c) => isHw.has(c));
      if (graphOutputs.has(t) || readers.length === 0 || readers.some((c) => !isHw.has(c))) {
        if (hwReaders.length) throw partitionError(`tensor '${t}' of node '${n.name}' goes both to hardware (${hwReaders[0]!.name}) and out of the partition: a stream has one consumer`);
        outputs.add(t);
      }
    }
  }
  const graphInputs = g.inputNames();
  const ordered = (set: Set<string>, first: readonly string[]): string[] => [...first.filter((t) => set.has(t)), ...[...set].filter((t) => !first.includes(t))];
  return {
    nodes: hw,
    inputs: ordered(inputs, graphInputs),
    outputs: ordered(outputs, g.outputNames()),
    streamInputs,
    hostBefore: all.filter((n) => !isHw.has(n) && before.has(n)),
    hostAfter: all.filter((n) => !isHw.has(n) && !before.has(n)),
  };
}
