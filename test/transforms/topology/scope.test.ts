/**
 * The topology transforms act only on the quantized datapath (transforms/topology/_lib/quantized-scope.ts):
 * float models pass through the topology stage unchanged, and the compile reports their op types as left alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { loadModel, tensorFromProto, tensorToNumbers, makeTensor, ElemType, type Model } from '../../../src/index.js';
import { decodeTensorProto, encodeTensorProto } from '../../../src/host.js';
import { loadBlueprint } from '../../../src/pipeline/blueprint-load.js';
import { buildPlan } from '../../../src/pipeline/plan.js';
import { opTypeHistogram, runPlan } from '../../../src/pipeline/pass-manager.js';
import { executeModel } from '../../../src/exec/execute.js';
import { quantizedDatapath } from '../../../transforms/topology/_lib/quantized-scope.js';
import { shared, skipNoShared } from '../../helpers/paths.js';
import { runCli } from '../../helpers/cli.js';
import { applyList, buildModel, builtins, node } from './support.js';
import { STREAMLINE, LOWERING } from './pipelines.js';

const QONNX = 'qonnx.custom_op.general';
const LIGHT_DIR = 'onnx-backend/light';
const LIGHT = skipNoShared ? [] : readdirSync(shared(LIGHT_DIR)).filter((f) => f.endsWith('.onnx')).sort();
/** Light models small enough to execute in a few seconds; the others are checked structurally. */
const EXECUTED = new Set(['light_squeezenet.onnx', 'light_shufflenet.onnx']);

/** A float branch (Sub → Div → BatchNorm-free Conv-free chain) next to a quantized one, joined by Concat. */
function mixedModel(): Model {
  return buildModel({
    inputs: [['f', [1, 4]], ['q', [1, 4]]],
    outputs: [['y', [1, 8]]],
    nodes: [
      node('Sub', ['f', 'c1'], ['f1']),
      node('Div', ['f1', 'c2'], ['f2']),
      node('Sub', ['q', 'c3'], ['q1']),
      node('Quant', ['q1', 's', 'z', 'b'], ['q2'], [{ name: 'signed', type: 2, i: 1 }, { name: 'narrow', type: 2, i: 0 }, { name: 'rounding_mode', type: 3, s: new TextEncoder().encode('ROUND') }], QONNX),
      node('Div', ['q2', 'c4'], ['q3']),
      node('Concat', ['f2', 'q3'], ['y'], [{ name: 'axis', type: 2, i: 1 }]),
    ],
    inits: {
      c1: { dims: [], data: [0.5] }, c2: { dims: [], data: [2] }, c3: { dims: [], data: [0.25] }, c4: { dims: [], data: [4] },
      s: { dims: [], data: [0.125] }, z: { dims: [], data: [0] }, b: { dims: [], data: [4] },
    },
  });
}

test('quantizedDatapath: nodes feeding or fed by a quantizer are in; a float branch beside them and a float model are not', () => {
  const m = mixedModel();
  const scope = quantizedDatapath(m.graph);
  const inScope = m.graph.nodeList().filter((n) => scope.has(n)).map((n) => n.outputs[0]);
  // Sub before the Quant feeds it; Div and Concat compute on its result. The float Sub/Div branch does neither.
  assert.deepEqual(inScope, ['q1', 'q2', 'q3', 'y']);
  const float = buildModel({ inputs: [['x', [1, 4]]], outputs: [['y', [1, 4]]], nodes: [node('Sub', ['x', 'c'], ['y'])], inits: { c: { dims: [], data: [1] } } });
  assert.equal(quantizedDatapath(float.graph).size, 0);
  // An integer finn_datatype on a float graph input makes its readers quantization points.
  float.graph.setDatatypeName('x', 'UINT8');
  assert.equal(quantizedDatapath(float.graph).size, 1);
  // ...but not on an integer-typed tensor (an INT64 shape is not quantized data).
  const shapeOnly = buildModel({ inputs: [['x', [1, 4]]], outputs: [['y', [4, 1]]], nodes: [node('Reshape', ['x', 'shp'], ['y'])], inits: { shp: { dims: [2], data: [4, 1], elemType: ElemType.INT64, datatype: 'INT64' } } });
  assert.equal(quantizedDatapath(shapeOnly.graph).size, 0);
});

