import { BrainsmithError } from '../errors.js';
import { describeNode, type Node } from '../ir/node.js';
import { ElemType, elemTypeInfo, elemTypeName } from '../tensor/element-type.js';
import { encodeFloatArray, decodeFloatArray, isFloatFormat } from '../tensor/float-formats.js';
import type { NumericArray, TensorValue } from '../tensor/tensor-value.js';

/**
 * Shared helpers of the native ops: element values as float64, building outputs of any element type,
 * shapes and strides. Ops compute in float64 and store into the output's container, which rounds float32
 * results exactly as numpy does for single correctly rounded operations.
 */

/** Raised by an op that does not implement a node's variant; the executor may then delegate the node. */
export const E_EXEC_UNSUPPORTED = 'E_EXEC_UNSUPPORTED';

export function unsupported(node: Node, what: string): BrainsmithError {
  return new BrainsmithError(E_EXEC_UNSUPPORTED, `node ${describeNode(node)}: ${what}`);
}

export function execError(node: Node, what: string): BrainsmithError {
  return new BrainsmithError('E_EXEC_NODE', `node ${describeNode(node)}: ${what}`);
}

/** Element values as float64 (a copy, or the array itself when it already is Float64Array). */
export function toF64(t: TensorValue): Float64Array {
  const d = t.data;
  if (d instanceof Float64Array) return d;
  if (d instanceof BigInt64Array || d instanceof BigUint64Array) {
    const out = new Float64Array(d.length);
    for (let i = 0; i < d.length; i++) out[i] = Number(d[i]!);
    return out;
  }
  if (Array.isArray(d)) throw new BrainsmithError('E_EXEC_UNSUPPORTED', `${elemTypeName(t.elemType)} tensors are not supported by the native ops`);
  return new Float64Array(d as Exclude<NumericArray, BigInt64Array | BigUint64Array>);
}

/** Read access without copying: typed arrays other than 64-bit integers index directly as numbers. */
export type NumberReader = ArrayLike<number>;

export function numbersOf(t: TensorValue): NumberReader {
  const d = t.data;
  if (d instanceof BigInt64Array || d instanceof BigUint64Array) return toF64(t);
  if (Array.isArray(d)) throw new BrainsmithError('E_EXEC_UNSUPPORTED', `${elemTypeName(t.elemType)} tensors are not supported by the native ops`);
  return d as NumberReader;
}

/** A fresh container for `n` elements of an element type. */
export function allocData(elemType: number, n: number): NumericArray {
  const info = elemTypeInfo(elemType);
  switch (info.storage) {
    case 'Float32Array': return new Float32Array(n);
    case 'Float64Array': return new Float64Array(n);
    case 'Int8Array': return new Int8Array(n);
    case 'Uint8Array': return new Uint8Array(n);
    case 'Int16Array': return new Int16Array(n);
    case 'Uint16Array': return new Uint16Array(n);
    case 'Int32Array': return new Int32Array(n);
    case 'Uint32Array': return new Uint32Array(n);
    case 'BigInt64Array': return new BigInt64Array(n);
    case 'BigUint64Array': return new BigUint64Array(n);
    default: throw new BrainsmithError(E_EXEC_UNSUPPORTED, `${info.name} tensors are not supported by the native ops`);
  }
}

/** Narrow float formats live in Float32Array but must hold representable values: round them (RNE). */
export function roundToFormat(elemType: number, data: Float32Array): Float32Array {
  if (!isFloatFormat(elemType)) return data;
  const codes = encodeFloatArray(elemType, data, { saturate: false });
  return decodeFloatArray(elemType, codes, data);
}

/** An output tensor of `elemType` from float64 values (integers wrap as a C cast would; BOOL is x != 0). */
export function fromF64(elemType: number, dims: readonly number[], values: ArrayLike<number>): TensorValue {
  const n = values.length;
  if (elemType === ElemType.DOUBLE) {
    return { elemType, dims: dims.slice(), data: values instanceof Float64Array ? values : Float64Array.from(values) };
  }
  const data = allocData(elemType, n);
  if (elemType === ElemType.BOOL) {
    const b = data as Uint8Array;
    for (let i = 0; i < n; i++) b[i] = values[i] !== 0 ? 1 : 0;
  } else if (data instanceof BigInt64Array) {
    for (let i = 0; i < n; i++) data[i] = BigInt(Math.trunc(values[i]!));
  } else if (data instanceof BigUint64Array) {
    for (let i = 0; i < n; i++) data[i] = BigInt.asUintN(64, BigInt(Math.trunc(values[i]!)));
  } else if (data instanceof Float32Array) {
    data.set(values);
    roundToFormat(elemType, data);
  } else {
    const info = elemTypeInfo(elemType);
    const a = data as Int32Array;
    if (info.bits < 8) {
      // Sub-byte integers wrap within their width.
      const mod = 2 ** info.bits;
      const half = mod / 2;
      for (let i = 0; i < n; i++) {
        let v = ((Math.trunc(values[i]!) % mod) + mod) % mod;
        if (info.isSigned && v >= half) v -= mod;
        a[i] = v;
      }
    } else {
      // Typed-array stores of non-integers truncate and wrap (ToInt32 etc.), like a C cast of an in-range value.
      for (let i = 0; i < n; i++) a[i] = values[i]!;
    }
  }
  return { elemType, dims: dims.slice(), data };
}

