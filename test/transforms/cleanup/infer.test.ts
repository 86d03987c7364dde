import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyTransform } from '../../../src/host.js';
import { DataTypes } from '../../../src/datatype/registry.js';
import { F, QONNX, applyAndCheck, builtins, floatInit, int64Init, makeModel, node } from './support.js';


test('InferShapes writes value_info for every intermediate tensor, outputs unchanged', async () => {
  const m = makeModel({
    nodes: [
      node('Reshape', ['x', 'shape'], ['flat']),
      node('MatMul', ['flat', 'w'], ['h']),
      node('Relu', ['h'], ['y']),
    ],
    inputs: [['x', [1, 2, 2]]],
    outputs: [['y', undefined]],
    initializers: [int64Init('shape', [1, -1]), floatInit('w', [4, 3], [1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1])],
  });
  assert.equal(m.graph.getValueInfo('h'), undefined);
  assert.equal((await applyAndCheck('InferShapes', m)).changed, true);
  assert.deepEqual(m.graph.getShape('flat'), [1, 4]);
  assert.deepEqual(m.graph.getShape('h'), [1, 3]);
  assert.deepEqual(m.graph.getShape('y'), [1, 3]);
  assert.equal(m.graph.getElemType('h'), F);
});

function quantModel(scale: number, bits: number, signed: number) {
  return makeModel({
    nodes: [
      node('Quant', ['x', 's', 'z', 'b'], ['xq'], { domain: QONNX, attribute: [{ name: 'signed', type: 2, i: signed }, { name: 'narrow', type: 2, i: 0 }] }),
      node('Quant', ['w', 's1', 'z', 'bw'], ['wq'], { domain: QONNX, attribute: [{ name: 'narrow', type: 2, i: 0 }] }),
      node('MatMul', ['xq', 'wq'], ['acc']),
      node('Add', ['xq', 'three'], ['shifted']),
      node('Mul', ['shifted', 'minus2'], ['scaled']),
      node('Reshape', ['scaled', 'shape'], ['r']),
      node('Relu', ['acc'], ['y']),
      node('Mul', ['r', 'half'], ['y2']),
    ],
    inputs: [['x', [1, 4]]],
    outputs: [['y', [1, 2]], ['y2', [4]]],
    initializers: [floatInit('s', [], [scale]), floatInit('s1', [], [1]), floatInit('z', [], [0]), floatInit('b', [], [bits]),
      floatInit('bw', [], [1]), floatInit('w', [4, 2], [0.5, -0.5, 1, -1, 2, -2, 0.1, -0.1]), floatInit('three', [], [3]),
      floatInit('minus2', [], [-2]), int64Init('shape', [4]), floatInit('half', [], [0.5])],
  });
}

test('InferDataTypes: integer Quant outputs, BIPOLAR weights, INT32 MAC, range analysis for Add/Mul, passthrough Reshape', async () => {
  const m = quantModel(1, 4, 0);
  assert.equal((await applyAndCheck('InferDataTypes', m)).changed, true);
  const dt = (t: string) => m.graph.getDatatypeName(t);
  assert.equal(dt('xq'), 'UINT4');
  assert.equal(dt('wq'), 'BIPOLAR');
  assert.equal(dt('acc'), 'INT32'); // FINN: integer MACs are INT32 (UINT32 only if every input is unsigned)
  assert.equal(dt('shifted'), 'UINT5'); // [0,15] + 3 = [3,18]
  assert.equal(dt('scaled'), 'INT7'); // [3,18] · -2 = [-36,-6]
  assert.equal(dt('r'), 'INT7');
  assert.equal(dt('y'), 'UINT31'); // Relu of INT32: [0, 2^31-1]
  assert.equal(dt('y2'), 'FLOAT32'); // a fractional constant
  assert.equal(dt('w'), undefined); // weights are not given invented types
});

