import type { Node } from './node.js';
import { hasSubgraphs, implicitInputs } from './subgraphs.js';

export type TopoResult =
  | { ok: true; order: Node[]; steps: number }
  /** `cycle` lists nodes on one cycle, each feeding the next and the last feeding the first. */
  | { ok: false; cycle: Node[]; steps: number };

/** Data edges producer → consumer as compressed adjacency lists over positions in `nodes`. */
interface EdgeLists {
  /** succ[start[i] .. start[i+1]) are the consumers of node i, one entry per consuming input slot. */
  start: Int32Array;
  succ: Int32Array;
  src: number[];
  dst: number[];
}

function buildEdges(nodes: readonly Node[]): EdgeLists {
  const producerPos = new Map<string, number>();
  nodes.forEach((node, i) => {
    for (const o of node.outputs) if (o !== '' && !producerPos.has(o)) producerPos.set(o, i);
  });
  const src: number[] = [];
  const dst: number[] = [];
  const addUse = (tensor: string, consumer: number): void => {
    const p = tensor === '' ? undefined : producerPos.get(tensor);
    if (p === undefined) return;
    src.push(p);
    dst.push(consumer);
  };
  nodes.forEach((node, i) => {
    for (const t of node.inputs) addUse(t, i);
    // A subgraph's outer references must be computed before the node that owns the subgraph runs.
    if (hasSubgraphs(node.proto)) for (const t of implicitInputs(node.proto)) addUse(t, i);
  });
  const start = new Int32Array(nodes.length + 1);
  for (const s of src) start[s + 1]!++;
  for (let i = 0; i < nodes.length; i++) start[i + 1]! += start[i]!;
  const fill = start.slice(0, nodes.length);
  const succ = new Int32Array(src.length);
  for (let e = 0; e < src.length; e++) succ[fill[src[e]!]!++] = dst[e]!;
  return { start, succ, src, dst };
}

/**
 * Kahn's algorithm with a cursor over the current order, so the result stays as close to that order as the
 * data allows: a node is emitted once it is ready and the cursor has reached it, and a node the cursor
 * already passed is emitted as soon as its last producer is. An already sorted list comes back unchanged.
 * O(N + E), E counting input slots (and subgraph outer references).
 */
export function topologicalOrder(nodes: readonly Node[]): TopoResult {
  const n = nodes.length;
  const edges = buildEdges(nodes);
  const { start, succ } = edges;
  const indegree = new Int32Array(n);
  for (const d of edges.dst) indegree[d]!++;
  const emitted = new Uint8Array(n);
  const order: Node[] = [];
  const late: number[] = [];
  let cursor = 0;
  const emit = (i: number): void => {
    emitted[i] = 1;
    order.push(nodes[i]!);
    for (let e = start[i]!; e < start[i + 1]!; e++) {
      const s = succ[e]!;
      if (--indegree[s]! === 0 && s <= cursor && !emitted[s]) late.push(s);
    }
  };
  for (; cursor < n; cursor++) {
    if (emitted[cursor] || indegree[cursor]! > 0) continue;
    emit(cursor);
    for (let q = 0; q < late.length; q++) emit(late[q]!);
    late.length = 0;
  }
  const steps = n + edges.src.length;
  if (order.length === n) return { ok: true, order, steps };
  return { ok: false, cycle: findCycle(nodes, edges, emitted), steps };
}

/** Walks unemitted predecessors from an unemitted node until a node repeats: that stretch is a cycle. */
function findCycle(nodes: readonly Node[], edges: EdgeLists, emitted: Uint8Array): Node[] {
  const n = nodes.length;
  const predStart = new Int32Array(n + 1);
  for (const d of edges.dst) predStart[d + 1]!++;
  for (let i = 0; i < n; i++) predStart[i + 1]! += predStart[i]!;
  const fill = predStart.slice(0, n);
  const pred = new Int32Array(edges.dst.length);
  for (let e = 0; e < edges.dst.length; e++) pred[fill[edges.dst[e]!]!++] = edges.src[e]!;

  let cur = emitted.indexOf(0);
  const seenAt = new Map<number, number>();
  const path: number[] = [];
  while (!seenAt.has(cur)) {
    seenAt.set(cur, path.length);
    path.push(cur);
    let next = -1;
    for (let e = predStart[cur]!; e < predStart[cur + 1]!; e++) {
      if (!emitted[pred[e]!]) {
        next = pred[e]!;
        break;
      }
    }
    // An unemitted node always has an unemitted predecessor; -1 would mean the counts were wrong.
    if (next < 0) throw new Error('topologicalOrder: unemitted node without an unemitted predecessor');
    cur = next;
  }
  return path.slice(seenAt.get(cur)).reverse().map((i) => nodes[i]!);
}
