// InferVectorVectorActivation: depthwise convolutions (lowered to a sparsity-annotated block-diagonal MatMul)
// become VVAU kernels, not MVAUs, on small QONNX-style models built here (Quant activations, Quant-ed INT4
// weights), through the default blueprint and through `brainsmith compile --verify`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ElemType, TENSOR_SPARSITY_KEY, getInt, getInts, getString, saveModel, type Model, type NodeProto } from '../../../src/index.js';
import { buildPlan, loadBlueprint, runPlan } from '../../../src/host.js';
import { attrI, attrInts, attrS, buildModel, node } from '../topology/support.js';
import { applyAll, assertSameOutputs, builtins, cloneModel, histogram, randomTensor, run } from './support.js';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/tmp.js';

const QONNX = 'qonnx.custom_op.general';
const C = 4;
const HW = 6;

/** Seeded integers in [lo, hi]. */
function ints(n: number, seed: number, lo: number, hi: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return lo + ((s >>> 8) % (hi - lo + 1));
  });
}

const quant = (x: string, scale: string, bits: string, y: string, signed: number): NodeProto =>
  node('Quant', [x, scale, 'zero', bits], [y], [attrI('signed', signed), attrI('narrow', 0), attrS('rounding_mode', 'ROUND')], QONNX);

const conv = (x: string, w: string, y: string, group: number, k: number): NodeProto =>
  node('Conv', [x, w], [y], [attrI('group', group), attrInts('kernel_shape', [k, k]), attrInts('pads', k === 3 ? [1, 1, 1, 1] : [0, 0, 0, 0]), attrInts('strides', [1, 1])]);

/**
 * x (float) → Quant INT4 → [regular 3×3 Conv (pad 1) → Quant INT4 →] depthwise 3×3 Conv (group C, pad 1) with
 * Quant-ed INT4 weights → Quant UINT4 (a quantized ReLU-like activation).
 */
function depthwiseModel(withRegularConv: boolean): Model {
  const shape = [1, C, HW, HW];
  const nodes: NodeProto[] = [quant('x', 'sa', 'b4', 'xq', 1)];
  const inits: Record<string, { dims: number[]; data: number[] }> = {
    zero: { dims: [], data: [0] }, b4: { dims: [], data: [4] }, sa: { dims: [], data: [0.5] }, sw: { dims: [], data: [0.25] },
    so: { dims: [], data: [1] },
    wdw: { dims: [C, 1, 3, 3], data: ints(C * 9, 7, -8, 7).map((v) => v * 0.25) },
  };
  let dwIn = 'xq';
  if (withRegularConv) {
    inits['w1'] = { dims: [C, C, 3, 3], data: ints(C * C * 9, 3, -8, 7).map((v) => v * 0.25) };
    nodes.push(quant('w1', 'sw', 'b4', 'w1q', 1), conv('xq', 'w1q', 'c1', 1, 3), quant('c1', 'sa', 'b4', 'a1', 1));
    dwIn = 'a1';
  }
  nodes.push(quant('wdw', 'sw', 'b4', 'wdwq', 1), conv(dwIn, 'wdwq', 'c2', C, 3), quant('c2', 'so', 'b4', 'y', 0));
  return buildModel({ inputs: [['x', shape]], outputs: [['y', shape]], nodes, inits });
}

async function runStages(model: Model, opts: { startFrom?: string; stopAfter: string }): Promise<void> {
  const reg = await builtins();
  const plan = await buildPlan(reg, loadBlueprint('default'));
  await runPlan(reg, plan, model, opts);
}

/** Random float input for the model's (possibly renamed) graph input. */
const feeds = (m: Model, seed: number) => ({ [m.graph.inputNames()[0]!]: randomTensor([1, C, HW, HW], seed, -5, 5) });

/** Outputs of `a` and `b` agree exactly on a few random inputs. */
async function sameOutputs(a: Model, b: Model, what: string): Promise<void> {
  for (let seed = 1; seed <= 3; seed++) assertSameOutputs(await run(a, feeds(a, seed)), await run(b, feeds(b, seed)), `${what} seed ${seed}`);
}

