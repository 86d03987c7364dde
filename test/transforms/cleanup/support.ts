/** Shared pieces of the cleanup-transform tests: small models, the built-in registry, run-and-check helpers. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Model } from '../../../src/index.js';
import { applyTransform, encodeModelProto, openRegistry, type Registry } from '../../../src/host.js';
import { executeModel } from '../../../src/exec/execute.js';
import type { TensorMap } from '../../../src/exec/types.js';
import type { GraphProto, ModelProto, NodeProto, TensorProto } from '../../../src/onnx/proto-types.js';
import { makeValueInfo } from '../../../src/ir/shape.js';
import { assertGraphValid } from '../../../src/ir/verify.js';
import { ElemType } from '../../../src/tensor/element-type.js';
import { makeTensor, numElements, tensorToNumbers, tensorToProto, type TensorValue } from '../../../src/tensor/tensor-value.js';

export const F = ElemType.FLOAT;
export const QONNX = 'qonnx.custom_op.general';

export function node(op: string, inputs: string[], outputs: string[], extra: Partial<NodeProto> = {}): NodeProto {
  return { op_type: op, input: inputs, output: outputs, ...extra };
}

export function floatInit(name: string, dims: number[], values: number[]): TensorProto {
  return tensorToProto(makeTensor(F, dims, Float32Array.from(values)), name);
}

export function int64Init(name: string, values: number[], dims = [values.length]): TensorProto {
  return tensorToProto(makeTensor(ElemType.INT64, dims, BigInt64Array.from(values, (v) => BigInt(v))), name);
}

export interface GraphSpec {
  nodes: NodeProto[];
  inputs: [string, number[]][];
  outputs: [string, number[] | undefined][];
  initializers?: TensorProto[];
  extra?: Partial<GraphProto>;
  opsets?: { domain: string; version: number }[];
}

export function makeModel(spec: GraphSpec): Model {
  return new Model({
    ir_version: 8,
    opset_import: spec.opsets ?? [{ domain: '', version: 13 }, { domain: QONNX, version: 1 }],
    graph: {
      name: 'g',
      node: spec.nodes,
      input: spec.inputs.map(([n, s]) => makeValueInfo(n, F, s)),
      output: spec.outputs.map(([n, s]) => makeValueInfo(n, F, s)),
      initializer: spec.initializers ?? [],
      ...spec.extra,
    },
  } as ModelProto);
}

let registry: Promise<Registry> | undefined;

/** The package's built-in plugins (no project or user plugins). */
export function builtins(): Promise<Registry> {
  registry ??= (async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'bs-cleanup-'));
    mkdirSync(path.join(root, 'proj'));
    mkdirSync(path.join(root, 'home'));
    return openRegistry({ projectDir: path.join(root, 'proj'), home: path.join(root, 'home'), pluginPath: '' });
  })();
  return registry;
}

/** Seeded uniform inputs in [-1, 1) for every non-initializer graph input with a static shape. */
export function seededInputs(model: Model, seed = 42): TensorMap {
  let s = seed >>> 0;
  const rand = (): number => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const g = model.graph;
  const out: TensorMap = new Map();
  for (const name of g.inputNames()) {
    if (g.isInitializer(name)) continue;
    const dims = (g.getShape(name) ?? []).map((d) => (typeof d === 'number' ? d : 1));
    const n = numElements(dims);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = rand() * 2 - 1;
    out.set(name, makeTensor(F, dims, data));
  }
  return out;
}

/** Graph outputs in order (names change under renaming transforms; positions do not). */
export async function outputsInOrder(model: Model, inputsInOrder: TensorValue[]): Promise<TensorValue[]> {
  const g = model.graph;
  const names = g.inputNames().filter((n) => !g.isInitializer(n));
  const r = await executeModel(model, new Map(names.map((n, i) => [n, inputsInOrder[i]!])));
  return g.outputNames().map((n) => r.outputs.get(n)!);
}

/** Same dims and values; floats within 1e-5 absolute / 1e-4 relative. */
export function assertSameTensors(actual: TensorValue[], expected: TensorValue[], what: string): void {
  assert.equal(actual.length, expected.length, `${what}: output count`);
  actual.forEach((a, k) => {
    const e = expected[k]!;
    assert.deepEqual(a.dims, e.dims, `${what}: dims of output ${k}`);
    const x = tensorToNumbers(a);
    const y = tensorToNumbers(e);
    for (let i = 0; i < x.length; i++) {
      const tol = 1e-5 + 1e-4 * Math.abs(y[i]!);
      if (!(Math.abs(x[i]! - y[i]!) <= tol) && !(Number.isNaN(x[i]!) && Number.isNaN(y[i]!))) {
        assert.fail(`${what}: output ${k}[${i}] is ${x[i]}, expected ${y[i]}`);
      }
    }
  });
}

/** Bytes of the model as it would be saved: equal bytes mean nothing changed. */
export function snapshot(model: Model): Uint8Array {
  return encodeModelProto(model.toProto());
}

export interface CheckResult {
  changed: boolean;
}

/**
 * Applies a transform and checks the contract every cleanup transform has: the graph stays valid, the
 * outputs on seeded inputs stay the same, and a second application returns false and changes nothing.
 */
export async function applyAndCheck(name: string, model: Model, options: Record<string, unknown> = {}, inputs?: TensorValue[]): Promise<CheckResult> {
  const reg = await builtins();
  const ins = inputs ?? [...seededInputs(model).values()];
  const before = await outputsInOrder(model, ins);
  const r = await applyTransform(reg, name, model, options);
  assertGraphValid(model.graph, `after ${name}`);
  assertSameTensors(await outputsInOrder(model, ins), before, `outputs after ${name}`);
  const bytes = snapshot(model);
  const again = await applyTransform(reg, name, model, options);
  assert.equal(again.changed, false, `${name} is not idempotent: the second run reported a change`);
  assert.deepEqual(snapshot(model), bytes, `${name} is not idempotent: the second run changed the model`);
  return { changed: r.changed };
}

export function opTypes(model: Model): string[] {
  return model.graph.nodeList().map((n) => n.opType);
}
