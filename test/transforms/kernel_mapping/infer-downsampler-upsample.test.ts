// InferConvInpGen's DownSampler rule (1×1 window, stride > 1) and InferUpsample (nearest-neighbour Resize /
// Upsample by integer factors → UpsampleNearestNeighbour): structure, outputs bit-identical before and after,
// and whole compiles of small quantized models with --verify.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { saveModel, getInt, type Model } from '../../../src/index.js';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/tmp.js';
import { shared, skipNoShared } from '../../helpers/paths.js';
import { attrInts, attrS, buildModel, node } from '../topology/support.js';
import { resizeModel, sameWithOrt } from './resize-models.js';
import { applyAll, assertSameOutputs, cloneModel, histogram, randomTensor, run } from './support.js';

const QONNX = 'qonnx.custom_op.general';

function im2col(shape: number[], outShape: number[], stride: number[], pad = [0, 0, 0, 0]): Model {
  return buildModel({
    inputs: [['x', shape, 'INT4']],
    outputs: [['y', outShape]],
    nodes: [node('Im2Col', ['x'], ['y'], [
      attrInts('stride', stride), attrInts('kernel_size', [1, 1]), attrInts('pad_amount', pad),
      attrS('input_shape', `(${shape.join(', ')})`),
    ], QONNX)],
  });
}

async function sameOnIntegers(a: Model, b: Model, shape: number[], what: string, lo = -8, hi = 8): Promise<void> {
  for (let seed = 1; seed <= 3; seed++) {
    const x = randomTensor(shape, seed, lo, hi, true);
    assertSameOutputs(await run(a, { x }), await run(b, { x }), `${what} seed ${seed}`);
  }
}

test('1×1 Im2Col with stride 2 → DownSampler (square and 1-D images), same outputs', async () => {
  const cases: [number[], number[], number[], Record<string, number>][] = [
    [[1, 7, 7, 3], [1, 4, 4, 3], [2, 2], { ImgDim: 7, Stride: 2, is1D: 0 }],
    [[2, 6, 6, 4], [2, 2, 2, 4], [3, 3], { ImgDim: 6, Stride: 3, is1D: 0, numInputVectors: 2 }],
    [[1, 9, 1, 2], [1, 5, 1, 2], [2, 1], { ImgDim: 9, Stride: 2, is1D: 1, is1D_unitx: 1 }],
    [[1, 1, 9, 2], [1, 1, 3, 2], [1, 3], { ImgDim: 9, Stride: 3, is1D: 1, is1D_unitx: 0 }],
  ];
  for (const [shape, outShape, stride, want] of cases) {
    const model = im2col(shape, outShape, stride);
    const original = cloneModel(model);
    assert.deepEqual(await applyAll(model, ['InferConvInpGen']), ['InferConvInpGen']);
    assert.deepEqual(histogram(model), { DownSampler: 1 });
    const [ds] = model.graph.nodesByOpType('DownSampler');
    for (const [k, v] of Object.entries(want)) assert.equal(getInt(ds!, k), v, `${shape}: ${k}`);
    assert.equal(getInt(ds!, 'NumChannels'), shape[3]);
    await sameOnIntegers(original, model, shape, `DownSampler ${shape}`);
    await applyAll(model, ['SpecializeLayers', 'GiveUniqueNodeNames']);
    assert.deepEqual(histogram(model), { DownSampler_hls: 1 }, 'no rtl backend: hls');
    await sameOnIntegers(original, model, shape, `DownSampler_hls ${shape}`);
  }
});

test('1×1 Im2Col the DownSampler cannot express stays', async () => {
  const stays = [
    im2col([1, 6, 8, 3], [1, 3, 4, 3], [2, 2]), // non-square
    im2col([1, 6, 6, 3], [1, 3, 2, 3], [2, 3]), // different strides
    im2col([1, 6, 6, 3], [1, 4, 4, 3], [2, 2], [1, 1, 1, 1]), // padded
  ];
  for (const m of stays) {
    assert.deepEqual(await applyAll(m, ['InferConvInpGen']), []);
    assert.deepEqual(histogram(m), { Im2Col: 1 });
  }
});

// ---- Upsample / Resize ----