export function scalarOf(t: TensorValue): number {
  const d = t.data;
  if (d.length < 1) throw new BrainsmithError('E_EXEC_NODE', 'expected a scalar, got an empty tensor');
  const v = d[0]!;
  return typeof v === 'bigint' ? Number(v) : Number(v);
}

/** Integer values of a 1-D tensor (shape inputs: axes, sizes, pads...). */
export function intsOf(t: TensorValue): number[] {
  const d = t.data as ArrayLike<number | bigint>;
  const out = new Array<number>(d.length);
  for (let i = 0; i < d.length; i++) out[i] = Number(d[i]!);
  return out;
}

export function stridesOf(dims: readonly number[]): number[] {
  const s = new Array<number>(dims.length);
  let acc = 1;
  for (let i = dims.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= dims[i]!;
  }
  return s;
}

export function product(dims: readonly number[], from = 0, to = dims.length): number {
  let p = 1;
  for (let i = from; i < to; i++) p *= dims[i]!;
  return p;
}

/** A negative axis counts from the end; out of range is an error naming the node. */
export function normAxis(node: Node, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw execError(node, `axis ${axis} is out of range for rank ${rank}`);
  return a;
}

/** Same data with other dims (no copy). */
export function withDims(t: TensorValue, dims: readonly number[]): TensorValue {
  return { elemType: t.elemType, dims: dims.slice(), data: t.data };
}

/** Copies elements by source index: out[i] = src[index[i]], any container (strings too). */
export function gatherData(t: TensorValue, index: ArrayLike<number>): TensorValue['data'] {
  const src = t.data;
  const n = index.length;
  if (Array.isArray(src)) {
    const out = new Array<string>(n);
    for (let i = 0; i < n; i++) out[i] = src[index[i]!]!;
    return out;
  }
  const out = new (src.constructor as new (n: number) => NumericArray)(n);
  if (out instanceof BigInt64Array || out instanceof BigUint64Array) {
    const s = src as BigInt64Array;
    for (let i = 0; i < n; i++) out[i] = s[index[i]!]!;
  } else {
    const s = src as Float64Array;
    const o = out as Float64Array;
    for (let i = 0; i < n; i++) o[i] = s[index[i]!]!;
  }
  return out;
}

/** Numpy broadcast shape of several shapes, or an error naming the node. */
export function broadcastShape(node: Node, shapes: readonly (readonly number[])[]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const o = rank - s.length + i;
      const d = s[i]!;
      if (out[o] === 1) out[o] = d;
      else if (d !== 1 && d !== out[o]) {
        throw execError(node, `shapes ${shapes.map((x) => `[${x.join(', ')}]`).join(' and ')} do not broadcast`);
      }
    }
  }
  return out;
}

/**
 * For each output element, the flat index into an input of shape `inDims` broadcast to `outDims`.
 * Returns undefined when the input already has the output's shape (identity).
 */
export function broadcastIndex(inDims: readonly number[], outDims: readonly number[]): Int32Array | undefined {
  const n = product(outDims);
  const inN = product(inDims);
  if (inN === n && inDims.length <= outDims.length) return undefined;
  const idx = new Int32Array(n);
  if (inN === 1) return idx;
  const rank = outDims.length;
  const inStrides = new Array<number>(rank).fill(0);
  const s = stridesOf(inDims);
  for (let i = 0; i < inDims.length; i++) {
    const o = rank - inDims.length + i;
    inStrides[o] = inDims[i] === 1 ? 0 : s[i]!;
  }
  const counter = new Array<number>(rank).fill(0);
  let off = 0;
  for (let i = 0; i < n; i++) {
    idx[i] = off;
    for (let d = rank - 1; d >= 0; d--) {
      counter[d]!++;
      off += inStrides[d]!;
      if (counter[d]! < outDims[d]!) break;
      off -= inStrides[d]! * outDims[d]!;
      counter[d] = 0;
    }
  }
  return idx;
}

/** Values of `t` broadcast to `outDims`, as float64. */
export function broadcastF64(t: TensorValue, outDims: readonly number[]): ArrayLike<number> {
  const src = numbersOf(t);
  const idx = broadcastIndex(t.dims, outDims);
  if (idx === undefined) return src;
  const out = new Float64Array(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = src[idx[i]!]!;
  return out;
}

export function isFloatType(elemType: number): boolean {
  return elemTypeInfo(elemType).isFloat;
}

export function isIntegerType(elemType: number): boolean {
  return elemTypeInfo(elemType).isInteger;
}
