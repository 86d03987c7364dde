/**
 * Inputs for verification: the model's real graph inputs (initializers excluded), filled from .npy files
 * or with seeded random values inside each input's range: its FINN DataType annotation when present
 * (integers drawn uniformly from [min, max]), else the element type's integer range, else a float range.
 */
import { BrainsmithError } from '../errors.js';
import type { Model } from '../ir/model.js';
import { tryParseDataType } from '../datatype/index.js';
import { elemTypeInfo, elemTypeName } from '../tensor/element-type.js';
import { makeTensor, numElements, tensorToNumbers, type NumericArray, type TensorValue } from '../tensor/tensor-value.js';
import { seededRandom } from '../util/prng.js';

export interface InputSpec {
  name: string;
  elemType: number;
  dims: number[];
  datatype?: string;
}

/** Graph inputs that are not initializers, with symbolic dimensions taken as 1 (batch). */
export function modelInputs(model: Model): InputSpec[] {
  const g = model.graph;
  return g
    .inputNames()
    .filter((n) => g.getInitializer(n) === undefined)
    .map((name) => ({
      name,
      elemType: g.getElemType(name) ?? 1,
      dims: (g.getShape(name) ?? []).map((d) => (typeof d === 'number' && d >= 0 ? d : 1)),
      datatype: g.getDatatypeName(name),
    }));
}

/** A typed array of the element type's container holding `values`. */
export function fromNumbers(elemType: number, dims: number[], values: Float64Array): TensorValue {
  const info = elemTypeInfo(elemType);
  let data: NumericArray;
  switch (info.storage) {
    case 'Float32Array': data = Float32Array.from(values); break;
    case 'Float64Array': data = values; break;
    case 'Int8Array': data = Int8Array.from(values); break;
    case 'Uint8Array': data = Uint8Array.from(values); break;
    case 'Int16Array': data = Int16Array.from(values); break;
    case 'Uint16Array': data = Uint16Array.from(values); break;
    case 'Int32Array': data = Int32Array.from(values); break;
    case 'Uint32Array': data = Uint32Array.from(values); break;
    case 'BigInt64Array': data = BigInt64Array.from(values, (v) => BigInt(v)); break;
    case 'BigUint64Array': data = BigUint64Array.from(values, (v) => BigInt(v)); break;
    default:
      throw new BrainsmithError('E_VERIFY_INPUT', `cannot make random values of element type ${elemTypeName(elemType)}`, { kind: 'input' });
  }
  return makeTensor(elemType, dims, data);
}

/** Integer range of a value kind, capped so that random draws stay exact in float64 and float32. */
function intRange(spec: InputSpec): [number, number] | undefined {
  const dt = spec.datatype ? tryParseDataType(spec.datatype) : undefined;
  if (dt && dt.isInteger()) return [Math.max(dt.min(), -(2 ** 24)), Math.min(dt.max(), 2 ** 24)];
  const info = elemTypeInfo(spec.elemType);
  if (dt || info.isFloat || !info.isInteger) return undefined;
  const bits = Math.min(info.bits, 16);
  return info.isSigned ? [-(2 ** (bits - 1)), 2 ** (bits - 1) - 1] : [0, 2 ** bits - 1];
}

/** Random samples compile --verify runs by default: one sample missed a 1% change of one weight, 20 caught it. */
export const DEFAULT_RANDOM_SAMPLES = 20;

/**
 * Seeded random inputs: `samples` samples stacked on the batch axis when every input has batch 1 (the
 * Verifier runs them one by one), else one sample.
 */
export function randomBatch(specs: InputSpec[], seed: number, floatRange: [number, number], samples: number): BoundInputs {
  const batchable = samples > 1 && specs.length > 0 && specs.every((s) => s.dims.length > 0 && s.dims[0] === 1);
  const batch = batchable ? samples : 1;
  const stacked = specs.map((s) => (batch > 1 ? { ...s, dims: [batch, ...s.dims.slice(1)] } : s));
  return { inputs: randomInputs(stacked, seed, floatRange), batch };
}

export function randomInputs(specs: InputSpec[], seed: number, floatRange: [number, number]): Map<string, TensorValue> {
  const rand = seededRandom(seed);
  const out = new Map<string, TensorValue>();
  for (const s of specs) {
    const n = numElements(s.dims);
    const values = new Float64Array(n);
    const range = intRange(s);
    const dt = s.datatype ? tryParseDataType(s.datatype) : undefined;
    if (dt?.name === 'BIPOLAR') for (let i = 0; i < n; i++) values[i] = rand() < 0.5 ? -1 : 1;
    else if (range) for (let i = 0; i < n; i++) values[i] = range[0] + Math.floor(rand() * (range[1] - range[0] + 1));
    else for (let i = 0; i < n; i++) values[i] = floatRange[0] + rand() * (floatRange[1] - floatRange[0]);
    out.set(s.name, fromNumbers(s.elemType, s.dims, values));
  }
  return out;
}

/** Given tensors bound to the model's inputs by position; `batch` > 1 when they carry N samples of a batch-1 model. */
export interface BoundInputs {
  inputs: Map<string, TensorValue>;
  batch: number;
}

/**
 * Checks that given tensors fit the model's inputs (by position): the same shape, or a batch of N samples
 * when the model's first dimension is 1. The element type must be the input's, and a mismatch is a usage
 * error (exit 2), exactly as `brainsmith exec` rules.
 */
export function bindInputs(specs: InputSpec[], tensors: TensorValue[], files: string[]): BoundInputs {
  if (tensors.length !== specs.length) {
    throw new BrainsmithError('E_VERIFY_INPUT', `the model has ${specs.length} input${specs.length === 1 ? '' : 's'} (${specs.map((s) => s.name).join(', ')}), got ${tensors.length} --input file${tensors.length === 1 ? '' : 's'}`, { kind: 'usage' });
  }
  const out = new Map<string, TensorValue>();
  let batch = 1;
  specs.forEach((s, i) => {
    const t = tensors[i]!;
    const per = numElements(s.dims);
    const n = numElements(t.dims);
    if (t.elemType !== s.elemType) {
      throw new BrainsmithError('E_VERIFY_INPUT', `${files[i]}: model input '${s.name}' is ${elemTypeName(s.elemType)}, the file holds ${elemTypeName(t.elemType)}`, { kind: 'usage', file: files[i] });
    }
    const batched = s.dims[0] === 1 && t.dims[0]! > 1 && n === per * t.dims[0]!;
    if (n !== per && !batched) {
      throw new BrainsmithError('E_VERIFY_INPUT', `${files[i]}: shape [${t.dims.join(', ')}] does not fit input '${s.name}' of shape [${s.dims.join(', ')}]`, { kind: 'usage', file: files[i] });
    }
    if (batched) {
      if (batch !== 1 && batch !== t.dims[0]) throw new BrainsmithError('E_VERIFY_INPUT', `${files[i]}: a batch of ${t.dims[0]} does not match the batch of ${batch} of the other inputs`, { kind: 'usage', file: files[i] });
      batch = t.dims[0]!;
    }
    const dims = batched ? [batch, ...s.dims.slice(1)] : s.dims.length ? s.dims.slice() : t.dims;
    out.set(s.name, { ...t, dims });
  });
  return { inputs: out, batch };
}