test('nearest Resize/Upsample ×2 and ×3 on NHWC → UpsampleNearestNeighbour, same outputs as onnxruntime', async () => {
  const cases: [string, number[], number[], Parameters<typeof resizeModel>[2], number[], Parameters<typeof resizeModel>[4]][] = [
    ['Resize scales asymmetric/floor', [1, 3, 3, 2], [1, 6, 6, 2], 'scales', [1, 2, 2, 1], { ctm: 'asymmetric', nm: 'floor' }],
    ['Resize sizes ×3 default modes (half_pixel, round_prefer_floor)', [1, 2, 2, 3], [1, 6, 6, 3], 'sizes', [1, 3, 3, 1], {}],
    ['Resize ×2 asymmetric/round_prefer_floor', [2, 3, 3, 2], [2, 6, 6, 2], 'scales', [1, 2, 2, 1], { ctm: 'asymmetric' }],
    ['Resize ×3 tf_half_pixel_for_nn/floor', [1, 2, 2, 2], [1, 6, 6, 2], 'scales', [1, 3, 3, 1], { ctm: 'tf_half_pixel_for_nn', nm: 'floor' }],
    ['Resize-10 ×2', [1, 3, 3, 2], [1, 6, 6, 2], 'resize10', [1, 2, 2, 1], {}],
    ['Upsample-9 ×2', [1, 3, 3, 2], [1, 6, 6, 2], 'upsample9', [1, 2, 2, 1], {}],
    ['Upsample-7 ×3 1-D', [1, 3, 1, 2], [1, 9, 1, 2], 'upsample7', [1, 3, 1, 1], {}],
  ];
  for (const [what, shape, outShape, form, scales, attrs] of cases) {
    const model = resizeModel(shape, outShape, form, scales, attrs);
    const original = cloneModel(model);
    assert.deepEqual(await applyAll(model, ['InferUpsample']), ['InferUpsample'], what);
    assert.deepEqual(histogram(model), { UpsampleNearestNeighbour: 1 }, what);
    assert.equal(model.graph.initializerNames().length, 0, `${what}: scales/sizes dropped`);
    const [up] = model.graph.nodesByOpType('UpsampleNearestNeighbour');
    assert.equal(getInt(up!, 'IFMDim'), shape[1]);
    assert.equal(getInt(up!, 'OFMDim'), outShape[1]);
    assert.equal(getInt(up!, 'DimMode'), shape[2] === 1 ? 1 : 0);
    await sameWithOrt(original, model, shape, what);
    await applyAll(model, ['SpecializeLayers', 'GiveUniqueNodeNames']);
    assert.deepEqual(histogram(model), { UpsampleNearestNeighbour_hls: 1 }, `${what}: no rtl backend: hls`);
    await sameWithOrt(original, model, shape, `${what} (hls)`);
  }
});

test('Resizes that are not exact integer replication on an integer NHWC square image stay', async () => {
  const stays: [string, Model][] = [
    ['linear', resizeModel([1, 3, 3, 2], [1, 6, 6, 2], 'scales', [1, 2, 2, 1], { mode: 'linear' })],
    ['×1.5', resizeModel([1, 4, 4, 2], [1, 6, 6, 2], 'scales', [1, 1.5, 1.5, 1], { ctm: 'asymmetric', nm: 'floor' })],
    ['half_pixel + floor', resizeModel([1, 3, 3, 2], [1, 6, 6, 2], 'scales', [1, 2, 2, 1], { nm: 'floor' })],
    ['asymmetric ×3 rounding', resizeModel([1, 3, 3, 2], [1, 9, 9, 2], 'scales', [1, 3, 3, 1], { ctm: 'asymmetric' })],
    ['align_corners', resizeModel([1, 3, 3, 2], [1, 6, 6, 2], 'scales', [1, 2, 2, 1], { ctm: 'align_corners' })],
    ['channels scaled', resizeModel([1, 3, 3, 2], [1, 6, 6, 4], 'scales', [1, 2, 2, 2], { ctm: 'asymmetric', nm: 'floor' })],
    ['H and W differ', resizeModel([1, 3, 3, 2], [1, 6, 9, 2], 'scales', [1, 2, 3, 1], { ctm: 'asymmetric', nm: 'floor' })],
    ['non-square', resizeModel([1, 3, 4, 2], [1, 6, 8, 2], 'scales', [1, 2, 2, 1], { ctm: 'asymmetric', nm: 'floor' })],
    ['NCHW scales', resizeModel([1, 2, 3, 3], [1, 2, 6, 6], 'scales', [1, 1, 2, 2], { ctm: 'asymmetric', nm: 'floor' })],
    ['float input', resizeModel([1, 3, 3, 2], [1, 6, 6, 2], 'scales', [1, 2, 2, 1], { ctm: 'asymmetric', nm: 'floor' }, 'FLOAT32')],
  ];
  for (const [what, m] of stays) {
    assert.deepEqual(await applyAll(m, ['InferUpsample']), [], what);
    assert.deepEqual(Object.keys(histogram(m)), [m.graph.nodeList()[0]!.opType], what);
  }
});

