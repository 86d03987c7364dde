import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph } from '../../src/ir/graph.js';
import { makeNode } from '../../src/ir/node.js';
import { verifyGraph } from '../../src/ir/verify.js';
import { generateGraphProto, indexConsistency, seededRandom, shuffle } from './support.js';

function names(g: Graph): string[] {
  return g.nodeList().map((n) => n.name);
}

for (const seed of [11, 12, 13, 14, 15]) {
  test(`topologicalSort orders a shuffled graph (seed ${seed})`, () => {
    const rng = seededRandom(seed);
    const proto = generateGraphProto(rng, 300);
    shuffle(rng, proto.node!);
    const g = Graph.fromProto(proto);
    assert.ok(verifyGraph(g).some((f) => f.code === 'INPUT_BEFORE_PRODUCER'), 'the shuffle broke the order');
    assert.equal(g.topologicalSort(), true);
    assert.deepEqual(verifyGraph(g), []);
    assert.equal(g.nodeCount, 300);
    assert.deepEqual(indexConsistency(g), []);
    // Sorting again changes nothing.
    const order = names(g);
    assert.equal(g.topologicalSort(), false);
    assert.deepEqual(names(g), order);
  });
}

test('an already sorted graph keeps its exact order and stays unmodified', () => {
  const g = Graph.fromProto(generateGraphProto(seededRandom(5), 100));
  const order = names(g);
  assert.equal(g.topologicalSort(), false);
  assert.deepEqual(names(g), order);
  assert.equal(g.modified, false);
});

test('topologicalSort moves only what must move and keeps independent nodes in their order', () => {
  const g = Graph.create();
  for (const [name, ins, out] of [
    ['b', ['a_out'], 'b_out'], // needs a, which comes later
    ['a', ['x'], 'a_out'],
    ['c', ['x'], 'c_out'],
    ['d', ['b_out'], 'd_out'],
    ['e', ['x'], 'e_out'],
  ] as const) {
    g.addNode(makeNode({ opType: 'Relu', name, inputs: [...ins], outputs: [out] }));
  }
  g.addInput({ name: 'x' });
  assert.equal(g.topologicalSort(), true);
  assert.deepEqual(names(g), ['a', 'b', 'c', 'd', 'e']);
  assert.ok(g.modified);
});

test('a subgraph outer reference orders its producer before the node owning the subgraph', () => {
  const ifNode = makeNode({ opType: 'If', name: 'if', inputs: ['x'], outputs: ['y'] });
  ifNode.attribute = [{ name: 'then_branch', type: 5, g: { node: [makeNode({ opType: 'Identity', inputs: ['late'], outputs: ['r'] })], output: [{ name: 'r' }] } }];
  const g = Graph.fromProto({
    node: [ifNode, makeNode({ opType: 'Relu', name: 'producer', inputs: ['x'], outputs: ['late'] })],
    input: [{ name: 'x' }],
    output: [{ name: 'y' }],
  });
  assert.ok(verifyGraph(g).some((f) => f.code === 'INPUT_BEFORE_PRODUCER' && f.tensor === 'late'));
  g.topologicalSort();
  assert.deepEqual(names(g), ['producer', 'if']);
  assert.deepEqual(verifyGraph(g), []);
});

test('a cycle makes topologicalSort throw E_GRAPH_CYCLE naming the nodes on it, order untouched', () => {
  const g = Graph.create();
  g.addInput({ name: 'x' });
  g.addNode(makeNode({ opType: 'Relu', name: 'start', inputs: ['x'], outputs: ['s'] }));
  g.addNode(makeNode({ opType: 'Add', name: 'p', inputs: ['s', 'r'], outputs: ['p_out'] }));
  g.addNode(makeNode({ opType: 'Relu', name: 'q', inputs: ['p_out'], outputs: ['q_out'] }));
  g.addNode(makeNode({ opType: 'Relu', name: 'r', inputs: ['q_out'], outputs: ['r'] }));
  g.addNode(makeNode({ opType: 'Relu', name: 'after', inputs: ['r'], outputs: ['y'] }));
  const before = names(g);
  assert.throws(() => g.topologicalSort(), (e: Error & { code?: string }) => {
    assert.equal(e.code, 'E_GRAPH_CYCLE');
    assert.match(e.message, /'p' \(Add\)/);
    assert.match(e.message, /'q' \(Relu\)/);
    assert.match(e.message, /'r' \(Relu\)/);
    assert.doesNotMatch(e.message, /'start'|'after'/);
    return true;
  });
  assert.deepEqual(names(g), before);
});

test('a node reading its own output is a cycle of one', () => {
  const g = Graph.create();
  g.addNode(makeNode({ opType: 'Add', name: 'self', inputs: ['x', 'loop'], outputs: ['loop'] }));
  assert.throws(() => g.topologicalSort(), { code: 'E_GRAPH_CYCLE', message: /'self' \(Add\)/ });
});

test('topologicalSort orders a large shuffled graph', () => {
  const rng = seededRandom(99);
  const proto = generateGraphProto(rng, 20_000);
  shuffle(rng, proto.node!);
  const g = Graph.fromProto(proto);
  assert.equal(g.topologicalSort(), true);
  assert.deepEqual(verifyGraph(g), []);
});
