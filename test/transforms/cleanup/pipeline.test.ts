/**
 * The whole cleanup list, in the order recommended for the default blueprint, on real models: the graph stays
 * valid after every transform, a second pass changes nothing, and the outputs on a seeded input stay the same.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { loadModel, type Model } from '../../../src/index.js';
import { applyTransform } from '../../../src/host.js';
import { assertGraphValid } from '../../../src/ir/verify.js';
import { shared, skipNoShared } from '../../helpers/paths.js';
import { assertSameTensors, builtins, outputsInOrder, seededInputs, snapshot } from './support.js';

const CLEANUP_ORDER = [
  'NormalizeDomains', 'DoubleToSingleFloat', 'RemoveStaticGraphInputs', 'SortGraph', 'InferShapes', 'GiveUniqueParameterTensors',
  'FoldConstants', 'FoldTransposeIntoQuantInit', 'RemoveIdentityOps', 'RemoveUnusedTensors', 'GiveUniqueNodeNames',
  'GiveReadableTensorNames', 'InferDataTypes',
];

const list = (dir: string): string[] => readdirSync(shared(dir)).filter((f) => f.endsWith('.onnx')).map((f) => `${dir}/${f}`);
const SMALL = skipNoShared ? [] : [
  'finn/tfc_w1a1/model.onnx', ...list('labs'), ...list('qonnx-zoo'), 'qonnx/mnist-conv/model.onnx', 'qonnx/matmul_update/sdp.onnx',
  'qonnx/residual_block_clean.onnx', 'qonnx/eltwise_chanlast_testcase.onnx',
];
/** Light models small enough to execute natively in a few seconds; the others are checked without execution. */
const LIGHT_EXECUTED = new Set(['onnx-backend/light/light_squeezenet.onnx', 'onnx-backend/light/light_shufflenet.onnx']);
const LIGHT = skipNoShared ? [] : list('onnx-backend/light');

async function cleanup(m: Model, rel: string): Promise<string[]> {
  const reg = await builtins();
  const changed: string[] = [];
  for (const name of CLEANUP_ORDER) {
    if ((await applyTransform(reg, name, m)).changed) changed.push(name);
    assertGraphValid(m.graph, `${rel}: after ${name}`);
  }
  return changed;
}

async function assertSecondPassIdle(m: Model, rel: string): Promise<void> {
  const reg = await builtins();
  const bytes = snapshot(m);
  for (const name of CLEANUP_ORDER) assert.equal((await applyTransform(reg, name, m)).changed, false, `${rel}: ${name} changed something on the second pass`);
  assert.deepEqual(snapshot(m), bytes, `${rel}: the second pass changed the model`);
}

test('cleanup keeps FINN, labs, QONNX zoo and QONNX test models valid, idempotent and output-equivalent', { skip: skipNoShared }, async () => {
  for (const rel of SMALL) {
    const m = await loadModel(shared(rel));
    const inputs = [...seededInputs(m).values()];
    const before = await outputsInOrder(m, inputs);
    const changed = await cleanup(m, rel);
    assert.ok(changed.includes('GiveUniqueNodeNames') || m.graph.nodeList().every((n, i, all) => n.name && all.findIndex((o) => o.name === n.name) === i), rel);
    assertSameTensors(await outputsInOrder(m, inputs), before, rel);
    await assertSecondPassIdle(m, rel);
    // Every tensor a node makes now has a shape and a datatype.
    for (const n of m.graph.nodes()) {
      for (const o of n.outputs) {
        assert.ok(m.graph.getShape(o), `${rel}: ${o} has no shape`);
        assert.ok(m.graph.getDatatypeName(o), `${rel}: ${o} has no datatype`);
      }
    }
  }
});

test('cleanup of TFC-w1a1 (FINN format) still gives the golden labels', { skip: skipNoShared }, async () => {
  const { readNpy } = await import('../../../src/exec/npy.js');
  const m = await loadModel(shared('finn/tfc_w1a1/model.onnx'));
  await cleanup(m, 'tfc_w1a1');
  const x = readNpy(shared('finn/tfc_w1a1/input.npy'));
  const expected = readNpy(shared('finn/tfc_w1a1/expected_output.npy'));
  // The model takes one image at a time.
  const labels: number[] = [];
  const per = x.dims.slice(1).reduce((a, b) => a * b, 1);
  for (let i = 0; i < x.dims[0]!; i++) {
    const one = { elemType: x.elemType, dims: [1, ...x.dims.slice(1)], data: (x.data as Float32Array).subarray(i * per, (i + 1) * per) };
    const [y] = await outputsInOrder(m, [one]);
    labels.push(Number((y!.data as BigInt64Array)[0]));
  }
  assert.deepEqual(labels, Array.from(expected.data as BigInt64Array, Number));
  assert.deepEqual(m.graph.inputNames(), ['global_in']);
  assert.deepEqual(m.graph.outputNames(), ['global_out']);
});

test('cleanup of the ONNX light models: valid, idempotent, constants folded, outputs kept where executed', { skip: skipNoShared }, async () => {
  for (const rel of LIGHT) {
    const m = await loadModel(shared(rel));
    const execute = LIGHT_EXECUTED.has(rel);
    const inputs = execute ? [...seededInputs(m).values()] : [];
    const before = execute ? await outputsInOrder(m, inputs) : [];
    const opsBefore = new Set(m.graph.nodeList().map((n) => n.opType));
    await cleanup(m, rel);
    // Weights were ConstantOfShape nodes over static inputs: they are now initializers (when small enough).
    assert.deepEqual(m.graph.inputNames().filter((n) => m.graph.isInitializer(n)), [], rel);
    for (const n of m.graph.nodes()) assert.ok(opsBefore.has(n.opType), `${rel}: new op ${n.opType}`);
    if (execute) assertSameTensors(await outputsInOrder(m, inputs), before, rel);
    await assertSecondPassIdle(m, rel);
  }
});
