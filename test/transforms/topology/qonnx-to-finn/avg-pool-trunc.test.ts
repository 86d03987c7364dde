import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getInt } from '../../../../src/index.js';
import { QONNX, applyAll, assertClose, buildModel, cloneModel, f32, input, node, opTypes, quant, run, seededRandom } from './support.js';

const T = ['QuantActToMultiThreshold', 'AvgPoolTruncToQuantAvgPool'];

function pooledModel(p: { bits: number; signed: number; scale: number; k: number; inBw: number; outBw: number }, hw: number) {
  const q = quant('x', 'xq', { scale: p.scale, bits: p.bits, signed: p.signed, narrow: 0 });
  const oh = Math.floor((hw - p.k) / p.k) + 1;
  return buildModel({
    nodes: [
      q.node,
      node('AveragePool', ['xq'], ['ap'], { kernel_shape: [p.k, p.k], strides: [p.k, p.k] }),
      node('Mul', ['ap', 'kk'], ['sum']),
      node('Trunc', ['sum', 'ts', 'tz', 'tin', 'tout'], ['y'], { rounding_mode: 'FLOOR' }, QONNX),
    ],
    inputs: [['x', [1, 2, hw, hw]]], outputs: [['y', [1, 2, oh, oh]]],
    inits: [...q.inits, f32('kk', [], [p.k * p.k]), f32('ts', [], [p.scale]), f32('tz', [], [0]), f32('tin', [], [p.inBw]), f32('tout', [], [p.outBw])],
  });
}

for (const p of [
  { bits: 4, signed: 0, scale: 0.5, k: 2, inBw: 6, outBw: 4 },
  { bits: 3, signed: 1, scale: 0.25, k: 3, inBw: 7, outBw: 3 },
  { bits: 2, signed: 0, scale: 1, k: 2, inBw: 4, outBw: 4 },
]) {
  test(`AveragePool(k=${p.k}) + Mul + Trunc on ${p.signed ? 'INT' : 'UINT'}${p.bits}·${p.scale} becomes QuantAvgPool2d, outputs exact`, async () => {
    const hw = p.k * 4;
    const m = pooledModel(p, hw);
    const r = seededRandom(11);
    const range = 2 ** p.bits * p.scale;
    const x = { x: input([1, 2, hw, hw], Array.from({ length: 2 * hw * hw }, () => r(-range, range))) };
    const before = await run(m, x);
    const after = cloneModel(m);
    assert.deepEqual(await applyAll(after, T), T);
    assert.deepEqual(opTypes(after), p.scale === 1 ? ['MultiThreshold', 'QuantAvgPool2d'] : ['MultiThreshold', 'QuantAvgPool2d', 'Mul']);
    const qap = after.graph.nodeList()[1]!;
    assert.equal(qap.domain, QONNX);
    assert.equal(qap.inputs[0], after.graph.nodeList()[0]!.outputs[0], 'reads the integers straight from the MultiThreshold');
    assert.equal(getInt(qap, 'kernel'), p.k);
    assert.equal(getInt(qap, 'ibits'), p.bits);
    assert.equal(getInt(qap, 'signed'), p.signed);
    assertClose(before, await run(after, x));
  });
}

test('an AveragePool whose Mul is not k² (a plain average) is left alone', async () => {
  const m = pooledModel({ bits: 4, signed: 0, scale: 0.5, k: 2, inBw: 6, outBw: 4 }, 4);
  m.graph.setInitializer(f32('kk', [], [3]));
  await applyAll(m, ['QuantActToMultiThreshold']);
  assert.deepEqual(await applyAll(m, ['AvgPoolTruncToQuantAvgPool']), []);
  assert.ok(opTypes(m).includes('AveragePool'));
});