test('InferDataTypes: scaled quantizers are FLOAT32, or SCALEDINT<b> with allowScaledInt; signed 1-bit is BIPOLAR', async () => {
  const reg = await builtins();
  const m = quantModel(0.5, 4, 1);
  await applyTransform(reg, 'InferDataTypes', m);
  assert.equal(m.graph.getDatatypeName('xq'), 'FLOAT32');
  assert.equal(m.graph.getDatatypeName('acc'), 'FLOAT32');
  await applyTransform(reg, 'InferDataTypes', m, { allowScaledInt: true });
  assert.equal(m.graph.getDatatypeName('xq'), 'SCALEDINT<4>');
  assert.equal(m.graph.getDatatypeName('acc'), 'SCALEDINT<32>');
  const b = quantModel(1, 1, 1);
  await applyTransform(reg, 'InferDataTypes', b);
  assert.equal(b.graph.getDatatypeName('xq'), 'BIPOLAR');
});

test('InferDataTypes: MultiThreshold uses out_dtype, or the value set out_scale·n + out_bias', async () => {
  const mt = (attrs: { name: string; type: number; s?: Uint8Array; f?: number }[]) => makeModel({
    nodes: [node('MultiThreshold', ['x', 't'], ['y'], { domain: QONNX, attribute: attrs })],
    inputs: [['x', [1, 2]]],
    outputs: [['y', [1, 2]]],
    initializers: [floatInit('t', [2, 3], [-1, 0, 1, -1, 0, 1])],
  });
  const s = (v: string) => new TextEncoder().encode(v);
  const a = mt([{ name: 'out_dtype', type: 3, s: s('UINT2') }]);
  await applyAndCheck('InferDataTypes', a);
  assert.equal(a.graph.getDatatypeName('y'), 'UINT2');
  const b = mt([{ name: 'out_dtype', type: 3, s: s('UINT2') }, { name: 'out_bias', type: 1, f: -2 }]);
  await applyAndCheck('InferDataTypes', b);
  assert.equal(b.graph.getDatatypeName('y'), 'INT2'); // {-2..1}
  const c = mt([{ name: 'out_dtype', type: 3, s: s('UINT2') }, { name: 'out_scale', type: 1, f: 0.5 }]);
  await applyAndCheck('InferDataTypes', c);
  assert.equal(c.graph.getDatatypeName('y'), 'FLOAT32');
});

test('InferDataTypes leaves unknown custom ops alone', async () => {
  const m = makeModel({
    nodes: [node('Mystery', ['x'], ['h'], { domain: 'acme.hw' }), node('Reshape', ['h', 'shape'], ['y'])],
    inputs: [['x', [2, 2]]],
    outputs: [['y', [4]]],
    initializers: [int64Init('shape', [4])],
  });
  const reg = await builtins();
  m.graph.setDatatypeName('h', 'INT3');
  await applyTransform(reg, 'InferDataTypes', m);
  assert.equal(m.graph.getDatatypeName('h'), 'INT3');
  assert.equal(m.graph.getDatatypeName('y'), 'INT3');
});

test('InferDataTypes: BipolarQuant with scale 1 is BIPOLAR, Trunc to 3 unsigned bits is UINT3, MaxPool passes types through', async () => {
  const m = makeModel({
    nodes: [
      node('BipolarQuant', ['x', 'one'], ['b'], { domain: QONNX }),
      node('Quant', ['x', 'one', 'zero', 'eight'], ['q'], { domain: QONNX, attribute: [{ name: 'narrow', type: 2, i: 0 }] }),
      node('Trunc', ['q', 'one', 'zero', 'eight', 'one', 'three'], ['t'], { domain: QONNX, attribute: [{ name: 'signed', type: 2, i: 0 }, { name: 'rounding_mode', type: 3, s: new TextEncoder().encode('FLOOR') }] }),
      node('MaxPool', ['b'], ['p'], { attribute: [{ name: 'kernel_shape', type: 7, ints: [2, 2] }] }),
    ],
    inputs: [['x', [1, 1, 4, 4]]],
    outputs: [['p', [1, 1, 3, 3]], ['t', [1, 1, 4, 4]]],
    initializers: [floatInit('one', [], [1]), floatInit('zero', [], [0]), floatInit('eight', [], [8]), floatInit('three', [], [3])],
  });
  await applyAndCheck('InferDataTypes', m);
  assert.equal(m.graph.getDatatypeName('b'), 'BIPOLAR');
  assert.equal(m.graph.getDatatypeName('q'), 'INT8');
  assert.equal(m.graph.getDatatypeName('t'), 'UINT3');
  assert.equal(m.graph.getDatatypeName('p'), 'BIPOLAR');
});