/** The depthwise MatMul(s) after lowering: those whose weights carry the sparsity annotation. */
function annotatedMatMuls(m: Model): { name: string; weights: string; sparsity: string }[] {
  return m.graph.nodesByOpType('MatMul').flatMap((n) => {
    const s = m.graph.getAnnotation(n.inputs[1]!, TENSOR_SPARSITY_KEY);
    return s === undefined ? [] : [{ name: n.name, weights: n.inputs[1]!, sparsity: s }];
  });
}

for (const withRegularConv of [false, true]) {
  const what = withRegularConv ? 'regular conv then depthwise conv' : 'depthwise conv';
  test(`${what}: LowerConvsToMatMul annotates, kernel mapping makes a VVAU, outputs stay bit-identical`, async () => {
    const model = depthwiseModel(withRegularConv);
    const original = cloneModel(model);
    await runStages(model, { stopAfter: 'topology' });
    const dw = annotatedMatMuls(model);
    assert.equal(dw.length, 1, 'one annotated MatMul');
    assert.deepEqual(JSON.parse(dw[0]!.sparsity), { dw: { kernel_shape: [3, 3] } });
    // The block-diagonal weights keep the lowered model executable as plain ONNX.
    assert.deepEqual(model.graph.getInitializer(dw[0]!.weights)!.dims!.map(Number), [9 * C, C]);
    assert.equal(model.graph.nodesByOpType('MatMul').length, withRegularConv ? 2 : 1);
    const o = await run(original, feeds(original, 1));
    const s = await run(model, feeds(model, 1));
    assert.deepEqual(Array.from(s[0]!), Array.from(o[0]!), 'streamlined model computes what the QONNX model does');

    const lowered = cloneModel(model);
    await runStages(model, { startFrom: 'kernel_mapping', stopAfter: 'kernel_mapping' });
    const h = histogram(model);
    assert.equal(h['VVAU_hls'], 1, JSON.stringify(h));
    assert.equal(h['MVAU_hls'] ?? 0, withRegularConv ? 1 : 0, `only the regular conv is an MVAU: ${JSON.stringify(h)}`);
    assert.equal(h['MatMul'] ?? 0, 0);
    const [vvau] = model.graph.nodesByOpType('VVAU_hls');
    assert.equal(vvau!.name, 'VVAU_hls_0');
    assert.deepEqual(getInts(vvau!, 'Kernel'), [3, 3]);
    assert.deepEqual(getInts(vvau!, 'Dim'), [HW, HW]);
    assert.deepEqual(model.graph.getInitializer(vvau!.inputs[1]!)!.dims!.map(Number), [C, 1, 3, 3]);
    assert.equal(vvau!.inputs.length, 3, 'the output quantizer (a MultiThreshold) is absorbed as thresholds');
    const swg = model.graph.producer(vvau!.inputs[0]!)!;
    assert.match(swg.opType, /^ConvolutionInputGenerator/);
    await sameOutputs(lowered, model, what);
  });
}

/** A lowered-form model: x (INT4, NHWC) → Im2Col → MatMul by block-diagonal INT4 weights → y. */
function loweredDepthwise(annotate: boolean, depthwiseIm2Col = 1): Model {
  const k = 9 * C;
  const diag = ints(k, 11, -8, 7);
  const w = new Array<number>(k * C).fill(0);
  for (let r = 0; r < k; r++) w[r * C + (r % C)] = diag[r]!;
  const im2col = node('Im2Col', ['x'], ['p'], [
    attrInts('stride', [1, 1]), attrInts('kernel_size', [3, 3]), attrS('input_shape', `(1, ${HW}, ${HW}, ${C})`),
    attrInts('pad_amount', [1, 1, 1, 1]), attrI('pad_value', 0), attrI('depthwise', depthwiseIm2Col), attrInts('dilations', [1, 1]),
  ], QONNX);
  const m = buildModel({
    inputs: [['x', [1, HW, HW, C], 'INT4']],
    outputs: [['y', [1, HW, HW, C]]],
    nodes: [im2col, node('MatMul', ['p', 'w'], ['y'])],
    inits: { w: { dims: [k, C], data: w } },
    valueInfo: [['p', [1, HW, HW, k]]],
  });
  m.graph.setDatatypeName('p', 'INT4');
  m.graph.setDatatypeName('w', 'INT4');
  m.graph.setDatatypeName('y', 'INT32');
  if (annotate) m.graph.setAnnotation('w', TENSOR_SPARSITY_KEY, JSON.stringify({ dw: { kernel_shape: [3, 3] } }));
  return m;
}