test('streamlining rewrites the quantized branch only: the float Sub/Div stay', async () => {
  const m = mixedModel();
  await applyList(m, [...STREAMLINE, ...LOWERING]);
  const op = (out: string) => m.graph.producer(out)?.opType;
  assert.equal(op('f1'), 'Sub');
  assert.equal(op('f2'), 'Div');
  assert.notEqual(op('q1'), 'Sub', 'the Sub feeding the quantizer became an Add');
  assert.ok(!m.graph.nodeList().some((n) => n.opType === 'Div' && n.outputs[0] !== 'f2'), 'the Div after the quantizer became a Mul');
});

/** Every node (op, domain, inputs, outputs, attributes) and every initializer (name, type, bytes) as text. */
function signature(model: Model): string[] {
  const g = model.graph;
  const nodes = g.nodeList().map((n) => JSON.stringify([n.opType, n.domain, n.inputs, n.outputs, n.proto.attribute ?? []], (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
  const inits = g.initializers().map((t) => `${t.name} ${t.data_type} ${(t.dims ?? []).join('x')} ${Buffer.from(encodeTensorProto(t)).toString('base64').length} ${createHash('sha1').update(encodeTensorProto(t)).digest('hex')}`).sort();
  return [...nodes, ...inits];
}

/** The expected output of a light model (computed by the ONNX reference evaluator). */
function expectedOutput(file: string): Float64Array {
  return tensorToNumbers(tensorFromProto(decodeTensorProto(readFileSync(file.replace(/\.onnx$/, '_output_0.pb')))));
}

test('light models: the default blueprint\'s topology stage leaves them alone; outputs match the reference', { skip: skipNoShared, timeout: 110_000 }, async () => {
  const reg = await builtins();
  const plan = await buildPlan(reg, loadBlueprint('default'));
  for (const f of LIGHT) {
    const file = shared(LIGHT_DIR, f);
    const hist: Record<string, Map<string, number>> = {};
    const sig: Record<string, string[]> = {};
    const run = await runPlan(reg, plan, await loadModel(file), {
      stopAfter: 'topology',
      hooks: { stageEnd: (r, model) => { hist[r.stage] = opTypeHistogram(model); sig[r.stage] = signature(model); } },
    });
    assert.ok(hist.cleanup && hist.topology, `${f}: both stages ran`);
    assert.deepEqual([...hist.topology].sort(), [...hist.cleanup].sort(), `${f}: topology changed the op-type histogram`);
    // Same nodes wired the same way reading the same constants: the outputs cannot differ (executed below
    // for the small models; executing all nine takes minutes).
    assert.deepEqual(sig.topology, sig.cleanup, `${f}: topology changed the graph`);
    const topo = run.stages.find((s) => s.stage === 'topology')!;
    assert.deepEqual(topo.items.filter((i) => i.opTypesChanged.length).map((i) => i.name), [], `${f}: no topology transform changed an op type`);
    if (!EXECUTED.has(f)) continue;
    const model = run.model;
    const inputs = new Map(model.graph.inputNames().filter((n) => !model.graph.isInitializer(n)).map((n) => {
      const dims = model.graph.getShape(n)!.map((d) => (typeof d === 'number' ? d : 1));
      return [n, makeTensor(ElemType.FLOAT, dims, new Float32Array(dims.reduce((a, b) => a * b, 1)).fill(0.5))] as const;
    }));
    const out = (await executeModel(model, inputs, { fallback: 'onnxruntime' })).outputs.get(model.graph.outputNames()[0]!)!;
    const got = tensorToNumbers(out);
    const want = expectedOutput(file);
    assert.equal(got.length, want.length, `${f}: output size`);
    for (let i = 0; i < got.length; i++) assert.ok(Math.abs(got[i]! - want[i]!) <= 1e-5 + 1e-3 * Math.abs(want[i]!), `${f}: output ${i}: ${got[i]} vs ${want[i]}`);
  }
});

test('brainsmith compile --stop-after topology --json on a light model reports the op types it left alone', { skip: skipNoShared }, () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bs-scope-'));
  try {
    const r = runCli(['compile', shared(LIGHT_DIR, 'light_squeezenet.onnx'), '-o', path.join(dir, 'out'), '--stop-after', 'topology', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout) as { leftAlone: { opType: string; count: number }[]; opTypes: Record<string, number>; stages: { stage: string; changed: boolean }[] };
    const left = Object.fromEntries(summary.leftAlone.map((l) => [l.opType, l.count]));
    for (const op of ['Conv', 'Relu', 'Concat', 'MaxPool', 'GlobalAveragePool', 'Softmax']) assert.ok(left[op] && left[op] === summary.opTypes[op], `${op} reported as left alone`);
    assert.equal(summary.stages.find((s) => s.stage === 'topology')?.changed, false, 'topology changed nothing');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
