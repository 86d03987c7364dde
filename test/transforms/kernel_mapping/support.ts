// Test support for the kernel_mapping transforms: the default blueprint's cleanup + topology stages, our
// transforms by name through the registry, and execution with kernel plugins as resolvers.
import assert from 'node:assert/strict';
import { ElemType, Model, loadModel, makeTensor, tensorToNumbers, type TensorValue } from '../../../src/index.js';
import { buildPlan, decodeModelProto, encodeModelProto, loadBlueprint, runPlan } from '../../../src/host.js';
import { executeModel } from '../../../src/exec/execute.js';
import { applyAll, builtinRegistry } from '../../helpers/transforms.js';

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

/** The built-in plugins' registry with the kernel catalog service (opened once per test file). */
export const builtins = builtinRegistry;
export { applyAll };

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
  const r = await executeModel(model, new Map(Object.entries(inputs)), { fallback: 'none', resolvers: [await reg.hw.opResolver(model)] });
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
