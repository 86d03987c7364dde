// MakeScaleResizeNHWC: a nearest-neighbour Resize/Upsample on an NCHW tensor moves to NHWC between
// Transposes (scales or sizes permuted), the Transposes cancel against the lowered convolutions' ones, and
// InferUpsample then maps it. Outputs are compared with onnxruntime running the Resize.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getAttribute, tensorFromProto, tensorToNumbers, type Model } from '../../../../src/index.js';
import { resizeModel, sameWithOrt } from '../../kernel_mapping/resize-models.js';
import { applyAll, cloneModel, histogram } from '../../kernel_mapping/support.js';
import { attrInts, attrS, buildModel, node, opTypes } from '../support.js';

const NCHW_IN = [1, 2, 3, 3];
const NCHW_OUT = [1, 2, 6, 6];

/** The NHWC Resize's scales or sizes, or Upsample-7's scales attribute. */
function params(m: Model, op: string): number[] {
  const [r] = m.graph.nodesByOpType(op);
  if (op === 'Upsample' && !r!.inputs[1]) return getAttribute(r!, 'scales')!.floats!;
  const t = r!.inputs[3] || r!.inputs[op === 'Resize' && r!.inputs.length > 2 ? 2 : 1]!;
  return Array.from(tensorToNumbers(tensorFromProto(m.graph.getInitializer(t)!)));
}

test('every ONNX form moves to NHWC with its scales or sizes permuted, same outputs; then InferUpsample maps it', async () => {
  const forms = [
    ['scales', 'Resize', [1, 2, 2, 1]], ['sizes', 'Resize', [1, 6, 6, 2]], ['resize10', 'Resize', [1, 2, 2, 1]],
    ['upsample9', 'Upsample', [1, 2, 2, 1]], ['upsample7', 'Upsample', [1, 2, 2, 1]],
  ] as const;
  for (const [form, op, want] of forms) {
    const model = resizeModel(NCHW_IN, NCHW_OUT, form, [1, 1, 2, 2], { ctm: 'asymmetric', nm: 'floor' }, 'UINT4');
    const original = cloneModel(model);
    assert.deepEqual(await applyAll(model, ['MakeScaleResizeNHWC']), ['MakeScaleResizeNHWC'], form);
    assert.deepEqual(opTypes(model), ['Transpose', op, 'Transpose'], form);
    const [r] = model.graph.nodesByOpType(op);
    assert.deepEqual(model.graph.getShape(r!.outputs[0]!), [1, 6, 6, 2], form);
    assert.deepEqual(model.graph.getTensorLayout(r!.inputs[0]!), ['N', 'H', 'W', 'C']);
    assert.deepEqual(params(model, op), [...want], form);
    await sameWithOrt(original, model, NCHW_IN, `NHWC ${form}`);
    assert.deepEqual(await applyAll(model, ['InferUpsample']), ['InferUpsample'], form);
    assert.deepEqual(histogram(model), { Transpose: 2, UpsampleNearestNeighbour: 1 });
    await sameWithOrt(original, model, NCHW_IN, `mapped ${form}`);
  }
});

test('Conv → Resize → Conv: the Transposes cancel, one in and one out remain', async () => {
  const m = buildModel({
    inputs: [['x', [1, 2, 3, 3], 'UINT4']], outputs: [['y', [1, 3, 6, 6]]],
    nodes: [
      node('Conv', ['x', 'W0'], ['c'], [attrInts('kernel_shape', [3, 3]), attrInts('pads', [1, 1, 1, 1])]),
      node('Resize', ['c', '', 's'], ['u'], [attrS('mode', 'nearest')]), // half_pixel, round_prefer_floor
      node('Conv', ['u', 'W1'], ['y'], [attrInts('kernel_shape', [1, 1])]),
    ],
    inits: {
      W0: { dims: [2, 2, 3, 3], data: Array.from({ length: 36 }, (_, i) => (i % 5) - 2), datatype: 'INT3' },
      s: { dims: [4], data: [1, 1, 2, 2] },
      W1: { dims: [3, 2, 1, 1], data: [1, -1, 2, 0, -2, 1], datatype: 'INT3' },
    },
    valueInfo: [['c', [1, 2, 3, 3]], ['u', [1, 2, 6, 6]]],
  });
  const original = cloneModel(m);
  await applyAll(m, ['LowerConvsToMatMul', 'MakeScaleResizeNHWC', 'AbsorbConsecutiveTransposes']);
  assert.deepEqual(opTypes(m), ['Transpose', 'Im2Col', 'MatMul', 'Resize', 'MatMul', 'Transpose']);
  await sameWithOrt(original, m, [1, 2, 3, 3], 'lowered');
});

test('resizes that are not integer replication, already channels-last, or outside the quantized datapath stay', async () => {
  const stays: [string, Model][] = [
    ['linear', resizeModel(NCHW_IN, NCHW_OUT, 'scales', [1, 1, 2, 2], { mode: 'linear' }, 'UINT4')],
    ['×1.5', resizeModel([1, 2, 4, 4], [1, 2, 6, 6], 'scales', [1, 1, 1.5, 1.5], { ctm: 'asymmetric', nm: 'floor' }, 'UINT4')],
    ['half_pixel + floor', resizeModel(NCHW_IN, NCHW_OUT, 'scales', [1, 1, 2, 2], { nm: 'floor' }, 'UINT4')],
    ['NHWC scales', resizeModel([1, 3, 3, 2], [1, 6, 6, 2], 'scales', [1, 2, 2, 1], { ctm: 'asymmetric', nm: 'floor' }, 'UINT4')],
    ['float model', resizeModel(NCHW_IN, NCHW_OUT, 'scales', [1, 1, 2, 2], { ctm: 'asymmetric', nm: 'floor' }, 'FLOAT32')],
  ];
  for (const [what, m] of stays) {
    assert.deepEqual(await applyAll(m, ['MakeScaleResizeNHWC']), [], what);
    assert.deepEqual(opTypes(m), ['Resize'], what);
  }
});
