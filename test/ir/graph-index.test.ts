import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph } from '../../src/ir/graph.js';
import { makeNode, type Node } from '../../src/ir/node.js';
import { isBrainsmithError } from '../../src/errors.js';
import { chainGraphProto, generateGraphProto, indexConsistency, pick, seededRandom } from './support.js';

/** Names of every tensor a node of the graph touches, for picking mutation targets. */
function tensorsOf(graph: Graph): string[] {
  const s = new Set<string>(['in0', 'in1', 'w0']);
  for (const n of graph.nodes()) for (const t of [...n.inputs, ...n.outputs]) if (t) s.add(t);
  return [...s];
}

type Mutation = (g: Graph, rng: () => number) => string;

const MUTATIONS: Mutation[] = [
  (g, rng) => {
    const where = g.nodeCount === 0 ? undefined : pick(rng, g.nodeList());
    const ins = [pick(rng, tensorsOf(g)), pick(rng, tensorsOf(g))];
    // Now and then an existing output: the index must hold duplicate producers too.
    const out = rng() < 0.1 ? pick(rng, tensorsOf(g)) : g.uniqueTensorName('new');
    const proto = makeNode({ opType: 'Add', inputs: ins, outputs: [out] });
    if (!where) g.addNode(proto);
    else if (rng() < 0.5) g.insertBefore(where, proto);
    else g.insertAfter(where, proto);
    return `insert ${out}`;
  },
  (g, rng) => {
    if (g.nodeCount === 0) return 'noop';
    const n = pick(rng, g.nodeList());
    g.removeNode(n);
    return `remove ${n}`;
  },
  (g, rng) => {
    if (g.nodeCount === 0) return 'noop';
    const old = pick(rng, g.nodeList());
    g.replaceNode(old, makeNode({ opType: 'Mul', inputs: [pick(rng, tensorsOf(g)), old.inputs[0] ?? ''], outputs: [...old.outputs] }));
    return `replace ${old}`;
  },
  (g, rng) => {
    if (g.nodeCount === 0) return 'noop';
    const n = pick(rng, g.nodeList());
    const i = Math.floor(rng() * (n.inputs.length + 2));
    const t = rng() < 0.15 ? '' : pick(rng, tensorsOf(g));
    g.setInput(n, i, t);
    return `setInput ${n} ${i} ${t}`;
  },
  (g, rng) => {
    if (g.nodeCount === 0) return 'noop';
    const n = pick(rng, g.nodeList());
    const i = Math.floor(rng() * (n.outputs.length + 1));
    const t = rng() < 0.2 ? pick(rng, tensorsOf(g)) : g.uniqueTensorName('o');
    g.setOutput(n, i, t);
    return `setOutput ${n} ${i} ${t}`;
  },
  (g, rng) => {
    if (g.nodeCount === 0) return 'noop';
    const n = pick(rng, g.nodeList());
    const ins = [pick(rng, tensorsOf(g)), pick(rng, tensorsOf(g))];
    g.setInputs(n, rng() < 0.3 ? [ins[0]!, ins[0]!] : ins);
    return `setInputs ${n}`;
  },
  (g, rng) => {
    if (g.nodeCount === 0) return 'noop';
    const n = pick(rng, g.nodeList());
    g.setOutputs(n, [g.uniqueTensorName('so'), rng() < 0.5 ? '' : g.uniqueTensorName('so')]);
    return `setOutputs ${n}`;
  },
  (g, rng) => {
    const from = pick(rng, tensorsOf(g));
    const to = g.uniqueTensorName('renamed');
    g.renameTensor(from, to);
    return `rename ${from} ${to}`;
  },
  (g, rng) => {
    // Move: remove a node and put the same Node object back somewhere else.
    if (g.nodeCount < 2) return 'noop';
    const n = pick(rng, g.nodeList());
    g.removeNode(n);
    g.insertBefore(pick(rng, g.nodeList()), n);
    return `move ${n}`;
  },
  (g) => {
    try {
      g.topologicalSort();
      return 'sort';
    } catch (e) {
      if (isBrainsmithError(e) && e.code === 'E_GRAPH_CYCLE') return 'sort (cycle)';
      throw e;
    }
  },
  (g, rng) => {
    if (g.nodeCount === 0) return 'noop';
    const n = pick(rng, g.nodeList());
    const name = `named${Math.floor(rng() * 1000)}`;
    g.setNodeName(n, name);
    assert.equal(g.findNode(name)?.name, name);
    return `name ${n}`;
  },
];

