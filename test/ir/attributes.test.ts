import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  getBytes, getFloat, getFloats, getGraph, getInt, getIntBig, getInts, getIntsBig, getString, getStrings, getTensor,
  hasAttribute, attributeNames, removeAttribute, setFloat, setFloats, setGraph, setInt, setInts, setString, setStrings,
  setTensor,
} from '../../src/ir/attributes.js';
import { Graph } from '../../src/ir/graph.js';
import { makeNode } from '../../src/ir/node.js';
import { AttributeType, type NodeProto } from '../../src/onnx/proto-types.js';
import { Long } from '../../src/onnx/int64.js';

function convNode(): NodeProto {
  return makeNode({
    opType: 'Conv', name: 'conv0', inputs: ['x', 'w'], outputs: ['y'],
    attributes: [
      { name: 'group', type: AttributeType.INT, i: Long.fromNumber(2) },
      { name: 'kernel_shape', type: AttributeType.INTS, ints: [Long.fromNumber(3), 3] },
      { name: 'alpha', type: AttributeType.FLOAT, f: 0.5 },
      { name: 'auto_pad', type: AttributeType.STRING, s: new TextEncoder().encode('SAME_UPPER') },
      { name: 'labels', type: AttributeType.STRINGS, strings: [new TextEncoder().encode('größe'), new TextEncoder().encode('b')] },
      { name: 'scales', type: AttributeType.FLOATS, floats: [1.5, 2] },
      { name: 'huge', type: AttributeType.INT, i: Long.fromString('9223372036854775807') },
      { name: 'ends', type: AttributeType.INTS, ints: [Long.fromString('9223372036854775807'), 1] },
    ],
  });
}

test('typed getters convert Long, decode UTF-8 and copy lists', () => {
  const n = convNode();
  assert.equal(getInt(n, 'group'), 2);
  assert.deepEqual(getInts(n, 'kernel_shape'), [3, 3]);
  assert.equal(getFloat(n, 'alpha'), 0.5);
  assert.equal(getString(n, 'auto_pad'), 'SAME_UPPER');
  assert.deepEqual(getBytes(n, 'auto_pad'), new TextEncoder().encode('SAME_UPPER'));
  assert.deepEqual(getStrings(n, 'labels'), ['größe', 'b']);
  assert.deepEqual(getFloats(n, 'scales'), [1.5, 2]);
  getFloats(n, 'scales').push(9);
  assert.deepEqual(getFloats(n, 'scales'), [1.5, 2], 'a returned list is a copy');
  assert.deepEqual(attributeNames(n).slice(0, 2), ['group', 'kernel_shape']);
});

test('the BigInt getters are exact over the whole int64 range; the number getters refuse inexact values', () => {
  const n = convNode();
  assert.equal(getIntBig(n, 'huge'), 9223372036854775807n);
  assert.deepEqual(getIntsBig(n, 'ends'), [9223372036854775807n, 1n]);
  assert.throws(() => getInt(n, 'huge'), { code: 'E_ATTRIBUTE_RANGE', message: /'conv0' \(Conv\): attribute 'huge' holds 9223372036854775807/ });
  assert.throws(() => getInts(n, 'ends'), { code: 'E_ATTRIBUTE_RANGE' });
});

test('defaults apply only to missing attributes; missing without default is an error', () => {
  const n = convNode();
  assert.equal(getInt(n, 'missing', 7), 7);
  assert.equal(getIntBig(n, 'missing', 7n), 7n);
  assert.equal(getString(n, 'missing', 'NOTSET'), 'NOTSET');
  assert.deepEqual(getInts(n, 'missing', [1, 1]), [1, 1]);
  assert.equal(getInt(n, 'group', 99), 2);
  assert.throws(() => getInt(n, 'missing'), { code: 'E_ATTRIBUTE_MISSING', message: "node 'conv0' (Conv): attribute 'missing' is missing" });
  assert.throws(() => getTensor(n, 'missing'), { code: 'E_ATTRIBUTE_MISSING' });
  assert.throws(() => getGraph(n, 'missing'), { code: 'E_ATTRIBUTE_MISSING' });
  assert.equal(hasAttribute(n, 'group'), true);
  assert.equal(hasAttribute(n, 'missing'), false);
});

