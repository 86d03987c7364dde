/** Shared pieces of the IR tests: a seeded PRNG, generated graphs and the index consistency checker. */
import { Graph } from '../../src/ir/graph.js';
import { makeNode } from '../../src/ir/node.js';
import type { GraphProto, NodeProto } from '../../src/onnx/proto-types.js';
import { makeValueInfo } from '../../src/ir/shape.js';
import { seededRandom } from '../../src/util/prng.js';
export { seededRandom };


export function pick<T>(rng: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rng() * xs.length)]!;
}

export function shuffle<T>(rng: () => number, xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

/**
 * A random valid DAG in topological order: graph inputs, a few initializers, nodes reading 1–3 earlier
 * tensors (sometimes the same one twice, sometimes an omitted optional '') and writing 1–2 outputs.
 */
export function generateGraphProto(rng: () => number, nodeCount: number): GraphProto {
  const available = ['in0', 'in1'];
  const initializer = [0, 1, 2].map((i) => ({ name: `w${i}`, dims: [2], data_type: 1, float_data: [1, 2] }));
  available.push(...initializer.map((t) => t.name));
  const node: NodeProto[] = [];
  for (let i = 0; i < nodeCount; i++) {
    const nIn = 1 + Math.floor(rng() * 3);
    const inputs: string[] = [];
    for (let k = 0; k < nIn; k++) {
      const r = rng();
      if (r < 0.1 && inputs.length > 0) inputs.push(inputs[0]!);
      else if (r < 0.15 && k > 0) inputs.push('');
      else inputs.push(pick(rng, available));
    }
    const outputs = rng() < 0.2 ? [`t${i}_a`, `t${i}_b`] : [`t${i}`];
    node.push(makeNode({ opType: pick(rng, ['Add', 'Mul', 'Relu', 'Concat']), name: `n${i}`, inputs, outputs }));
    available.push(...outputs);
  }
  return {
    name: 'generated',
    node,
    initializer,
    input: [makeValueInfo('in0', 1, [2]), makeValueInfo('in1', 1, [2])],
    output: [makeValueInfo(available[available.length - 1]!, 1, [2])],
  };
}

/** A chain in0 → n0 → t0 → n1 → t1 … of unary nodes. */
export function chainGraphProto(length: number): GraphProto {
  const node: NodeProto[] = [];
  for (let i = 0; i < length; i++) {
    node.push(makeNode({ opType: 'Relu', name: `n${i}`, inputs: [i === 0 ? 'in0' : `t${i - 1}`], outputs: [`t${i}`] }));
  }
  return { name: 'chain', node, input: [makeValueInfo('in0', 1, [4])], output: [makeValueInfo(`t${length - 1}`, 1, [4])] };
}

/**
 * Differences between the graph's producer/consumer indices and a from-scratch rebuild over the same node
 * protos, plus broken list links. Empty when everything agrees.
 */
export function indexConsistency(graph: Graph): string[] {
  const problems: string[] = [];
  const list = graph.nodeList();
  // The linked list: back links, ownership, count, ends.
  let prev: (typeof list)[number] | undefined;
  for (const n of list) {
    if (n.graph !== graph) problems.push(`node ${n} is listed but not owned`);
    if (n.prev !== prev) problems.push(`node ${n} has a wrong prev link`);
    prev = n;
  }
  if (graph.lastNode !== prev) problems.push('lastNode is not the last listed node');
  if (graph.nodeCount !== list.length) problems.push(`nodeCount ${graph.nodeCount} but ${list.length} listed`);
  if ([...graph.nodes()].length !== list.length) problems.push('nodes() and nodeList() disagree');

  const rebuilt = Graph.fromProto({ node: list.map((n) => n.proto) });
  const rebuiltList = rebuilt.nodeList();
  const idOf = new Map(list.map((n, i) => [n.proto, i]));
  const rebuiltIdOf = new Map(rebuiltList.map((n, i) => [n.proto, i]));
  const tensors = new Set<string>([
    ...graph.producedTensors(), ...graph.consumedTensors(), ...rebuilt.producedTensors(), ...rebuilt.consumedTensors(),
  ]);
  for (const t of tensors) {
    const prods = graph.producers(t).map((n) => idOf.get(n.proto) ?? -1).sort((a, b) => a - b);
    const want = rebuilt.producers(t).map((n) => rebuiltIdOf.get(n.proto)!).sort((a, b) => a - b);
    if (prods.join() !== want.join()) problems.push(`producers of '${t}': index [${prods}] vs rebuild [${want}]`);
    if (want.length > 0 && graph.producer(t) === undefined) problems.push(`producer('${t}') missing`);
    const uses = graph.consumers(t).map((c) => `${idOf.get(c.node.proto) ?? -1}:${c.index}`).sort();
    const wantUses = rebuilt.consumers(t).map((c) => `${rebuiltIdOf.get(c.node.proto)}:${c.index}`).sort();
    if (uses.join() !== wantUses.join()) problems.push(`consumers of '${t}': index [${uses}] vs rebuild [${wantUses}]`);
    if (graph.hasConsumers(t) !== wantUses.length > 0) problems.push(`hasConsumers('${t}') is wrong`);
  }
  // The rebuild's own view must match a plain scan of the protos, or both could be wrong the same way.
  let slots = 0;
  for (const n of list) for (const t of n.inputs) if (t) slots++;
  let indexed = 0;
  for (const t of rebuilt.consumedTensors()) indexed += rebuilt.consumers(t).length;
  if (slots !== indexed) problems.push(`rebuild sees ${indexed} consumer slots, scan ${slots}`);
  return problems;
}
