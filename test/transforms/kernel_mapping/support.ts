// Test support for the kernel_mapping transforms: the default blueprint's cleanup + topology stages, our
// transforms by name through the registry, and execution with kernel plugins as resolvers.
import assert from 'node:assert/strict';
import {
  ElemType, Model, applyTransform, assertGraphValid, buildPlan, decodeModelProto, encodeModelProto, loadBlueprint,
  loadModel, makeTensor, openRegistry, runPlan, tensorToNumbers, type Registry, type TensorValue,
} from '../../../src/index.js';
import { executeModel } from '../../../src/exec/execute.js';
import { kernelResolver, registerKernelCatalog } from '../../../src/exec/kernel-resolver.js';
import { tempProject } from '../../plugins/helpers.js';

/** The kernel_mapping stage proposed for the default blueprint (without InsertTopK, which changes outputs). */
export const KERNEL_MAPPING = [
  'InferBinaryMatrixVectorActivation',
  'InferQuantizedMatrixVectorActivation',
  'InferLabelSelectLayer',
  'InferThresholdingLayer',
  'InferPool',
  'InferConvInpGen',
  'InferStreamingMaxPool',
  'RemoveCNVtoFCFlatten',
  'AbsorbConsecutiveTransposes',
  'SortGraph',
  'SpecializeLayers',
  'GiveUniqueNodeNames',
  'CreateDataflowPartition',
];

let registry: Promise<Registry> | undefined;
/** The built-in plugins' registry with the kernel catalog service (opened once per test file). */
export function builtins(): Promise<Registry> {
  const p = tempProject();
  registry ??= openRegistry({ projectDir: p.dir, home: p.home, pluginPath: '' }).then((r) => {
    registerKernelCatalog(r);
    return r;
  });
  return registry;
}

/** Applies transforms in order, each until it reports no change, verifying the graph after each. */
export async function applyAll(model: Model, names: readonly string[], options: Record<string, Record<string, unknown>> = {}): Promise<string[]> {
  const reg = await builtins();
  const changed: string[] = [];
  for (const name of names) {
    for (let round = 0; round < 20; round++) {
      const r = await applyTransform(reg, name, model, options[name] ?? {});
      assertGraphValid(model.graph, `after ${name}`);
      if (!r.changed) break;
      if (round === 0) changed.push(name);
    }
  }
  return changed;
}

/** The model after the default blueprint's cleanup and topology stages. */
export async function streamlined(file: string): Promise<Model> {
  const reg = await builtins();
  const plan = await buildPlan(reg, loadBlueprint('default'));
  const r = await runPlan(reg, plan, await loadModel(file), { stopAfter: 'topology' });
  return r.model;
}

export function cloneModel(m: Model): Model {
  return new Model(decodeModelProto(encodeModelProto(m.toProto())), m.source);
}

/** Runs the model (kernel nodes through their plugins, nothing through onnxruntime); outputs as numbers. */
export async function run(model: Model, inputs: Record<string, TensorValue>): Promise<Float64Array[]> {
  const reg = await builtins();
  const r = await executeModel(model, new Map(Object.entries(inputs)), { fallback: 'none', resolvers: [await kernelResolver(reg, model)] });
  return [...r.outputs.values()].map((v) => tensorToNumbers(v));
}

/** Seeded uniform numbers in [lo, hi), integers when asked. */
export function randomTensor(dims: number[], seed: number, lo: number, hi: number, integer = false): TensorValue {
  let s = seed >>> 0 || 1;
  const n = dims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    const v = lo + (hi - lo) * (s / 4294967296);
    data[i] = integer ? Math.floor(v) : v;
  }
  return makeTensor(ElemType.FLOAT, dims, data);
}

export function assertSameOutputs(a: Float64Array[], b: Float64Array[], what: string): void {
  assert.equal(a.length, b.length, `${what}: output count`);
  a.forEach((x, k) => assert.deepEqual(Array.from(b[k]!), Array.from(x), `${what}: output ${k}`));
}

/** Op type histogram `{ MVAU_hls: 4, … }`. */
export function histogram(m: Model): Record<string, number> {
  const h: Record<string, number> = {};
  for (const n of m.graph.nodeList()) h[n.opType] = (h[n.opType] ?? 0) + 1;
  return h;
}