const intFeeds = (seed: number) => ({ x: randomTensor([1, HW, HW, C], seed, -8, 8, true) });

test('without an activation the VVAU has noActivation=1 and the accumulator type; MVAU rule skips the annotated MatMul', async () => {
  const model = loweredDepthwise(true);
  const original = cloneModel(model);
  assert.deepEqual(await applyAll(model, ['InferQuantizedMatrixVectorActivation']), [], 'annotated weights are not an MVAU');
  assert.deepEqual(await applyAll(model, ['InferConvInpGen', 'InferVectorVectorActivation']), ['InferConvInpGen', 'InferVectorVectorActivation']);
  const [v] = model.graph.nodesByOpType('VVAU');
  assert.ok(v);
  assert.equal(getInt(v, 'noActivation'), 1);
  assert.equal(getString(v, 'outputDataType'), 'INT32');
  assert.equal(getString(v, 'accDataType'), 'INT32');
  assert.deepEqual(v.outputs, ['y']);
  assert.deepEqual(model.graph.getInitializer(v.inputs[1]!)!.dims!.map(Number), [C, 1, 3, 3]);
  assert.equal(model.graph.getAnnotation(v.inputs[1]!, 'finn_datatype'), 'INT4');
  for (const seed of [1, 2]) assertSameOutputs(await run(original, intFeeds(seed)), await run(model, intFeeds(seed)), `seed ${seed}`);
});

test('SpecializeLayers: VVAU_hls by default, VVAU_rtl only on a Versal part (no thresholds, INT4 × INT4)', async () => {
  const toVvau = ['InferConvInpGen', 'InferVectorVectorActivation'];
  for (const [board, expected] of [['Pynq-Z1', 'VVAU_hls'], ['VCK190', 'VVAU_rtl']] as const) {
    const model = loweredDepthwise(true);
    const original = cloneModel(model);
    await applyAll(model, [...toVvau, 'SpecializeLayers'], { SpecializeLayers: { board } });
    assert.equal(model.graph.nodeList().filter((n) => n.opType.startsWith('VVAU'))[0]?.opType, expected, board);
    assertSameOutputs(await run(original, intFeeds(3)), await run(model, intFeeds(3)), `${board} specialized`);
  }
});

test('a MatMul without the annotation still becomes an MVAU', async () => {
  const model = loweredDepthwise(false);
  await applyAll(model, ['InferQuantizedMatrixVectorActivation', 'InferConvInpGen', 'InferVectorVectorActivation']);
  assert.deepEqual(histogram(model), { FMPadding: 1, ConvolutionInputGenerator: 1, MVAU: 1 });
});

test('a non-depthwise window generator does not feed a VVAU (its stream order differs)', async () => {
  const model = loweredDepthwise(true, 0);
  assert.deepEqual(await applyAll(model, ['InferConvInpGen', 'InferVectorVectorActivation']), ['InferConvInpGen']);
  assert.equal(model.graph.nodesByOpType('MatMul').length, 1);
});

test('FINN\'s Python-literal annotation is read; weights off the channel diagonal are an input error', async () => {
  const model = loweredDepthwise(true);
  model.graph.setAnnotation('w', TENSOR_SPARSITY_KEY, "{'dw': {'kernel_shape': [3, 3]}}");
  assert.deepEqual(await applyAll(cloneModel(model), ['InferVectorVectorActivation']), ['InferVectorVectorActivation']);
  const init = model.graph.getInitializer('w')!;
  const bad = cloneModel(model);
  const w = new Float32Array(9 * C * C).fill(1);
  bad.graph.setInitializer({ ...init, raw_data: new Uint8Array(w.buffer), float_data: [] });
  await assert.rejects(applyAll(bad, ['InferVectorVectorActivation']), /annotated depthwise but entry \[0, 1\] off the channel diagonal is 1/);
  const wrongK = cloneModel(model);
  wrongK.graph.setAnnotation('w', TENSOR_SPARSITY_KEY, JSON.stringify({ dw: { kernel_shape: [5, 5] } }));
  await assert.rejects(applyAll(wrongK, ['InferVectorVectorActivation']), /do not fit the depthwise kernel_shape \[5, 5\]/);
  const garbled = cloneModel(model);
  garbled.graph.setAnnotation('w', TENSOR_SPARSITY_KEY, '{dw');
  await assert.rejects(applyAll(garbled, ['InferVectorVectorActivation']), /tensor 'w': tensor_sparsity "\{dw" is not a JSON or Python dict literal/);
});

