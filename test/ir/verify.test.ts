import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph } from '../../src/ir/graph.js';
import { makeNode } from '../../src/ir/node.js';
import { makeValueInfo } from '../../src/ir/shape.js';
import { assertGraphValid, verifyGraph, type VerifyFinding } from '../../src/ir/verify.js';
import type { GraphProto } from '../../src/onnx/proto-types.js';

/** in x; init w [2]; a = Mul(x, w); y = Relu(a); out y. */
function validProto(): GraphProto {
  return {
    node: [
      makeNode({ opType: 'Mul', name: 'mul', inputs: ['x', 'w'], outputs: ['a'] }),
      makeNode({ opType: 'Relu', name: 'relu', inputs: ['a'], outputs: ['y'] }),
    ],
    initializer: [{ name: 'w', dims: [2], data_type: 1, float_data: [1, 2] }],
    input: [makeValueInfo('x', 1, [2])],
    output: [makeValueInfo('y', 1, [2])],
    value_info: [makeValueInfo('a', 1, [2])],
  };
}

function only(findings: VerifyFinding[], code: string): VerifyFinding {
  const hits = findings.filter((f) => f.code === code);
  assert.equal(hits.length, 1, `expected one ${code} in ${JSON.stringify(findings)}`);
  return hits[0]!;
}

test('a valid graph has no findings and assertGraphValid passes', () => {
  const g = Graph.fromProto(validProto());
  assert.deepEqual(verifyGraph(g), []);
  assert.deepEqual(assertGraphValid(g, 'test'), []);
});

test('an input nobody defines is UNDEFINED_INPUT naming node and tensor', () => {
  const p = validProto();
  p.node![1]!.input = ['ghost'];
  const f = only(verifyGraph(Graph.fromProto(p)), 'UNDEFINED_INPUT');
  assert.equal(f.severity, 'error');
  assert.equal(f.node, "'relu' (Relu)");
  assert.equal(f.tensor, 'ghost');
  assert.match(f.message, /'relu' \(Relu\): input 0 'ghost' is not/);
});

test('reading a tensor before its producer is INPUT_BEFORE_PRODUCER naming the later producer', () => {
  const p = validProto();
  p.node!.reverse();
  const findings = verifyGraph(Graph.fromProto(p));
  const f = only(findings, 'INPUT_BEFORE_PRODUCER');
  assert.equal(f.tensor, 'a');
  assert.match(f.message, /'relu' \(Relu\): input 0 'a' is produced by 'mul' \(Mul\), which comes later/);
  assert.equal(findings.some((x) => x.code === 'CYCLE'), false, 'out of order is not a cycle');
});

test('a cycle is reported first, naming a node on it', () => {
  const p = validProto();
  p.node!.push(makeNode({ opType: 'Add', name: 'back', inputs: ['y', 'x'], outputs: ['loop'] }));
  p.node![0]!.input = ['loop', 'w'];
  const findings = verifyGraph(Graph.fromProto(p));
  assert.equal(findings[0]!.code, 'CYCLE');
  assert.match(findings[0]!.message, /'mul' \(Mul\)/);
  assert.match(findings[0]!.message, /'back' \(Add\)/);
  assert.throws(() => assertGraphValid(Graph.fromProto(p), 'MyTransform'), {
    code: 'E_GRAPH_INVALID', message: /^MyTransform: the graph has a cycle/,
  });
});

test('a tensor produced twice is DUPLICATE_PRODUCER naming both nodes', () => {
  const p = validProto();
  p.node!.push(makeNode({ opType: 'Relu', name: 'again', inputs: ['x'], outputs: ['a'] }));
  const f = only(verifyGraph(Graph.fromProto(p)), 'DUPLICATE_PRODUCER');
  assert.equal(f.tensor, 'a');
  assert.match(f.message, /'again' \(Relu\): output 'a' is produced also by 'mul' \(Mul\)/);
});

test('a node output that is an initializer or a graph input is flagged', () => {
  const p = validProto();
  p.node!.push(makeNode({ opType: 'Relu', name: 'w_writer', inputs: ['x'], outputs: ['w'] }));
  p.node!.push(makeNode({ opType: 'Relu', name: 'x_writer', inputs: ['y'], outputs: ['x'] }));
  const findings = verifyGraph(Graph.fromProto(p));
  assert.match(only(findings, 'OUTPUT_IS_INITIALIZER').message, /'w_writer' \(Relu\): output 'w'/);
  assert.match(only(findings, 'OUTPUT_IS_GRAPH_INPUT').message, /'x_writer' \(Relu\): output 'x'/);
});

test('a graph output nothing produces is UNPRODUCED_GRAPH_OUTPUT; inputs and initializers count as produced', () => {
  const p = validProto();
  p.output!.push(makeValueInfo('nothing', 1, [2]), makeValueInfo('x', 1, [2]), makeValueInfo('w', 1, [2]));
  const f = only(verifyGraph(Graph.fromProto(p)), 'UNPRODUCED_GRAPH_OUTPUT');
  assert.equal(f.tensor, 'nothing');
});