for (const seed of [1, 2, 3, 4]) {
  test(`indices equal a rebuild after every step of a random mutation sequence (seed ${seed})`, () => {
    const rng = seededRandom(seed);
    const g = Graph.fromProto(generateGraphProto(rng, 40));
    assert.deepEqual(indexConsistency(g), []);
    const history: string[] = [];
    for (let step = 0; step < 400; step++) {
      history.push(pick(rng, MUTATIONS)(g, rng));
      const problems = indexConsistency(g);
      assert.deepEqual(problems, [], `after: ${history.slice(-5).join(' | ')}`);
    }
    assert.ok(g.modified);
  });
}

test('consumers keep duplicate uses: Mul(x, x) gives two uses, and losing one keeps the other', () => {
  const g = Graph.create();
  const mul = g.addNode(makeNode({ opType: 'Mul', inputs: ['x', 'x'], outputs: ['y'] }));
  assert.deepEqual(g.consumers('x').map((c) => c.index), [0, 1]);
  g.setInput(mul, 0, 'z');
  assert.deepEqual(g.consumers('x').map((c) => c.index), [1]);
  assert.deepEqual(g.consumers('z').map((c) => c.index), [0]);
  g.setInput(mul, 1, 'z');
  assert.equal(g.hasConsumers('x'), false);
  assert.deepEqual(g.consumers('z').map((c) => c.index), [0, 1]);
  assert.deepEqual(indexConsistency(g), []);
});

test('empty names are omitted optional inputs/outputs, not tensors', () => {
  const g = Graph.create();
  const n = g.addNode(makeNode({ opType: 'Clip', inputs: ['x', '', 'max'], outputs: ['y', ''] }));
  assert.equal(g.hasConsumers(''), false);
  assert.equal(g.producer(''), undefined);
  g.setInput(n, 4, 'extra');
  assert.deepEqual(n.inputs, ['x', '', 'max', '', 'extra']);
  assert.equal(g.hasTensor(''), false);
  assert.deepEqual(indexConsistency(g), []);
});

test('a decoded node with an absent repeated field is given its own array, never written into the shared one', () => {
  // Decoded protobufjs messages read an absent repeated field from a frozen array on the prototype.
  const shared = Object.freeze([]) as unknown as string[];
  const proto = Object.create({ input: shared, output: shared }) as { op_type?: string; input?: string[]; output?: string[] };
  proto.op_type = 'RandomNormal';
  const g = Graph.create();
  const n = g.addNode(proto);
  g.setOutput(n, 0, 'r');
  g.setInput(n, 0, 'seed');
  assert.deepEqual(n.outputs, ['r']);
  assert.deepEqual(n.inputs, ['seed']);
  assert.equal(shared.length, 0);
  assert.equal(g.producer('r'), n);
});

/** Replaces a node's list links with accessors that count every read and write. */
function countLinkAccess(n: Node, counter: { n: number }): void {
  for (const key of ['_prev', '_next'] as const) {
    let value = n[key];
    Object.defineProperty(n, key, {
      get: () => {
        counter.n++;
        return value;
      },
      set: (v: Node | undefined) => {
        counter.n++;
        value = v;
      },
    });
  }
}

test('20,000 remove/insert operations on a 20,000-node chain do constant work each', () => {
  const N = 20_000;
  const g = Graph.fromProto(chainGraphProto(N));
  assert.equal(g.nodeCount, N);
  const rng = seededRandom(7);
  const nodes = g.nodeList();
  const links = { n: 0 };
  for (const n of nodes) countLinkAccess(n, links);
  const before = g.workCount;
  for (let op = 0; op < N; op++) {
    const n = nodes[Math.floor(rng() * N)]!;
    const next = n.next;
    const prev = n.prev;
    g.removeNode(n);
    // Put it back where it was, from either side.
    if (next && (op % 2 === 0 || !prev)) g.insertBefore(next, n);
    else if (prev) g.insertAfter(prev, n);
    else g.addNode(n);
  }
  const work = g.workCount - before;
  // Each remove or insert of a one-input, one-output node is a link step plus two index steps.
  assert.ok(work <= N * 2 * 3, `index work ${work} for ${2 * N} operations`);
  // Unlinking and linking touch a handful of neighbour links; a walk along the list would touch thousands.
  assert.ok(links.n <= N * 20, `${links.n} link reads/writes for ${2 * N} operations`);
  assert.equal(g.nodeCount, N);
  const order = g.nodeList();
  for (let i = 0; i < N; i++) assert.equal(order[i], nodes[i]);
  assert.equal(g.producer(`t${N - 1}`), nodes[N - 1]);
  assert.equal(g.consumers('t0')[0]!.node, nodes[1]);
});

