import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph } from '../../src/ir/graph.js';
import { makeNode } from '../../src/ir/node.js';
import { makeValueInfo, UNKNOWN_DIM } from '../../src/ir/shape.js';
import { setGraph } from '../../src/ir/attributes.js';
import type { GraphProto } from '../../src/onnx/proto-types.js';
import { Long } from '../../src/onnx/int64.js';
import { indexConsistency } from './support.js';

/** x (input) → Mul(x, w) → y → If(cond){ then: Add(y, w) } → z (output), with every kind of reference. */
function richGraph(): GraphProto {
  const thenBranch: GraphProto = {
    name: 'then',
    node: [makeNode({ opType: 'Add', inputs: ['y', 'w'], outputs: ['inner'] })],
    output: [makeValueInfo('inner', 1, [2])],
  };
  const elseBranch: GraphProto = {
    name: 'else',
    // Defines its own 'y', which shadows the outer one: a rename of the outer 'y' must not touch it.
    node: [
      makeNode({ opType: 'Identity', inputs: ['w'], outputs: ['y'] }),
      makeNode({ opType: 'Identity', inputs: ['y'], outputs: ['inner2'] }),
    ],
    output: [makeValueInfo('inner2', 1, [2])],
  };
  const ifNode = makeNode({ opType: 'If', name: 'if0', inputs: ['cond'], outputs: ['z'] });
  ifNode.attribute = [
    { name: 'then_branch', type: 5, g: thenBranch },
    { name: 'else_branch', type: 5, g: elseBranch },
  ];
  return {
    name: 'rich',
    node: [makeNode({ opType: 'Mul', name: 'mul0', inputs: ['x', 'w'], outputs: ['y'] }), ifNode],
    initializer: [{ name: 'w', dims: [2], data_type: 1, float_data: [1, 2] }],
    input: [makeValueInfo('x', 1, [2]), makeValueInfo('cond', 9, [])],
    output: [makeValueInfo('z', 1, [2])],
    value_info: [makeValueInfo('y', 1, [2])],
    quantization_annotation: [
      { tensor_name: 'y', quant_parameter_tensor_names: [{ key: 'finn_datatype', value: 'INT8' }, { key: 'SCALE_TENSOR', value: 'w' }] },
      { tensor_name: 'w', quant_parameter_tensor_names: [{ key: 'finn_datatype', value: 'INT2' }] },
    ],
  };
}

test('renameTensor updates producer, consumers, subgraph uses, value_info and annotations', () => {
  const proto = richGraph();
  const g = Graph.fromProto(proto);
  g.renameTensor('y', 'y2');
  assert.deepEqual(g.findNode('mul0')!.outputs, ['y2']);
  assert.equal(g.producer('y2'), g.findNode('mul0'));
  assert.equal(g.producer('y'), undefined);
  const ifNode = g.findNode('if0')!;
  const thenG = ifNode.attributes[0]!.g!;
  const elseG = ifNode.attributes[1]!.g!;
  assert.deepEqual(thenG.node![0]!.input, ['y2', 'w']);
  assert.deepEqual(elseG.node![1]!.input, ['y'], 'the else branch defines its own y');
  assert.equal(g.getValueInfo('y2')?.name, 'y2');
  assert.equal(g.getValueInfo('y'), undefined);
  assert.equal(g.getDatatypeName('y2'), 'INT8');
  assert.equal(g.getDatatypeName('y'), undefined);
  assert.ok(g.modified);
  assert.deepEqual(indexConsistency(g), []);
});

test('renameTensor updates graph inputs, outputs, initializers and tensor-valued annotation keys', () => {
  const g = Graph.fromProto(richGraph());
  g.renameTensor('x', 'x_in');
  g.renameTensor('z', 'z_out');
  g.renameTensor('w', 'weights');
  assert.deepEqual(g.inputNames(), ['x_in', 'cond']);
  assert.deepEqual(g.outputNames(), ['z_out']);
  assert.ok(g.isGraphInput('x_in') && !g.isGraphInput('x'));
  assert.ok(g.isGraphOutput('z_out') && !g.isGraphOutput('z'));
  assert.equal(g.producer('z_out'), g.findNode('if0'));
  assert.ok(g.isInitializer('weights') && !g.isInitializer('w'));
  assert.equal(g.getInitializer('weights')!.name, 'weights');
  assert.deepEqual(g.findNode('mul0')!.inputs, ['x_in', 'weights']);
  assert.equal(g.getAnnotation('y', 'SCALE_TENSOR'), 'weights');
  assert.equal(g.getDatatypeName('weights'), 'INT2');
  const ifNode = g.findNode('if0')!;
  assert.deepEqual(ifNode.attributes[0]!.g!.node![0]!.input, ['y', 'weights']);
  assert.deepEqual(ifNode.attributes[1]!.g!.node![0]!.input, ['weights']);
  // Written back, the proto says the same.
  const out: GraphProto = {};
  g.writeTo(out);
  assert.deepEqual(out.initializer!.map((t) => t.name), ['weights']);
  assert.deepEqual(out.input!.map((v) => v.name), ['x_in', 'cond']);
  const ann = out.quantization_annotation!.find((a) => a.tensor_name === 'y')!;
  assert.deepEqual(ann.quant_parameter_tensor_names, [{ key: 'finn_datatype', value: 'INT8' }, { key: 'SCALE_TENSOR', value: 'weights' }]);
});

