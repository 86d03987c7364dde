/**
 * The compile pipeline's cleanup + topology stages (the built-in default blueprint, in process, graph
 * verifier after every transform) on light_densenet121, light_inception_v2 and generated chains of 10,000
 * and 20,000 nodes; next to onnxruntime-node's own graph optimizer ('basic', writing the optimized model)
 * on the same light models. Targets (issue 4): doubling the nodes costs <= 2.3x the time; on the light
 * models <= 2x onnxruntime's time.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Model } from '../src/ir/model.js';
import { makeNode } from '../src/ir/node.js';
import { makeValueInfo } from '../src/ir/shape.js';
import { loadModel } from '../src/onnx/load.js';
import type { NodeProto, TensorProto } from '../src/onnx/proto-types.js';
import { openRegistry } from '../src/plugins/registry.js';
import { enableLifecycle } from '../src/plugins/runtime.js';
import { loadBlueprint } from '../src/pipeline/blueprint-load.js';
import { runPlan } from '../src/pipeline/pass-manager.js';
import { buildPlan } from '../src/pipeline/plan.js';
import { ElemType } from '../src/tensor/element-type.js';
import { makeTensor, tensorToProto } from '../src/tensor/tensor-value.js';
import { median, type Report } from './harness.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const light = path.resolve(root, '..', 'shared', 'fixtures', 'onnx-backend', 'light');
const LIGHT = ['light_densenet121', 'light_inception_v2'];

/**
 * A chain the cleanup and topology transforms all have work on: repeated Sub, Div, Relu, Identity with
 * scalar constants (Sub -> Add, Div -> Mul, Identity removed, Add moved past Mul and collapsed). The input is
 * annotated UINT8 (a quantized image, as in FINN flows), which puts the chain in the quantized datapath the
 * topology transforms act on; a float chain would pass through topology untouched.
 */
function chainModel(nodes: number): Model {
  const node: NodeProto[] = [];
  const initializer: TensorProto[] = [];
  const ops = ['Sub', 'Div', 'Relu', 'Identity'];
  let prev = 'x';
  for (let i = 0; i < nodes; i++) {
    const op = ops[i % ops.length]!;
    const out = `t${i}`;
    const inputs = [prev];
    if (op === 'Sub' || op === 'Div') {
      const c = `c${i}`;
      initializer.push(tensorToProto(makeTensor(ElemType.FLOAT, [], Float32Array.of(op === 'Div' ? 2 : 0.5)), c));
      inputs.push(c);
    }
    node.push(makeNode({ opType: op, name: `n${i}`, inputs, outputs: [out] }));
    prev = out;
  }
  const model = new Model({
    ir_version: 8,
    opset_import: [{ domain: '', version: 13 }],
    graph: { name: 'chain', node, initializer, input: [makeValueInfo('x', ElemType.FLOAT, [1, 16])], output: [makeValueInfo(prev, ElemType.FLOAT, [1, 16])] },
  });
  model.graph.setDatatypeName('x', 'UINT8');
  return model;
}

async function ortOptimizeMs(file: string, n: number): Promise<number[]> {
  const ort = await import('onnxruntime-node');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bs-bench-ort-'));
  const out: number[] = [];
  try {
    for (let i = 0; i <= n; i++) {
      const t0 = performance.now();
      const s = await ort.InferenceSession.create(file, { graphOptimizationLevel: 'basic', optimizedModelFilePath: path.join(dir, `opt${i}.onnx`) });
      const ms = performance.now() - t0;
      await s.release();
      if (i > 0) out.push(ms); // the first session also loads the native library
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

export async function run(report: Report): Promise<void> {
  const reg = await openRegistry({ cache: true });
  enableLifecycle(reg);
  const plan = await buildPlan(reg, loadBlueprint('default'));
  const stages = async (make: () => Promise<Model> | Model, n: number): Promise<number[]> => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const model = await make();
      model.graph; // build the IR outside the timing: loading is measured by the io suite
      // Collect the previous sample's garbage first, so each sample pays only for its own (run with --expose-gc).
      (globalThis as { gc?: () => void }).gc?.();
      const t0 = performance.now();
      await runPlan(reg, plan, model, { stopAfter: 'topology' });
      out.push(performance.now() - t0);
    }
    return out;
  };

  // Warm-up: imports every transform module once.
  await stages(() => chainModel(400), 1);

  // Side by side: the two sizes alternate, so a change in the machine's load hits both alike.
  const sizes = [10_000, 20_000] as const;
  const samples: Record<number, number[]> = { 10_000: [], 20_000: [] };
  for (let i = 0; i < 5; i++) for (const n of sizes) samples[n]!.push(...(await stages(() => chainModel(n), 1)));
  const chain: Record<number, number> = {};
  for (const n of sizes) {
    chain[n] = median(samples[n]!);
    report({ suite: 'pipeline', name: `cleanup+topology, chain of ${n} nodes`, median: chain[n], unit: 'ms', samples: samples[n] });
  }
  const ratio = chain[20_000]! / chain[10_000]!;
  report({ suite: 'pipeline', name: 'doubling the chain (20,000 / 10,000 nodes)', median: ratio, unit: 'x', target: '<= 2.3x', ok: ratio <= 2.3 });

  for (const name of LIGHT) {
    const file = path.join(light, `${name}.onnx`);
    if (!existsSync(file)) {
      report({ suite: 'pipeline', name: `${name}: fixture missing`, median: NaN, unit: 'ms', note: `needs ${file}` });
      continue;
    }
    // Both sides drop their first run on each model (ORT's also loads the native library; ours also compiles
    // the code paths this model reaches first); it is reported on its own line.
    const [first, ...ours] = await stages(() => loadModel(file), 6);
    const ort = await ortOptimizeMs(file, 5);
    report({ suite: 'pipeline', name: `cleanup+topology, ${name}, first run`, median: first!, unit: 'ms', note: 'not part of the ratio' });
    report({ suite: 'pipeline', name: `cleanup+topology, ${name}`, median: median(ours), unit: 'ms', samples: ours });
    report({ suite: 'pipeline', name: `onnxruntime basic optimizer, ${name}`, median: median(ort), unit: 'ms', samples: ort, note: 'session create with optimizedModelFilePath' });
    const r = median(ours) / median(ort);
    report({ suite: 'pipeline', name: `${name}: ours / onnxruntime`, median: r, unit: 'x', target: '<= 2x', ok: r <= 2 });
  }
}