test('a wrong type is E_ATTRIBUTE_TYPE naming node, attribute, actual and expected type', () => {
  const n = convNode();
  assert.throws(() => getFloat(n, 'group'), { code: 'E_ATTRIBUTE_TYPE', message: "node 'conv0' (Conv): attribute 'group' is INT, expected FLOAT" });
  assert.throws(() => getInts(n, 'group', [1]), { code: 'E_ATTRIBUTE_TYPE', message: /is INT, expected INTS/ });
  assert.throws(() => getString(n, 'labels'), { code: 'E_ATTRIBUTE_TYPE', message: /is STRINGS, expected STRING/ });
});

test('an attribute without a type field is typed by its populated field', () => {
  const n = makeNode({ opType: 'Old', attributes: [{ name: 'axis', i: 1 }, { name: 'pads', ints: [0, 1] }, { name: 'mode', s: new TextEncoder().encode('x') }] });
  assert.equal(getInt(n, 'axis'), 1);
  assert.deepEqual(getInts(n, 'pads'), [0, 1]);
  assert.equal(getString(n, 'mode'), 'x');
  assert.throws(() => getFloat(n, 'axis'), { code: 'E_ATTRIBUTE_TYPE' });
});

test('setters write the right type enum, replace in place and keep doc_string', () => {
  const n = convNode();
  n.attribute![0]!.doc_string = 'groups of channels';
  setInt(n, 'group', 4);
  assert.equal(n.attribute![0]!.name, 'group');
  assert.equal(n.attribute![0]!.type, AttributeType.INT);
  assert.equal(n.attribute![0]!.doc_string, 'groups of channels');
  assert.equal(getInt(n, 'group'), 4);
  setInt(n, 'big', 2n ** 62n);
  assert.equal(getIntBig(n, 'big'), 2n ** 62n);
  assert.throws(() => setInt(n, 'bad', 1.5), { code: 'E_ATTRIBUTE_RANGE' });
  setFloat(n, 'alpha', 0.25);
  setString(n, 'auto_pad', 'VALID');
  setInts(n, 'kernel_shape', [5, 5n]);
  setFloats(n, 'scales', [3]);
  setStrings(n, 'labels', ['ü']);
  setTensor(n, 'value', { dims: [1], data_type: 1, float_data: [2] });
  setGraph(n, 'body', { name: 'g' });
  const types = Object.fromEntries(n.attribute!.map((a) => [a.name, a.type]));
  assert.equal(types.alpha, AttributeType.FLOAT);
  assert.equal(types.auto_pad, AttributeType.STRING);
  assert.equal(types.kernel_shape, AttributeType.INTS);
  assert.equal(types.scales, AttributeType.FLOATS);
  assert.equal(types.labels, AttributeType.STRINGS);
  assert.equal(types.value, AttributeType.TENSOR);
  assert.equal(types.body, AttributeType.GRAPH);
  assert.equal(getString(n, 'auto_pad'), 'VALID');
  assert.deepEqual(getInts(n, 'kernel_shape'), [5, 5]);
  assert.deepEqual(getStrings(n, 'labels'), ['ü']);
  assert.equal(getTensor(n, 'value').float_data![0], 2);
  assert.equal(getGraph(n, 'body').name, 'g');
  assert.equal(removeAttribute(n, 'body'), true);
  assert.equal(removeAttribute(n, 'body'), false);
  assert.equal(hasAttribute(n, 'body'), false);
});

test('setters never write into a shared frozen attribute list', () => {
  const frozen = Object.freeze([]) as unknown as NodeProto['attribute'];
  const n = Object.create({ attribute: frozen }) as NodeProto;
  n.op_type = 'Relu';
  setInt(n, 'x', 1);
  assert.equal(getInt(n, 'x'), 1);
  assert.equal(frozen!.length, 0);
});

test('setting an attribute through a graph node marks the graph modified', () => {
  const g = Graph.fromProto({ node: [convNode()] });
  assert.equal(g.modified, false);
  const node = g.firstNode!;
  assert.equal(getInt(node, 'group'), 2);
  assert.equal(g.modified, false, 'reading does not modify');
  setInt(node, 'group', 1);
  assert.equal(g.modified, true);
});