test('renameTensor refuses a name in use anywhere, subgraphs included', () => {
  const g = Graph.fromProto(richGraph());
  assert.throws(() => g.renameTensor('y', 'w'), { code: 'E_TENSOR_EXISTS', message: /'w' is already used/ });
  assert.throws(() => g.renameTensor('y', 'inner'), { code: 'E_TENSOR_EXISTS' });
  assert.throws(() => g.renameTensor('y', ''), { code: 'E_TENSOR_NAME' });
  assert.equal(g.modified, false);
});

test('renaming keeps the position of initializers and value infos', () => {
  const g = Graph.create();
  for (const n of ['a', 'b', 'c']) {
    g.setInitializer({ name: n, dims: [1], data_type: 1, float_data: [0] });
    g.setValueInfo(makeValueInfo(`v${n}`, 1, [1]));
  }
  g.renameTensor('a', 'a2');
  g.renameTensor('vb', 'vb2');
  assert.deepEqual(g.initializerNames(), ['a2', 'b', 'c']);
  assert.deepEqual(g.valueInfos().map((v) => v.name), ['va', 'vb2', 'vc']);
  g.setInitializer({ name: 'b', dims: [2], data_type: 1, float_data: [0, 0] });
  assert.deepEqual(g.initializerNames(), ['a2', 'b', 'c'], 'replacing keeps the position');
  assert.deepEqual(g.getShape('b'), [2]);
  assert.equal(g.removeInitializer('a2'), true);
  assert.equal(g.removeInitializer('a2'), false);
  assert.deepEqual(g.initializerNames(), ['b', 'c']);
});

test('many removals compact the tables without losing order', () => {
  const g = Graph.create();
  for (let i = 0; i < 200; i++) g.setInitializer({ name: `i${i}`, dims: [1], data_type: 1 });
  for (let i = 0; i < 200; i++) if (i % 3 !== 0) g.removeInitializer(`i${i}`);
  const expect = Array.from({ length: 67 }, (_, k) => `i${3 * k}`);
  assert.deepEqual(g.initializerNames(), expect);
  assert.ok(g.isInitializer('i198') && !g.isInitializer('i199'));
});

test('graph inputs and outputs: add at a position, remove, membership', () => {
  const g = Graph.create();
  g.addInput(makeValueInfo('a', 1, [1]));
  g.addInput(makeValueInfo('b', 1, [1]));
  g.addInput(makeValueInfo('first', 1, [1]), 0);
  assert.deepEqual(g.inputNames(), ['first', 'a', 'b']);
  assert.ok(g.removeInput('a'));
  assert.ok(!g.removeInput('a'));
  assert.ok(!g.isGraphInput('a') && g.isGraphInput('b'));
  g.addOutput(makeValueInfo('o', 1, [1]));
  g.addOutput(makeValueInfo('o', 1, [1]));
  assert.ok(g.removeOutput('o'));
  assert.ok(g.isGraphOutput('o'), 'one of the two entries is left');
  assert.ok(g.removeOutput('o'));
  assert.ok(!g.isGraphOutput('o'));
});

test('shapes and element types: read from initializers, inputs and value_info; set where declared', () => {
  const g = Graph.fromProto(richGraph());
  assert.deepEqual(g.getShape('w'), [2]);
  assert.equal(g.getElemType('w'), 1);
  assert.deepEqual(g.getShape('x'), [2]);
  assert.deepEqual(g.getShape('cond'), []);
  assert.equal(g.getElemType('cond'), 9);
  assert.equal(g.getShape('nowhere'), undefined);

  g.setShape('x', ['N', 2]);
  assert.deepEqual(g.getShape('x'), ['N', 2]);
  assert.equal(g.getElemType('x'), 1, 'element type kept');
  assert.equal(g.valueInfos().some((v) => v.name === 'x'), false, 'a graph input is updated in place, not added to value_info');

  g.setShape('fresh', [UNKNOWN_DIM, 3], 10);
  assert.deepEqual(g.getShape('fresh'), [UNKNOWN_DIM, 3]);
  assert.equal(g.getElemType('fresh'), 10);
  assert.deepEqual(g.valueInfos().find((v) => v.name === 'fresh')!.type!.tensor_type!.shape!.dim, [{}, { dim_value: 3 }]);

  g.setElemType('y', 7);
  assert.equal(g.getElemType('y'), 7);
  assert.deepEqual(g.getShape('y'), [2]);
  g.setShape('y', undefined);
  assert.equal(g.getShape('y'), undefined, 'unknown rank');
  assert.equal(g.getElemType('y'), 7);
});

