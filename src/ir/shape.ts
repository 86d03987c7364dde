import type { TensorProto, TensorShapeDimension, TypeProto, ValueInfoProto } from '../onnx/proto-types.js';
import { int64ToBigInt, int64ToNumber, isSafeInt64 } from '../onnx/int64.js';

/** A dimension: a size, a symbolic name (dim_param), or UNKNOWN_DIM when the file gives neither. */
export type Dim = number | string;
export const UNKNOWN_DIM = '?';

/** Decoded messages read absent fields from prototype defaults, so presence is "own and not null". */
function present<T extends object>(obj: T, key: keyof T): boolean {
  return Object.hasOwn(obj, key) && obj[key] !== undefined && obj[key] !== null;
}

function dimOf(d: TensorShapeDimension): Dim {
  if (present(d, 'dim_value')) {
    // Beyond 2^53 a number would round (2^62 printed as 4611686018427388000): kept exact, as text.
    return isSafeInt64(d.dim_value!) ? int64ToNumber(d.dim_value) : int64ToBigInt(d.dim_value).toString();
  }
  if (present(d, 'dim_param') && d.dim_param !== '') return d.dim_param!;
  return UNKNOWN_DIM;
}

/** The declared tensor shape, or undefined when the type has no shape (unknown rank) or is not a tensor. */
export function shapeOfType(type: TypeProto | null | undefined): Dim[] | undefined {
  const shape = type?.tensor_type?.shape;
  if (!shape) return undefined;
  return (shape.dim ?? []).map(dimOf);
}

export function elemTypeOfType(type: TypeProto | null | undefined): number | undefined {
  const t = type?.tensor_type?.elem_type;
  return t ? t : undefined;
}

export function initializerShape(t: TensorProto): number[] {
  return (t.dims ?? []).map((d) => int64ToNumber(d));
}

export function makeDim(d: Dim): TensorShapeDimension {
  if (typeof d === 'number') return { dim_value: d };
  return d === UNKNOWN_DIM ? {} : { dim_param: d };
}

/** A tensor TypeProto; shape undefined means unknown rank. */
export function makeTensorType(elemType: number, shape: readonly Dim[] | undefined): TypeProto {
  const tensorType: TypeProto['tensor_type'] = { elem_type: elemType };
  if (shape) tensorType.shape = { dim: shape.map(makeDim) };
  return { tensor_type: tensorType };
}

export function makeValueInfo(name: string, elemType: number, shape?: readonly Dim[]): ValueInfoProto {
  return { name, type: makeTensorType(elemType, shape) };
}

/** Static dims must match; symbolic or unknown dims match anything. */
export function shapesCompatible(a: readonly Dim[], b: readonly Dim[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (typeof x === 'number' && typeof y === 'number' && x !== y) return false;
  }
  return true;
}

export function formatShape(s: readonly Dim[]): string {
  return `[${s.join(', ')}]`;
}