test('duplicate graph inputs, outputs and initializers are flagged', () => {
  const p = validProto();
  p.input!.push(makeValueInfo('x', 1, [2]));
  p.output!.push(makeValueInfo('y', 1, [2]));
  p.initializer!.push({ name: 'w', dims: [2], data_type: 1, float_data: [3, 4] });
  const findings = verifyGraph(Graph.fromProto(p));
  assert.equal(only(findings, 'DUPLICATE_GRAPH_INPUT').tensor, 'x');
  assert.equal(only(findings, 'DUPLICATE_GRAPH_OUTPUT').tensor, 'y');
  assert.equal(only(findings, 'DUPLICATE_INITIALIZER').tensor, 'w');
});

test('declared shapes and types must agree with initializer dims and data_type', () => {
  const p = validProto();
  p.value_info!.push(makeValueInfo('w', 1, [3]));
  p.initializer!.push({ name: 'k', dims: [2, 2], data_type: 7 });
  p.value_info!.push(makeValueInfo('k', 1, ['n', 2]));
  p.node![0]!.input = ['x', 'w', 'k'];
  const findings = verifyGraph(Graph.fromProto(p));
  assert.match(only(findings, 'SHAPE_MISMATCH').message, /initializer 'w' has dims \[2\] but its value_info declares \[3\]/);
  assert.match(only(findings, 'TYPE_MISMATCH').message, /initializer 'k' has data_type 7 but its value_info declares elem_type 1/);
});

test('a rank mismatch is a SHAPE_MISMATCH; symbolic dims match any size', () => {
  const p = validProto();
  p.value_info!.push(makeValueInfo('w', 1, [2, 1]));
  assert.equal(only(verifyGraph(Graph.fromProto(p)), 'SHAPE_MISMATCH').tensor, 'w');
  const q = validProto();
  q.value_info!.push(makeValueInfo('w', 1, ['n']));
  assert.deepEqual(verifyGraph(Graph.fromProto(q)), []);
});

test('conflicting declarations and negative dims are reported', () => {
  const p = validProto();
  p.value_info!.push(makeValueInfo('y', 1, [5]));
  p.value_info![0] = makeValueInfo('a', 1, [-1]);
  const findings = verifyGraph(Graph.fromProto(p));
  const conflict = only(findings, 'SHAPE_CONFLICT');
  assert.equal(conflict.severity, 'warning');
  assert.match(conflict.message, /tensor 'y': graph output declares \[2\] but value_info declares \[5\]/);
  assert.equal(only(findings, 'INVALID_DIM').tensor, 'a');
});

test('a node without op_type is flagged', () => {
  const p = validProto();
  delete p.node![1]!.op_type;
  assert.equal(only(verifyGraph(Graph.fromProto(p)), 'MISSING_OP_TYPE').node, "'relu' (?)");
});

test('names a subgraph defines itself are not flagged; its outer names are checked', () => {
  const body: GraphProto = {
    input: [{ name: 'iter' }, { name: 'cond_in' }],
    node: [
      makeNode({ opType: 'Add', inputs: ['iter', 'y'], outputs: ['inner'] }),
      makeNode({ opType: 'Identity', inputs: ['inner'], outputs: ['inner_out'] }),
      makeNode({ opType: 'Identity', inputs: ['cond_in'], outputs: ['cond_out'] }),
    ],
    output: [{ name: 'cond_out' }, { name: 'inner_out' }],
  };
  const p = validProto();
  const loop = makeNode({ opType: 'Loop', name: 'loop', inputs: ['', ''], outputs: ['loop_out'] });
  loop.attribute = [{ name: 'body', type: 5, g: body }];
  p.node!.push(loop);
  assert.deepEqual(verifyGraph(Graph.fromProto(p)), []);

  body.node![0]!.input = ['iter', 'missing_outer'];
  const f = only(verifyGraph(Graph.fromProto(p)), 'UNDEFINED_INPUT');
  assert.match(f.message, /'loop' \(Loop\): a subgraph uses 'missing_outer'/);
});

test('sparse initializers define tensors too', () => {
  const p = validProto();
  p.sparse_initializer = [{ values: { name: 's', dims: [1], data_type: 1 }, indices: { dims: [1], data_type: 7 }, dims: [4] }];
  p.node![1]!.input = ['a', 's'];
  assert.deepEqual(verifyGraph(Graph.fromProto(p)), []);
});

test('assertGraphValid puts the context first and counts further problems', () => {
  const p = validProto();
  p.node![1]!.input = ['ghost1', 'ghost2'];
  assert.throws(() => assertGraphValid(Graph.fromProto(p), 'FoldConstants'), (e: Error & { code?: string; kind?: string }) => {
    assert.equal(e.code, 'E_GRAPH_INVALID');
    assert.equal(e.kind, 'work');
    assert.equal(e.message, "FoldConstants: node 'relu' (Relu): input 0 'ghost1' is not a graph input, an initializer or the output of any node (and 1 more problem)");
    return true;
  });
  assert.throws(() => assertGraphValid(Graph.fromProto(p)), { message: /^invalid graph: / });
});

test('warnings alone do not make assertGraphValid throw', () => {
  const p = validProto();
  p.value_info!.push(makeValueInfo('y', 1, [5]));
  const warnings = assertGraphValid(Graph.fromProto(p), 'x');
  assert.deepEqual(warnings.map((f) => f.code), ['SHAPE_CONFLICT']);
});

test('the verifier follows mutations: a removed producer leaves its consumer undefined', () => {
  const g = Graph.fromProto(validProto());
  g.removeNode(g.findNode('mul')!);
  const findings = verifyGraph(g);
  assert.equal(only(findings, 'UNDEFINED_INPUT').tensor, 'a');
});