// ---- whole compiles ----

interface Summary {
  verification?: { ok: boolean; stages: number };
  estimate: { nodes: { name: string; kernel: string; cycles: number }[]; hostNodes: { name: string; opType: string }[] };
}

/** The layer kernels in stream order, without the FIFOs and width converters the optimization stage adds. */
const layers = (s: Summary): string[] =>
  s.estimate.nodes.map((n) => n.kernel).filter((k) => k !== 'StreamingFIFO' && k !== 'StreamingDataWidthConverter');

async function compile(model: Model, name: string): Promise<Summary> {
  const dir = tempDir('bs-dsus-');
  const file = path.join(dir, `${name}.onnx`);
  await saveModel(model, file);
  const r = runCli(['compile', file, '-o', path.join(dir, 'out'), '--target-fps', '1000', '--verify', '--json', '--log-level', 'warn'],
    { cwd: dir, env: { HOME: dir, BRAINSMITH_PLUGIN_PATH: '' } });
  assert.equal(r.code, 0, `${name}: ${r.stderr}`);
  const s = JSON.parse(r.stdout) as Summary;
  assert.equal(s.verification?.ok, true, `${name}: --verify passed`);
  return s;
}

const thresholds = (channels: number, steps: number[]): { dims: number[]; data: number[] } =>
  ({ dims: [channels, steps.length], data: Array.from({ length: channels }, () => steps).flat() });

/** UINT4 image → 1×1 conv with stride 2 (INT3 weights) → 2-bit MultiThreshold. */
function strided1x1(): Model {
  return buildModel({
    inputs: [['x', [1, 4, 8, 8], 'UINT4']],
    outputs: [['y', [1, 6, 4, 4]]],
    nodes: [
      node('Conv', ['x', 'w'], ['c'], [attrInts('kernel_shape', [1, 1]), attrInts('strides', [2, 2])]),
      node('MultiThreshold', ['c', 't'], ['y'], [attrS('out_dtype', 'UINT2')], QONNX),
    ],
    inits: {
      w: { dims: [6, 4, 1, 1], data: [1, -2, 3, 0, -1, 2, 1, -4, 2, 2, -3, 1, 0, 1, -1, 3, -2, 0, 1, 1, 3, -1, -1, 2], datatype: 'INT3' },
      t: thresholds(6, [-6, 0, 9]),
    },
    valueInfo: [['c', [1, 6, 4, 4]]],
  });
}

/** UINT4 image → 2-bit MultiThreshold → nearest Resize ×2 (NCHW) → 3×3 conv (pad 1) → 2-bit MultiThreshold. */
function upsampled(): Model {
  const m = buildModel({
    inputs: [['x', [1, 3, 4, 4], 'UINT4']],
    outputs: [['y', [1, 4, 8, 8]]],
    nodes: [
      node('MultiThreshold', ['x', 't0'], ['a'], [attrS('out_dtype', 'UINT2')], QONNX),
      node('Resize', ['a', '', 's'], ['u'], [attrS('mode', 'nearest'), attrS('coordinate_transformation_mode', 'asymmetric'), attrS('nearest_mode', 'floor')]),
      node('Conv', ['u', 'w'], ['c'], [attrInts('kernel_shape', [3, 3]), attrInts('pads', [1, 1, 1, 1])]),
      node('MultiThreshold', ['c', 't1'], ['y'], [attrS('out_dtype', 'UINT2')], QONNX),
    ],
    inits: {
      t0: thresholds(3, [3, 7, 12]),
      s: { dims: [4], data: [1, 1, 2, 2] },
      w: { dims: [4, 3, 3, 3], data: Array.from({ length: 108 }, (_, i) => ((i * 7) % 5) - 2), datatype: 'INT3' },
      t1: thresholds(4, [-4, 1, 6]),
    },
    valueInfo: [['a', [1, 3, 4, 4]], ['u', [1, 3, 8, 8]], ['c', [1, 4, 8, 8]]],
  });
  m.graph.setDatatypeName('a', 'UINT2');
  return m;
}

