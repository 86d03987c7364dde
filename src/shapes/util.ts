import { BrainsmithError } from '../errors.js';
import { getAttribute, getInt, getInts } from '../ir/attributes.js';
import { AttributeType } from '../onnx/proto-types.js';
import type { Int64 } from '../onnx/int64.js';
import type { Node } from '../ir/node.js';
import { UNKNOWN_DIM, type Dim } from '../ir/shape.js';
import { ElemType } from '../tensor/element-type.js';
import { makeTensor, numElements, tensorToNumbers, type TensorValue } from '../tensor/tensor-value.js';

/** Integer tensors up to this many elements carry their value through inference (shape arithmetic). */
export const MAX_PROPAGATED_ELEMENTS = 1024;

export function shapeError(node: Node, message: string): BrainsmithError {
  return new BrainsmithError('E_SHAPE_INFERENCE', `node ${node.toString()}: ${message}`, { kind: 'input' });
}

export function isStatic(shape: readonly Dim[] | undefined): shape is number[] {
  return shape !== undefined && shape.every((d) => typeof d === 'number');
}

/** Product of the dims, or undefined when one is not a number. */
export function staticSize(shape: readonly Dim[]): number | undefined {
  let n = 1;
  for (const d of shape) {
    if (typeof d !== 'number') return undefined;
    n *= d;
  }
  return n;
}

/** Normalizes a possibly negative axis against a rank. */
export function axis(node: Node, a: number, rank: number): number {
  const r = a < 0 ? a + rank : a;
  if (r < 0 || r >= rank) throw shapeError(node, `axis ${a} is out of range for rank ${rank}`);
  return r;
}

/** Numpy-style broadcast of several shapes; undefined when one is of unknown rank. */
export function broadcast(node: Node, shapes: readonly (readonly Dim[] | undefined)[]): Dim[] | undefined {
  if (shapes.some((s) => s === undefined)) return undefined;
  const rank = Math.max(0, ...shapes.map((s) => s!.length));
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    let d: Dim = 1;
    for (const s of shapes) {
      const k = i - (rank - s!.length);
      if (k < 0) continue;
      const x = s![k]!;
      if (x === 1) continue;
      if (d === 1) d = x;
      else if (typeof d === 'number' && typeof x === 'number' && d !== x) {
        throw shapeError(node, `shapes ${shapes.map((q) => `[${q!.join(',')}]`).join(' and ')} do not broadcast`);
      } else if (typeof d !== 'number' && typeof x === 'number') d = x;
    }
    out.push(d);
  }
  return out;
}

/** Element values as plain numbers (int64 beyond 2^53 rounds; fine for shape arithmetic). */
export function numbers(v: TensorValue): number[] {
  return Array.from(tensorToNumbers(v));
}

/** An INT64 tensor holding the given integers. */
export function int64Tensor(dims: readonly number[], values: readonly number[]): TensorValue {
  return makeTensor(ElemType.INT64, dims, BigInt64Array.from(values, (x) => BigInt(Math.trunc(x))));
}

/** Whether a value of this type and size is carried along for shape arithmetic. */
export function propagates(elemType: number | undefined, dims: readonly Dim[] | undefined): boolean {
  if (elemType !== ElemType.INT64 && elemType !== ElemType.INT32) return false;
  const n = dims && staticSize(dims);
  return n !== undefined && n <= MAX_PROPAGATED_ELEMENTS;
}

/** Value with the same element type as `like`, from numbers. */
export function sameTypeTensor(like: number, dims: readonly number[], values: readonly number[]): TensorValue {
  if (like === ElemType.INT32) return makeTensor(ElemType.INT32, dims, Int32Array.from(values));
  return int64Tensor(dims, values);
}

/** A decoded int64 as a number when exact (Long.toNumber is exact for safe integers), else undefined. */
function fastInt(v: Int64 | null | undefined): number | undefined {
  const n = typeof v === 'number' ? v : v ? v.toNumber() : 0;
  return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * INT attribute read on the hot path: attributes.ts checks exactness through Long.toString, which costs
 * microseconds per value; unusual cases (wrong type, huge values) go through it for its error messages.
 */
export function attrInt(node: Node, name: string, dflt?: number): number {
  const a = getAttribute(node, name);
  if (a && (a.type === AttributeType.INT || (!a.type && a.i !== undefined))) {
    const n = fastInt(a.i);
    if (n !== undefined) return n;
  }
  return getInt(node, name, dflt);
}

/** INTS attribute, fast path as attrInt. */
export function attrInts(node: Node, name: string, dflt?: readonly number[]): number[] {
  const a = getAttribute(node, name);
  if (a && a.type === AttributeType.INTS && a.ints) {
    const out = new Array<number>(a.ints.length);
    let ok = true;
    for (let i = 0; i < a.ints.length && ok; i++) {
      const n = fastInt(a.ints[i]);
      if (n === undefined) ok = false;
      else out[i] = n;
    }
    if (ok) return out;
  }
  return getInts(node, name, dflt);
}

export function optionalInts(node: Node, name: string): number[] | undefined {
  return getAttribute(node, name) ? attrInts(node, name) : undefined;
}

/** Spatial output size of a sliding window (Conv, pooling), ONNX formula with explicit pads. */
export function windowOut(inDim: Dim, kernel: number, stride: number, padBegin: number, padEnd: number, dilation: number, ceil: boolean): Dim {
  if (typeof inDim !== 'number') return UNKNOWN_DIM;
  const eff = (kernel - 1) * dilation + 1;
  const span = inDim + padBegin + padEnd - eff;
  let out = (ceil ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  // With ceil_mode a window may not start inside the end padding.
  if (ceil && (out - 1) * stride >= inDim + padBegin) out--;
  return out;
}

/** Output spatial dims for SAME_UPPER/SAME_LOWER (ceil(in/stride)) or VALID. */
export function autoPadOut(inDim: Dim, kernel: number, stride: number, dilation: number, mode: string): Dim {
  if (typeof inDim !== 'number') return UNKNOWN_DIM;
  if (mode === 'VALID') return Math.floor((inDim - ((kernel - 1) * dilation + 1)) / stride) + 1;
  return Math.ceil(inDim / stride);
}

export { numElements, UNKNOWN_DIM };