test('shapes decoded as Long dims read as numbers', () => {
  const g = Graph.fromProto({
    input: [{ name: 'x', type: { tensor_type: { elem_type: 1, shape: { dim: [{ dim_value: Long.fromNumber(3) }, { dim_param: 'batch' }, {}] } } } }],
    initializer: [{ name: 'w', dims: [Long.fromNumber(4), Long.fromNumber(5)], data_type: 1 }],
  });
  assert.deepEqual(g.getShape('x'), [3, 'batch', UNKNOWN_DIM]);
  assert.deepEqual(g.getShape('w'), [4, 5]);
});

test('annotations: datatype and layout getters/setters, removal drops an empty entry', () => {
  const g = Graph.fromProto(richGraph());
  assert.equal(g.getDatatypeName('y'), 'INT8');
  g.setDatatypeName('y', 'UINT4');
  assert.equal(g.getDatatypeName('y'), 'UINT4');
  g.setTensorLayout('x', ['N', 'C', 'H', 'W']);
  assert.equal(g.getAnnotation('x', 'tensor_layout'), "['N', 'C', 'H', 'W']");
  assert.deepEqual(g.getTensorLayout('x'), ['N', 'C', 'H', 'W']);
  g.setAnnotation('x', 'tensor_layout', '["N", "C"]');
  assert.deepEqual(g.getTensorLayout('x'), ['N', 'C']);
  g.setAnnotation('x', 'tensor_layout', 'NCHW');
  assert.throws(() => g.getTensorLayout('x'), { code: 'E_ANNOTATION_INVALID', message: /tensor 'x'/ });
  g.setTensorLayout('x', undefined);
  assert.equal(g.annotationsOf('x'), undefined);
  assert.deepEqual(g.annotatedTensors(), ['y', 'w']);
});

test('an unmodified graph is not marked modified; reading does not change it', () => {
  const g = Graph.fromProto(richGraph());
  g.nodeList();
  g.findNode('mul0');
  g.getShape('x');
  g.uniqueTensorName('t');
  g.topologicalSort();
  g.renameTensor('x', 'x');
  g.setDatatypeName('y', 'INT8');
  assert.equal(g.modified, false);
});

test('writeTo writes nodes, tables, inputs/outputs and annotations and keeps other fields', () => {
  const proto = richGraph();
  proto.doc_string = 'keep me';
  const g = Graph.fromProto(proto);
  const mul = g.findNode('mul0')!;
  const relu = g.insertAfter(mul, makeNode({ opType: 'Relu', inputs: ['y'], outputs: ['y_relu'] }));
  g.setInput(g.findNode('if0')!, 0, 'cond');
  g.setValueInfo(makeValueInfo('y_relu', 1, [2]));
  g.writeTo(proto);
  assert.equal(proto.doc_string, 'keep me');
  assert.equal(proto.name, 'rich');
  assert.deepEqual(proto.node!.map((n) => n.op_type), ['Mul', 'Relu', 'If']);
  assert.equal(proto.node![1], relu.proto);
  assert.deepEqual(proto.value_info!.map((v) => v.name), ['y', 'y_relu']);
  assert.equal(proto.quantization_annotation!.length, 2);
  const again = Graph.fromProto(proto);
  assert.deepEqual(again.nodeList().map((n) => n.proto), g.nodeList().map((n) => n.proto));
});

test('attribute setters on a node in a graph mark the graph modified and track subgraphs', () => {
  const g = Graph.fromProto({ node: [makeNode({ opType: 'Loop', name: 'loop', inputs: ['m'], outputs: ['o'] })] });
  assert.equal(g.hasTensor('body_value'), false);
  const loop = g.findNode('loop')!;
  setGraph(loop, 'body', { node: [makeNode({ opType: 'Identity', inputs: ['outer'], outputs: ['body_value'] })] });
  assert.ok(g.modified);
  assert.deepEqual(g.subgraphNodes(), [loop]);
  assert.equal(g.hasTensor('body_value'), true);
  g.renameTensor('outer', 'outer2');
  assert.deepEqual(loop.attributes[0]!.g!.node![0]!.input, ['outer2']);
});
