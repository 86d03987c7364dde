// Shared by the streamlining/lowering tests: the built-in registry, small model builders, running transforms
// (with fixpoints) and executing models for output comparison.
import assert from 'node:assert/strict';
import { ElemType, Model, assertGraphValid, makeTensor, tensorToNumbers, tensorToProto, type TensorValue } from '../../../src/index.js';
import { applyTransform, decodeModelProto, encodeModelProto } from '../../../src/host.js';
import type { ModelProto, NodeProto, AttributeProto } from '../../../src/onnx/proto-types.js';
import { makeValueInfo } from '../../../src/ir/shape.js';
import { executeModel } from '../../../src/exec/execute.js';
import { builtinRegistry } from '../../helpers/transforms.js';

/** The package's built-in plugins only (temp project and home, no plugin path). */
export const builtins = builtinRegistry;

/** Applies one transform until it reports no change (at most 50 times); returns whether it changed anything. */
export async function applyToFixpoint(model: Model, name: string, options: Record<string, unknown> = {}): Promise<boolean> {
  const reg = await builtins();
  let any = false;
  for (let i = 0; i < 50; i++) {
    const r = await applyTransform(reg, name, model, options);
    assertGraphValid(model.graph, `after ${name}`);
    if (!r.changed) return any;
    any = true;
  }
  throw new Error(`${name} does not reach a fixpoint`);
}

/** Applies the list in order, each to its fixpoint, and repeats the whole list until nothing changes. */
export async function applyList(model: Model, names: readonly string[], rounds = 10): Promise<void> {
  for (let r = 0; r < rounds; r++) {
    let any = false;
    for (const n of names) if (await applyToFixpoint(model, n)) any = true;
    if (!any) return;
  }
}

/** An independent copy (encode/decode), so a transform on one cannot touch the other. */
export function cloneModel(m: Model): Model {
  return new Model(decodeModelProto(encodeModelProto(m.toProto())));
}

export interface Init {
  dims: number[];
  data: ArrayLike<number>;
  elemType?: number;
  datatype?: string;
}

export const node = (op: string, inputs: string[], outputs: string[], attrs: AttributeProto[] = [], domain?: string): NodeProto => {
  const p: NodeProto = { op_type: op, input: inputs, output: outputs, name: `${op}_${outputs[0]}` };
  if (attrs.length) p.attribute = attrs;
  if (domain !== undefined) p.domain = domain;
  return p;
};
export const attrF = (name: string, f: number): AttributeProto => ({ name, type: 1, f });
export const attrI = (name: string, i: number): AttributeProto => ({ name, type: 2, i });
export const attrS = (name: string, s: string): AttributeProto => ({ name, type: 3, s: new TextEncoder().encode(s) });
export const attrInts = (name: string, ints: number[]): AttributeProto => ({ name, type: 7, ints });

/** A one-graph model: float inputs/outputs with shapes, initializers, optional datatypes. */
export function buildModel(spec: {
  inputs: [string, number[], string?][];
  outputs: [string, number[], number?][];
  nodes: NodeProto[];
  inits?: Record<string, Init>;
  valueInfo?: [string, number[]][];
}): Model {
  const initializer = Object.entries(spec.inits ?? {}).map(([name, i]) => {
    const et = i.elemType ?? ElemType.FLOAT;
    const data = et === ElemType.INT64 ? BigInt64Array.from(Array.from(i.data), (x) => BigInt(x)) : Float32Array.from(i.data);
    return tensorToProto(makeTensor(et, i.dims, data), name);
  });
  const m = new Model({
    ir_version: 8,
    opset_import: [{ domain: '', version: 13 }, { domain: 'qonnx.custom_op.general', version: 1 }],
    graph: {
      name: 'g', node: spec.nodes, initializer,
      input: spec.inputs.map(([n, s]) => makeValueInfo(n, ElemType.FLOAT, s)),
      output: spec.outputs.map(([n, s, et]) => makeValueInfo(n, et ?? ElemType.FLOAT, s)),
      value_info: (spec.valueInfo ?? []).map(([n, s]) => makeValueInfo(n, ElemType.FLOAT, s)),
    },
  } as ModelProto);
  for (const [n, , dt] of spec.inputs) if (dt) m.graph.setDatatypeName(n, dt);
  for (const [n, i] of Object.entries(spec.inits ?? {})) if (i.datatype) m.graph.setDatatypeName(n, i.datatype);
  return m;
}

/** Seeded pseudo-random floats in [lo, hi) (or integers when `integer`). */
export function randomTensor(dims: number[], seed: number, lo = -1, hi = 1, integer = false): TensorValue {
  let s = seed >>> 0 || 1;
  const n = dims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const v = lo + (s / 2 ** 32) * (hi - lo);
    data[i] = integer ? Math.floor(v) : v;
  }
  return makeTensor(ElemType.FLOAT, dims, data);
}

/** The first graph output's values. */
export async function run(model: Model, feeds: Record<string, TensorValue>): Promise<Float64Array> {
  const r = await executeModel(model, new Map(Object.entries(feeds)), { fallback: 'none' });
  return tensorToNumbers(r.outputs.get(model.graph.outputNames()[0]!)!);
}

export function assertClose(actual: Float64Array, expected: Float64Array, atol = 1e-4, rtol = 1e-4): void {
  assert.equal(actual.length, expected.length, 'output sizes differ');
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    assert.ok(Math.abs(a - e) <= atol + rtol * Math.abs(e), `element ${i}: ${a} vs ${e}`);
  }
}

/**
 * Transforms `model` with `names` and checks the outputs on `feeds` against the untouched copy's; returns the
 * transformed model's op types for structural assertions.
 */
export async function transformKeepsOutputs(model: Model, names: readonly string[], feeds: Record<string, TensorValue>, atol = 1e-4): Promise<string[]> {
  const before = await run(cloneModel(model), feeds);
  await applyList(model, names);
  const after = await run(cloneModel(model), feeds);
  assertClose(after, before, atol);
  return opTypes(model);
}

export const opTypes = (m: Model): string[] => m.graph.nodeList().map((n) => n.opType);
