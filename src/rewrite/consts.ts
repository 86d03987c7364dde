// Constant (initializer) access for the topology transforms: values as float64, numpy-style broadcasting,
// and fresh float32 initializers. Not a plugin (the folder name starts with `_`).
import {
  ElemType, makeTensor, tensorFromProto, tensorToNumbers, tensorToProto, elemTypeInfo,
  type Graph,
} from '../index.js';

/** A constant tensor in float64 (dims and row-major data). */
export interface Const {
  dims: number[];
  data: Float64Array;
}

export const numel = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

/** The initializer's value, or undefined when the tensor is not an initializer (or holds strings). */
export function constOf(graph: Graph, tensor: string): Const | undefined {
  if (!tensor) return undefined;
  const init = graph.getInitializer(tensor);
  if (!init) return undefined;
  const v = tensorFromProto(init);
  if (Array.isArray(v.data)) return undefined;
  return { dims: [...v.dims], data: tensorToNumbers(v) };
}

/** Whether the tensor is a floating-point initializer or value (integer Div/Sub must not be rewritten). */
export function isFloatTensor(graph: Graph, tensor: string): boolean {
  const et = graph.getElemType(tensor);
  if (!et) return true;
  return elemTypeInfo(et).isFloat;
}

/** Adds a float32 initializer under a fresh name derived from `prefix`; returns the name. */
export function addConst(graph: Graph, prefix: string, c: Const, elemType: number = ElemType.FLOAT): string {
  const name = graph.uniqueTensorName(prefix);
  setConst(graph, name, c, elemType);
  return name;
}

/** Writes (creates or replaces) the initializer `name`. */
export function setConst(graph: Graph, name: string, c: Const, elemType: number = ElemType.FLOAT): void {
  const data = elemType === ElemType.FLOAT ? Float32Array.from(c.data)
    : elemType === ElemType.DOUBLE ? Float64Array.from(c.data)
    : elemType === ElemType.INT64 ? BigInt64Array.from(c.data, (x) => BigInt(Math.round(x)))
    : Float32Array.from(c.data);
  const et = data instanceof Float32Array && elemType !== ElemType.FLOAT ? ElemType.FLOAT : elemType;
  graph.setInitializer(tensorToProto(makeTensor(et, c.dims, data), name));
}

/** The element type a new constant for `tensor`'s arithmetic should have (its own float type, else FLOAT). */
export function floatTypeOf(graph: Graph, tensor: string): number {
  const et = graph.getElemType(tensor);
  return et === ElemType.DOUBLE ? ElemType.DOUBLE : ElemType.FLOAT;
}

/** Broadcast shape of two shapes (numpy rules), or undefined when incompatible. */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] | undefined {
  const r = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < r; i++) {
    const da = a[a.length - r + i] ?? 1;
    const db = b[b.length - r + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return undefined;
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** Element-wise op with numpy broadcasting. */
export function broadcastOp(a: Const, b: Const, op: (x: number, y: number) => number): Const | undefined {
  const dims = broadcastShape(a.dims, b.dims);
  if (!dims) return undefined;
  const n = numel(dims);
  const data = new Float64Array(n);
  const r = dims.length;
  const strides = (d: readonly number[]): number[] => {
    const s = new Array<number>(r).fill(0);
    let acc = 1;
    for (let i = d.length - 1; i >= 0; i--) {
      const axis = r - d.length + i;
      s[axis] = d[i] === 1 ? 0 : acc;
      acc *= d[i]!;
    }
    return s;
  };
  const sa = strides(a.dims);
  const sb = strides(b.dims);
  const idx = new Array<number>(r).fill(0);
  for (let k = 0; k < n; k++) {
    let ia = 0;
    let ib = 0;
    for (let i = 0; i < r; i++) {
      ia += idx[i]! * sa[i]!;
      ib += idx[i]! * sb[i]!;
    }
    data[k] = op(a.data[ia]!, b.data[ib]!);
    for (let i = r - 1; i >= 0; i--) {
      if (++idx[i]! < dims[i]!) break;
      idx[i] = 0;
    }
  }
  return { dims, data };
}

export const isScalar = (c: Const): boolean => c.data.length === 1;
export const mapConst = (c: Const, f: (x: number) => number): Const => ({ dims: [...c.dims], data: c.data.map(f) });

/** The scalar constant as a rank-0 tensor would be written. */
export const scalar = (v: number): Const => ({ dims: [], data: Float64Array.of(v) });

/**
 * The values of a per-channel parameter along `axis` of a tensor of rank `rank` (numpy right alignment),
 * length `channels`, or undefined when the parameter varies along any other axis or would enlarge the
 * tensor. A scalar gives `channels` copies.
 */
export function perChannel(c: Const, rank: number, axis: number, channels: number): Float64Array | undefined {
  if (c.dims.length > rank) {
    // Leading size-1 axes beyond the rank would enlarge the output rank.
    return undefined;
  }
  let varying = -1;
  for (let i = 0; i < c.dims.length; i++) {
    const a = rank - c.dims.length + i;
    if (c.dims[i] === 1) continue;
    if (a !== axis || c.dims[i] !== channels) return undefined;
    varying = a;
  }
  if (varying < 0) return new Float64Array(channels).fill(c.data[0] ?? 0);
  return Float64Array.from(c.data);
}