test('compile --verify: a 1×1 stride-2 conv maps to DownSampler_hls_0 + MVAU', async () => {
  const s = await compile(strided1x1(), 'strided1x1');
  const names = s.estimate.nodes.map((n) => n.name);
  assert.ok(names.includes('DownSampler_hls_0'), names.join(' '));
  assert.deepEqual(layers(s), ['DownSampler', 'MVAU'], 'the MultiThreshold after the conv folds into the MVAU');
  assert.deepEqual(s.estimate.hostNodes.map((h) => h.opType), ['Transpose', 'Transpose'], 'only the NCHW ⇄ NHWC layout changes at the ends stay on the host');
  const ds = s.estimate.nodes.find((n) => n.name === 'DownSampler_hls_0')!;
  assert.ok(ds.cycles > 0 && ds.cycles <= 4 * 64, `DownSampler cycles ${ds.cycles}`);
});

test('compile --verify: a nearest Resize between quantized layers maps to UpsampleNearestNeighbour_hls_0', async () => {
  const s = await compile(upsampled(), 'upsampled');
  const names = s.estimate.nodes.map((n) => n.name);
  assert.ok(names.includes('UpsampleNearestNeighbour_hls_0'), names.join(' '));
  assert.deepEqual(layers(s), ['Thresholding', 'UpsampleNearestNeighbour', 'FMPadding', 'ConvolutionInputGenerator', 'MVAU']);
  assert.deepEqual(s.estimate.hostNodes.map((h) => h.opType), ['Transpose', 'Transpose'], 'only the NCHW ⇄ NHWC layout changes at the ends stay on the host');
  const up = s.estimate.nodes.find((n) => n.name === 'UpsampleNearestNeighbour_hls_0')!;
  assert.equal(up.cycles, 64, 'OFMDim² · batch');
});

test('ESPCN (QONNX, Brevitas nn_resize): every conv and the nearest upsampling map into the dataflow partition', { skip: skipNoShared }, () => {
  // No --verify here: after topology 73 of 196,608 outputs differ by one quantization step (float rounding at a
  // quantizer once BatchNormToAffine turns the BatchNorm into Mul and Add), and the run takes over a minute.
  const dir = tempDir('bs-espcn-');
  const r = runCli(['compile', shared('qonnx', 'bsd300x3-espcn', 'nn_resize', 'quant_model.onnx'), '-o', path.join(dir, 'out'), '--target-fps', '100', '--json', '--log-level', 'warn'],
    { cwd: dir, env: { HOME: dir, BRAINSMITH_PLUGIN_PATH: '' } });
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout) as Summary;
  const kernels = layers(s);
  assert.equal(kernels.filter((k) => k === 'MVAU').length, 4, kernels.join(' '));
  assert.equal(kernels.filter((k) => k === 'ConvolutionInputGenerator').length, 4, kernels.join(' '));
  const up = s.estimate.nodes.find((n) => n.name === 'UpsampleNearestNeighbour_hls_0');
  assert.ok(up, kernels.join(' '));
  assert.equal(up.cycles, 256 * 256, 'OFMDim² · batch for the 256×256 output image');
  // The scale in front of the Resize moved past it (MoveScalarLinearPastInvariants), so only the layout changes
  // at both ends and the final scale stay on the host.
  assert.deepEqual(s.estimate.hostNodes.map((h) => h.opType).sort(), ['Mul', 'Transpose', 'Transpose']);
});
