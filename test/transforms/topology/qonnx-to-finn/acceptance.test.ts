// Real QONNX models through the cleanup transforms (those that exist) and the QONNX → FINN conversion: every
// quantizer is gone, every MatMul/Conv has integer weights with an integer DataType, activations are
// MultiThresholds, and the outputs match the original model's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModel, parseDataType, tensorFromProto, tensorToNumbers, type Model } from '../../../../src/index.js';
import { readNpy } from '../../../../src/exec/npy.js';
import { shared, skipNoShared } from '../../../helpers/paths.js';
import { applyAll, builtins, cloneModel, input, opTypes, run, seededRandom } from './support.js';

/** The conversion, in the order the default blueprint should run it. */
export const QONNX_TO_FINN = ['ExtractConvBias', 'GemmToMatMul', 'FoldQuantWeights', 'QuantActToMultiThreshold'];

/**
 * QONNX's cleanup_model order, except that static graph inputs go first (the zoo's opset-9 exports list every
 * initializer as a graph input too); names not (yet) registered are skipped.
 */
const CLEANUP = [
  'NormalizeDomains', 'RemoveStaticGraphInputs', 'InferShapes', 'GiveUniqueParameterTensors', 'FoldConstants',
  'FoldTransposeIntoQuantInit', 'RemoveUnusedTensors', 'GiveUniqueNodeNames', 'GiveReadableTensorNames', 'InferDataTypes',
];
const AFTER = ['InferShapes', 'InferDataTypes', 'RemoveUnusedTensors', 'RemoveIdentityOps'];

async function existing(names: readonly string[]): Promise<string[]> {
  const reg = await builtins();
  return names.filter((n) => reg.transforms.has(n));
}

async function convert(m: Model): Promise<Model> {
  const out = cloneModel(m);
  await applyAll(out, [...(await existing(CLEANUP)), ...QONNX_TO_FINN, ...(await existing(AFTER))]);
  return out;
}

/** The graph's run-time input (not an initializer) and its static shape (symbolic dims as 1). */
function dataInput(m: Model): { name: string; dims: number[] } {
  const g = m.graph;
  const name = g.inputNames().find((n) => !g.isInitializer(n))!;
  return { name, dims: (g.getShape(name) ?? []).map((d) => (typeof d === 'number' && d > 0 ? d : 1)) };
}

function checkFinnForm(m: Model, file: string): void {
  const g = m.graph;
  const ops = opTypes(m);
  for (const q of ['Quant', 'IntQuant', 'BipolarQuant']) assert.ok(!ops.includes(q), `${file}: ${q} left`);
  assert.ok(ops.includes('MultiThreshold'), `${file}: no MultiThreshold`);
  let mac = 0;
  for (const n of g.nodeList()) {
    if (n.opType !== 'MatMul' && n.opType !== 'Conv') continue;
    mac++;
    const w = n.inputs[1]!;
    const init = g.getInitializer(w);
    assert.ok(init, `${file}: ${n.toString()} weight '${w}' is not an initializer`);
    const dtName = g.getDatatypeName(w);
    assert.ok(dtName, `${file}: ${n.toString()} weight has no finn_datatype`);
    const dt = parseDataType(dtName);
    assert.ok(dt.isInteger(), `${file}: ${n.toString()} weight datatype ${dtName} is not an integer type`);
    for (const v of tensorToNumbers(tensorFromProto(init))) assert.ok(dt.allowed(v), `${file}: ${n.toString()} weight value ${v} is not ${dtName}`);
  }
  assert.ok(mac > 0, `${file}: no MatMul/Conv`);
}

function argmax(v: Float64Array): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[best]!) best = i;
  return best;
}

interface Case {
  file: string;
  /** Random input values. */
  gen: (r: (lo: number, hi: number) => number) => number;
  classifier: boolean;
}

const CASES: Case[] = [
  { file: 'qonnx-zoo/TFC_1W1A.onnx', gen: (r) => r(0, 1), classifier: true },
  { file: 'qonnx-zoo/TFC_1W2A.onnx', gen: (r) => r(0, 1), classifier: true },
  { file: 'qonnx-zoo/TFC_2W2A.onnx', gen: (r) => r(0, 1), classifier: true },
  { file: 'qonnx-zoo/kwsmlp_w3a3.onnx', gen: (r) => r(-1, 1), classifier: true },
  { file: 'qonnx-zoo/unsw_nb15-mlp-w2a2.onnx', gen: (r) => (r(0, 1) < 0.5 ? 0 : 1), classifier: false },
  { file: 'labs/gtsrb_12x12_w2a3_c12x24x36.onnx', gen: (r) => r(-1, 1), classifier: true },
];

for (const c of CASES) {
  test(`${c.file}: cleanup + QONNX→FINN gives integer weights and MultiThresholds, outputs unchanged`, { skip: skipNoShared }, async () => {
    const original = await loadModel(shared(c.file));
    const converted = await convert(original);
    checkFinnForm(converted, c.file);
    const inO = dataInput(original);
    const inC = dataInput(converted);
    const rnd = seededRandom(1234);
    for (let k = 0; k < 4; k++) {
      const values = Array.from({ length: inO.dims.reduce((a, b) => a * b, 1) }, () => c.gen(rnd));
      const a = [...(await run(original, { [inO.name]: input(inO.dims, values) })).values()][0]!;
      const b = [...(await run(converted, { [inC.name]: input(inC.dims, values) })).values()][0]!;
      assert.equal(a.length, b.length);
      for (let i = 0; i < a.length; i++) {
        assert.ok(Math.abs(a[i]! - b[i]!) <= 1e-4 + 1e-3 * Math.abs(a[i]!), `${c.file} input ${k}: output[${i}] ${a[i]} before, ${b[i]} after`);
      }
      if (c.classifier) assert.equal(argmax(b), argmax(a), `${c.file} input ${k}: label changed`);
    }
  });
}

test('kwsmlp_w3a3 converted still classifies kws/input.npy as kws/expected_output.npy', { skip: skipNoShared }, async () => {
  const original = await loadModel(shared('qonnx-zoo/kwsmlp_w3a3.onnx'));
  const converted = await convert(original);
  const x = readNpy(shared('kws/input.npy'));
  const expected = tensorToNumbers(readNpy(shared('kws/expected_output.npy')));
  const inC = dataInput(converted);
  const inO = dataInput(original);
  const before = [...(await run(original, { [inO.name]: x })).values()][0]!;
  const after = [...(await run(converted, { [inC.name]: x })).values()][0]!;
  assert.equal(argmax(before), expected[0]);
  assert.equal(argmax(after), expected[0]);
});