test('insert and remove stay cheap when a tensor has a huge fan-out', () => {
  const g = Graph.create();
  const N = 20_000;
  const readers: Node[] = [];
  for (let i = 0; i < N; i++) readers.push(g.addNode(makeNode({ opType: 'Relu', inputs: ['shared'], outputs: [`r${i}`] })));
  const before = g.workCount;
  for (const n of readers) g.removeNode(n);
  assert.ok(g.workCount - before <= N * 3);
  assert.equal(g.hasConsumers('shared'), false);
});

test('iterating nodes() while removing the current and other nodes visits each remaining node once', () => {
  const g = Graph.fromProto(chainGraphProto(10));
  const seen: string[] = [];
  for (const n of g.nodes()) {
    seen.push(n.name);
    if (n.name === 'n2') {
      g.removeNode(n);
      g.removeNode(g.findNode('n3')!);
    }
  }
  assert.deepEqual(seen, ['n0', 'n1', 'n2', 'n4', 'n5', 'n6', 'n7', 'n8', 'n9']);
  assert.equal(g.nodeCount, 8);
});

test('graph methods refuse nodes of other graphs and nodes already placed', () => {
  const a = Graph.fromProto(chainGraphProto(3));
  const b = Graph.fromProto(chainGraphProto(3));
  const n = a.firstNode!;
  assert.throws(() => b.removeNode(n), { code: 'E_NODE_NOT_IN_GRAPH' });
  assert.throws(() => b.addNode(n), { code: 'E_NODE_IN_GRAPH', message: /'n0' \(Relu\)/ });
  assert.throws(() => a.setInput(n, -1, 'x'), { code: 'E_NODE_SLOT' });
});

test('findNode follows renames, inserts and removals', () => {
  const g = Graph.fromProto(chainGraphProto(5));
  const n3 = g.findNode('n3')!;
  assert.equal(n3.outputs[0], 't3');
  g.setNodeName(n3, 'renamed');
  assert.equal(g.findNode('n3'), undefined);
  assert.equal(g.findNode('renamed'), n3);
  const added = g.addNode(makeNode({ opType: 'Relu', name: 'late', inputs: ['t4'], outputs: ['t5'] }));
  assert.equal(g.findNode('late'), added);
  g.removeNode(added);
  assert.equal(g.findNode('late'), undefined);
});

test('nodesByOpType filters by op type and optionally domain', () => {
  const g = Graph.create();
  g.addNode(makeNode({ opType: 'Quant', domain: 'qonnx.custom_op.general', inputs: ['x'], outputs: ['a'] }));
  g.addNode(makeNode({ opType: 'Quant', domain: 'other', inputs: ['a'], outputs: ['b'] }));
  g.addNode(makeNode({ opType: 'Relu', inputs: ['b'], outputs: ['c'] }));
  assert.equal(g.nodesByOpType('Quant').length, 2);
  assert.equal(g.nodesByOpType('Quant', 'other').length, 1);
  assert.equal(g.nodesByOpType('Conv').length, 0);
});

test('uniqueTensorName avoids every used name and differs between calls', () => {
  const g = Graph.fromProto(chainGraphProto(3));
  g.setDatatypeName('annotated_0', 'INT8');
  const a = g.uniqueTensorName('t');
  const b = g.uniqueTensorName('t');
  assert.notEqual(a, b);
  for (const name of [a, b]) assert.equal(g.hasTensor(name), false);
  assert.equal(g.uniqueTensorName('annotated'), 'annotated_1');
});
