import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Model } from '../../../src/ir/model.js';
import { makeValueInfo } from '../../../src/ir/shape.js';
import type { ModelProto } from '../../../src/onnx/proto-types.js';
import { ElemType } from '../../../src/tensor/element-type.js';
import { makeTensor, tensorFromProto, tensorToProto } from '../../../src/tensor/tensor-value.js';
import { applyTransform } from '../../../src/host.js';
import { QONNX, applyAndCheck, builtins, floatInit, node, outputsInOrder } from './support.js';

test('NormalizeDomains moves legacy domains to qonnx.custom_op.general and fixes opset_import', async () => {
  const m = new Model({
    ir_version: 7,
    opset_import: [{ domain: '', version: 11 }, { domain: 'onnx.brevitas', version: 1 }, { domain: 'finn.custom_op.general', version: 1 }],
    graph: {
      name: 'g',
      node: [
        node('Quant', ['x', 's', 'z', 'b'], ['q'], { domain: 'onnx.brevitas', attribute: [] }),
        node('MultiThreshold', ['q', 't'], ['y'], { domain: 'finn.custom_op.general' }),
      ],
      input: [makeValueInfo('x', ElemType.FLOAT, [1, 4])],
      output: [makeValueInfo('y', ElemType.FLOAT, [1, 4])],
      initializer: [floatInit('s', [], [0.5]), floatInit('z', [], [0]), floatInit('b', [], [4]), floatInit('t', [1, 2], [-0.5, 0.5])],
    },
  } as ModelProto);
  assert.equal((await applyAndCheck('NormalizeDomains', m)).changed, true);
  assert.deepEqual(m.graph.nodeList().map((n) => n.domain), [QONNX, QONNX]);
  assert.deepEqual([...m.opsets].sort(), [['', 11], [QONNX, 1]]);
});

test('NormalizeDomains moves a Quant written in the default domain', async () => {
  const m = new Model({
    ir_version: 7,
    opset_import: [{ domain: '', version: 11 }],
    graph: {
      name: 'g',
      node: [node('Quant', ['x', 's', 'z', 'b'], ['y'])],
      input: [makeValueInfo('x', ElemType.FLOAT, [4])],
      output: [makeValueInfo('y', ElemType.FLOAT, [4])],
      initializer: [floatInit('s', [], [0.25]), floatInit('z', [], [0]), floatInit('b', [], [3])],
    },
  } as ModelProto);
  // Before, nothing can run it (ONNX has no Quant); after, the executor's QONNX Quant does.
  const reg = await builtins();
  assert.equal((await applyTransform(reg, 'NormalizeDomains', m)).changed, true);
  assert.equal(m.graph.nodeList()[0]!.domain, QONNX);
  assert.equal(m.opsets.get(QONNX), 1);
  const [y] = await outputsInOrder(m, [makeTensor(ElemType.FLOAT, [4], Float32Array.of(0.3, -0.2, 2, -5))]);
  assert.deepEqual(Array.from(y!.data as Float32Array), [0.25, -0.25, 0.75, -0.75]); // 3 bits, signed, narrow (QONNX's code default): [-3, 3] · 0.25
  assert.equal((await applyTransform(reg, 'NormalizeDomains', m)).changed, false);
});

test('DoubleToSingleFloat turns float64 weights, types and casts into float32', async () => {
  const w = tensorToProto(makeTensor(ElemType.DOUBLE, [2], Float64Array.of(0.5, -2)), 'w');
  const m = new Model({
    ir_version: 8,
    opset_import: [{ domain: '', version: 13 }],
    graph: {
      name: 'g',
      node: [
        node('Mul', ['x', 'w'], ['m']),
        node('Cast', ['m'], ['c'], { attribute: [{ name: 'to', type: 2, i: ElemType.DOUBLE }] }),
        node('Abs', ['c'], ['y']),
      ],
      input: [makeValueInfo('x', ElemType.DOUBLE, [2])],
      output: [makeValueInfo('y', ElemType.DOUBLE, [2])],
      initializer: [w],
      value_info: [makeValueInfo('m', ElemType.DOUBLE, [2])],
    },
  } as ModelProto);
  const input = [makeTensor(ElemType.DOUBLE, [2], Float64Array.of(3, 0.25))];
  const before = await outputsInOrder(m, input);
  assert.equal((await applyTransform(await builtins(), 'DoubleToSingleFloat', m)).changed, true);
  assert.equal(m.graph.getInitializer('w')!.data_type, ElemType.FLOAT);
  assert.deepEqual(Array.from(tensorFromProto(m.graph.getInitializer('w')!).data as Float32Array), [0.5, -2]);
  assert.equal(m.graph.getElemType('x'), ElemType.FLOAT);
  assert.equal(m.graph.getElemType('m'), ElemType.FLOAT);
  assert.equal(m.graph.getElemType('y'), ElemType.FLOAT);
  const after = await outputsInOrder(m, [makeTensor(ElemType.FLOAT, [2], Float32Array.of(3, 0.25))]);
  assert.equal(after[0]!.elemType, ElemType.FLOAT);
  assert.deepEqual(Array.from(after[0]!.data as Float32Array), Array.from(before[0]!.data as Float64Array));
  assert.equal((await applyTransform(await builtins(), 'DoubleToSingleFloat', m)).changed, false);
});
