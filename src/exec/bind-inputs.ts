import { BrainsmithError } from '../errors.js';
import type { Model } from '../ir/model.js';
import type { Dim } from '../ir/shape.js';
import { elemTypeName } from '../tensor/element-type.js';
import type { TensorValue } from '../tensor/tensor-value.js';
import { executeModel } from './execute.js';
import { readNpy } from './npy.js';
import { readTensorPb } from './pb.js';
import type { ExecuteOptions, ExecuteResult, TensorMap } from './types.js';
import { allocData, product } from './values.js';

/** Matching user-given tensors to a model's inputs, checking them, and running batches of them. */

export interface GivenTensor {
  /** The model input it is for; undefined means "the next input in order". */
  name?: string;
  value: TensorValue;
  /** Where it came from, for messages. */
  source: string;
}

export interface BoundInputs {
  inputs: TensorMap;
  /** >1 when the given tensors carry a batch the model (with batch dimension 1) runs one sample at a time. */
  batch: number;
}

/** Reads a tensor file: `.npy`, or `.pb` (TensorProto). */
export function readTensorFile(file: string): TensorValue {
  return file.toLowerCase().endsWith('.pb') ? readTensorPb(file).value : readNpy(file);
}

/** Parses `name=path` or `path` as given on the command line. */
export function parseTensorArg(arg: string): { name?: string; path: string } {
  const eq = arg.indexOf('=');
  // A Windows drive letter or a path containing '=' after a slash is still a path.
  if (eq > 0 && !arg.slice(0, eq).includes('/')) return { name: arg.slice(0, eq), path: arg.slice(eq + 1) };
  return { path: arg };
}

/** The inputs a caller must provide: graph inputs that are not initializers. */
export function modelInputNames(model: Model): string[] {
  const g = model.graph;
  return g.inputNames().filter((n) => !g.isInitializer(n));
}

function fmt(dims: readonly (Dim | number)[]): string {
  return `[${dims.map((d) => (typeof d === 'number' ? String(d) : typeof d === 'string' ? d : '?')).join(', ')}]`;
}

/**
 * Assigns given tensors to model inputs (by name, else in order) and checks element type and shape against
 * the model. A model input whose first dimension is 1 accepts a batch of N samples (same N for all).
 */
export function bindInputs(model: Model, given: readonly GivenTensor[]): BoundInputs {
  const names = modelInputNames(model);
  const g = model.graph;
  const inputs: TensorMap = new Map();
  const free = names.filter((n) => !given.some((t) => t.name === n));
  let next = 0;
  const sources = new Map<string, string>();
  for (const t of given) {
    let name = t.name;
    if (name !== undefined) {
      if (!names.includes(name)) {
        throw new BrainsmithError('E_EXEC_INPUT', `${t.source}: the model has no input '${name}' (inputs: ${names.join(', ') || 'none'})`, { kind: 'usage' });
      }
    } else {
      name = free[next++];
      if (name === undefined) throw new BrainsmithError('E_EXEC_INPUT', `${t.source}: more tensors given than the model has inputs (${names.length})`, { kind: 'usage' });
    }
    if (inputs.has(name)) throw new BrainsmithError('E_EXEC_INPUT', `${t.source}: input '${name}' is given twice`, { kind: 'usage' });
    inputs.set(name, t.value);
    sources.set(name, t.source);
  }
  const missing = names.filter((n) => !inputs.has(n));
  if (missing.length > 0) throw new BrainsmithError('E_EXEC_INPUT', `no tensor given for model input${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')}`, { kind: 'usage' });

  let batch = 1;
  for (const [name, v] of inputs) {
    const src = sources.get(name)!;
    const want = g.getElemType(name);
    if (want !== undefined && want !== 0 && want !== v.elemType) {
      throw new BrainsmithError('E_EXEC_INPUT', `${src}: model input '${name}' is ${elemTypeName(want)}, the file holds ${elemTypeName(v.elemType)}`, { kind: 'usage' });
    }
    const shape = g.getShape(name);
    if (shape === undefined) continue;
    const fits = (dims: readonly number[]): boolean =>
      dims.length === shape.length && shape.every((d, i) => typeof d !== 'number' || d === dims[i]);
    if (fits(v.dims)) continue;
    const batched = shape.length === v.dims.length && shape[0] === 1 && v.dims[0]! > 1 && fits([1, ...v.dims.slice(1)]);
    if (!batched) {
      throw new BrainsmithError('E_EXEC_INPUT', `${src}: model input '${name}' has shape ${fmt(shape)}, the file holds ${fmt(v.dims)}`, { kind: 'usage' });
    }
    if (batch !== 1 && batch !== v.dims[0]) {
      throw new BrainsmithError('E_EXEC_INPUT', `${src}: batch of ${v.dims[0]} does not match the batch of ${batch} of the other inputs`, { kind: 'usage' });
    }
    batch = v.dims[0]!;
  }
  return { inputs, batch };
}

/** Sample `i` of a batched tensor (first dimension), as a tensor with first dimension 1. */
export function sampleOf(v: TensorValue, i: number): TensorValue {
  const per = product(v.dims, 1);
  const d = v.data;
  const data = Array.isArray(d) ? d.slice(i * per, (i + 1) * per) : d.subarray(i * per, (i + 1) * per);
  return { elemType: v.elemType, dims: [1, ...v.dims.slice(1)], data };
}

/** Concatenates per-sample tensors along the first dimension. */
export function stackSamples(parts: readonly TensorValue[]): TensorValue {
  const first = parts[0]!;
  const per = product(first.dims);
  const leading = first.dims.length === 0 ? [parts.length] : [first.dims[0]! * parts.length, ...first.dims.slice(1)];
  if (Array.isArray(first.data)) return { elemType: first.elemType, dims: leading, data: parts.flatMap((p) => p.data as string[]) };
  const out = allocData(first.elemType, per * parts.length);
  parts.forEach((p, k) => (out as Float32Array).set(p.data as Float32Array, k * per));
  return { elemType: first.elemType, dims: leading, data: out };
}

/** Runs the model once per sample of a batch (see bindInputs) and stacks the outputs. */
export async function executeBatched(model: Model, bound: BoundInputs, opts: ExecuteOptions = {}): Promise<ExecuteResult> {
  if (bound.batch === 1) return executeModel(model, bound.inputs, opts);
  const perOutput = new Map<string, TensorValue[]>();
  const delegated = new Set<string>();
  for (let i = 0; i < bound.batch; i++) {
    const sample: TensorMap = new Map();
    for (const [name, v] of bound.inputs) sample.set(name, v.dims[0] === bound.batch && bound.batch > 1 ? sampleOf(v, i) : v);
    const r = await executeModel(model, sample, { ...opts, keepIntermediates: false });
    for (const [name, v] of r.outputs) {
      const list = perOutput.get(name) ?? [];
      list.push(v);
      perOutput.set(name, list);
    }
    r.delegated.forEach((d) => delegated.add(d));
  }
  const outputs: TensorMap = new Map();
  for (const [name, list] of perOutput) outputs.set(name, stackSamples(list));
  return { outputs, delegated: [...delegated].sort() };
}