test('Absorb1BitMulIntoMatMul and GiveReadableTensorNames keep the sparsity annotation on the new weights', async () => {
  const model = loweredDepthwise(true);
  const g = model.graph;
  // y = MatMul(p, w) · [1, −1, 1, −1]: the sign factor goes into the weights (a fresh initializer).
  g.setOutput(g.nodesByOpType('MatMul')[0]!, 0, 'mm');
  g.setShape('mm', [1, HW, HW, C], ElemType.FLOAT);
  g.setInitializer({ name: 'sgn', dims: [C], data_type: ElemType.FLOAT, float_data: [1, -1, 1, -1] });
  g.addNode(node('Mul', ['mm', 'sgn'], ['y']));
  assert.deepEqual(await applyAll(model, ['Absorb1BitMulIntoMatMul', 'GiveReadableTensorNames']), ['Absorb1BitMulIntoMatMul', 'GiveReadableTensorNames']);
  const [mm] = g.nodesByOpType('MatMul');
  assert.notEqual(mm!.inputs[1], 'w');
  assert.deepEqual(JSON.parse(g.getAnnotation(mm!.inputs[1]!, TENSOR_SPARSITY_KEY)!), { dw: { kernel_shape: [3, 3] } });
  assert.deepEqual(await applyAll(model, ['InferConvInpGen', 'InferVectorVectorActivation']), ['InferConvInpGen', 'InferVectorVectorActivation']);
});

test('brainsmith compile --verify: VVAU_hls_0 in the estimate reports with (C·kh·kw/PE/SIMD)·H·W cycles', async () => {
  const dir = tempDir('bs-vvau-');
  const file = path.join(dir, 'dw.onnx');
  await saveModel(depthwiseModel(true), file);
  const out = path.join(dir, 'out');
  // 1000 cycles at 10 ns: the VVAU needs PE 2 (4·9·36/2 = 648); its depthwise SWG follows with SIMD 2.
  const r = runCli(['compile', file, '-o', out, '--target-fps', '100000', '--verify', '--json', '--log-level', 'warn'], { cwd: dir, env: { HOME: dir, BRAINSMITH_PLUGIN_PATH: '' } });
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout) as { verification?: { ok: boolean }; estimate: { nodes: { name: string; kernel: string; parallelism: Record<string, number>; cycles: number }[] } };
  assert.equal(s.verification?.ok, true);
  const cycles = JSON.parse(readFileSync(path.join(out, 'report', 'estimate_layer_cycles.json'), 'utf8')) as Record<string, number>;
  const row = s.estimate.nodes.find((n) => n.name === 'VVAU_hls_0');
  assert.ok(row, `VVAU_hls_0 in ${JSON.stringify(s.estimate.nodes.map((n) => n.name))}`);
  const { PE, SIMD } = row.parallelism as { PE: number; SIMD: number };
  assert.equal(cycles['VVAU_hls_0'], ((C * 9) / PE / SIMD) * HW * HW);
  assert.ok(cycles['VVAU_hls_0']! < 1000, `${cycles['VVAU_hls_0']} cycles meet the target`);
  // The estimate rows are in graph order: the depthwise SWG is the last one before the VVAU.
  const swg = s.estimate.nodes.slice(0, s.estimate.nodes.indexOf(row)).filter((n) => n.kernel === 'ConvolutionInputGenerator').at(-1);
  assert.equal(swg?.parallelism['SIMD'], PE, 'the depthwise SWG streams PE channels per cycle');
  const res = JSON.parse(readFileSync(path.join(out, 'report', 'estimate_layer_resources.json'), 'utf8')) as Record<string, unknown>;
  assert.ok('VVAU_hls_0' in res);
  const kernels = s.estimate.nodes.map((n) => n.kernel).filter((k) => k === 'MVAU' || k === 'VVAU').sort();
  assert.deepEqual(kernels, ['MVAU', 'VVAU'], 'the regular conv is an MVAU, the depthwise one a VVAU');
});
