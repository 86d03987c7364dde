// Test support for the QONNX → FINN transforms: small model builders, applying built-in transforms by name
// through the registry, running models with the reference executor and comparing outputs.
import assert from 'node:assert/strict';
import { ElemType, Model, makeTensor, makeValueInfo, tensorToNumbers, tensorToProto } from '../../../../src/index.js';
import { decodeModelProto, encodeModelProto } from '../../../../src/host.js';
import type { ModelProto, NodeProto, TensorProto } from '../../../../src/onnx/proto-types.js';
import type { TensorValue } from '../../../../src/tensor/tensor-value.js';
import { executeModel } from '../../../../src/exec/execute.js';
import { applyAll, builtinRegistry } from '../../../helpers/transforms.js';

export const QONNX = 'qonnx.custom_op.general';

/** The registry of the package's built-in plugins (opened once per test file). */
export const builtins = builtinRegistry;
export { applyAll };

export function f32(name: string, dims: number[], values: ArrayLike<number>): TensorProto {
  return tensorToProto(makeTensor(ElemType.FLOAT, dims, Float32Array.from(values as ArrayLike<number>)), name);
}

export function node(opType: string, inputs: string[], outputs: string[], attrs: Record<string, number | string | number[]> = {}, domain?: string): NodeProto {
  const attribute = Object.entries(attrs).map(([name, v]) => {
    if (typeof v === 'string') return { name, type: 3, s: new TextEncoder().encode(v) };
    if (Array.isArray(v)) return { name, type: 7, ints: v };
    return Number.isInteger(v) && !['alpha', 'beta', 'out_scale', 'out_bias'].includes(name) ? { name, type: 2, i: v } : { name, type: 1, f: v };
  });
  const n: NodeProto = { op_type: opType, input: inputs, output: outputs, name: `${opType}_${outputs[0]}`, attribute };
  if (domain) n.domain = domain;
  return n;
}

/** A Quant node with its parameters as fresh initializers (returned for the model's initializer list). */
export function quant(x: string, y: string, p: { scale: number | { dims: number[]; values: number[] }; zeroPoint?: number; bits: number; signed?: number; narrow?: number; rounding?: string }): { node: NodeProto; inits: TensorProto[] } {
  const s = typeof p.scale === 'number' ? f32(`${y}_s`, [], [p.scale]) : f32(`${y}_s`, p.scale.dims, p.scale.values);
  return {
    node: node('Quant', [x, `${y}_s`, `${y}_z`, `${y}_b`], [y], { signed: p.signed ?? 1, narrow: p.narrow ?? 0, rounding_mode: p.rounding ?? 'ROUND' }, QONNX),
    inits: [s, f32(`${y}_z`, [], [p.zeroPoint ?? 0]), f32(`${y}_b`, [], [p.bits])],
  };
}

export function buildModel(spec: {
  nodes: NodeProto[];
  /** Name, shape and optionally a finn_datatype annotation (an integer one puts the input in the quantized datapath). */
  inputs: [string, number[], string?][];
  outputs: [string, number[]][];
  inits?: TensorProto[];
  valueInfo?: [string, number[]][];
  opset?: number;
}): Model {
  const proto: ModelProto = {
    ir_version: 8,
    opset_import: [{ domain: '', version: spec.opset ?? 13 }, { domain: QONNX, version: 1 }],
    graph: {
      name: 'g',
      node: spec.nodes,
      input: spec.inputs.map(([n, d]) => makeValueInfo(n, ElemType.FLOAT, d)),
      output: spec.outputs.map(([n, d]) => makeValueInfo(n, ElemType.FLOAT, d)),
      initializer: spec.inits ?? [],
      value_info: (spec.valueInfo ?? []).map(([n, d]) => makeValueInfo(n, ElemType.FLOAT, d)),
    },
  } as ModelProto;
  const model = new Model(proto);
  for (const [n, , dt] of spec.inputs) if (dt) model.graph.setDatatypeName(n, dt);
  return model;
}

/** A deep copy through the codec, so transforms on the copy leave the original alone. */
export function cloneModel(m: Model): Model {
  return new Model(decodeModelProto(encodeModelProto(m.toProto())), m.source);
}

/** Seeded uniform random numbers in [lo, hi). */
export function seededRandom(seed: number): (lo: number, hi: number) => number {
  let s = seed >>> 0 || 1;
  return (lo, hi) => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return lo + (hi - lo) * (s / 4294967296);
  };
}

export function input(dims: number[], values: ArrayLike<number>): TensorValue {
  return makeTensor(ElemType.FLOAT, dims, Float32Array.from(values as ArrayLike<number>));
}

/** Runs the model on one named input; returns every output as float64 numbers. */
export async function run(model: Model, inputs: Record<string, TensorValue>): Promise<Map<string, Float64Array>> {
  const r = await executeModel(model, new Map(Object.entries(inputs)), { fallback: 'onnxruntime' });
  const out = new Map<string, Float64Array>();
  for (const [k, v] of r.outputs) out.set(k, tensorToNumbers(v));
  return out;
}

/** Outputs of `after` equal those of `before` (same names by position): exactly, or within tolerances. */
export function assertClose(before: Map<string, Float64Array>, after: Map<string, Float64Array>, tol: { rtol: number; atol: number } = { rtol: 0, atol: 0 }, what = 'outputs'): void {
  const a = [...before.values()];
  const b = [...after.values()];
  assert.equal(a.length, b.length, `${what}: output count`);
  a.forEach((x, k) => {
    const y = b[k]!;
    assert.equal(x.length, y.length, `${what}: output ${k} size`);
    for (let i = 0; i < x.length; i++) {
      const ok = tol.rtol === 0 && tol.atol === 0 ? Object.is(x[i], y[i]) || x[i] === y[i] : Math.abs(x[i]! - y[i]!) <= tol.atol + tol.rtol * Math.abs(x[i]!);
      if (!ok) assert.fail(`${what}: output ${k}[${i}] differs: ${x[i]} before, ${y[i]} after`);
    }
  });
}

export function opTypes(m: Model): string[] {
  return m.graph.nodeList().map((n) => n.opType);
}
