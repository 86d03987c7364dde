// Small tensor helpers shared by the QONNX → FINN transforms: float views of initializers, broadcasting of
// quantizer parameters, and writing float32 initializers.
import {
  BrainsmithError, ElemType, makeTensor, tensorFromProto, tensorToNumbers, tensorToProto, type Graph, type Node,
} from '../../../../src/index.js';

export interface FloatTensor {
  dims: number[];
  data: Float64Array;
}

/** The initializer as float64 values, or undefined when the tensor is not an initializer. */
export function readInitializer(graph: Graph, name: string): FloatTensor | undefined {
  if (!name) return undefined;
  const proto = graph.getInitializer(name);
  if (!proto) return undefined;
  const v = tensorFromProto(proto);
  return { dims: [...v.dims], data: tensorToNumbers(v) };
}

/** Stores values as a FLOAT initializer named `name` (replacing one of that name) and declares its shape. */
export function writeFloatInitializer(graph: Graph, name: string, dims: readonly number[], values: ArrayLike<number>): void {
  const data = Float32Array.from(values as ArrayLike<number>);
  graph.setInitializer(tensorToProto(makeTensor(ElemType.FLOAT, [...dims], data), name));
}

/** A fresh FLOAT initializer with a unique name built from `prefix`; returns its name. */
export function addFloatInitializer(graph: Graph, prefix: string, dims: readonly number[], values: ArrayLike<number>): string {
  const name = graph.uniqueTensorName(prefix);
  writeFloatInitializer(graph, name, dims, values);
  return name;
}

/** Row-major strides of a shape. */
export function stridesOf(dims: readonly number[]): number[] {
  const s = new Array<number>(dims.length).fill(1);
  for (let i = dims.length - 2; i >= 0; i--) s[i] = s[i + 1]! * dims[i + 1]!;
  return s;
}

/**
 * Expands `t` (numpy broadcasting) to exactly `dims`; undefined when the shapes do not broadcast that way.
 */
export function broadcastTo(t: FloatTensor, dims: readonly number[]): Float64Array | undefined {
  if (t.dims.length > dims.length) return undefined;
  const pad = dims.length - t.dims.length;
  const src = [...new Array<number>(pad).fill(1), ...t.dims];
  for (let i = 0; i < dims.length; i++) if (src[i] !== 1 && src[i] !== dims[i]) return undefined;
  const total = dims.reduce((a, b) => a * b, 1);
  // The common cases without an index computation per element (a per-tensor scale or zero point, or a
  // tensor already of the full shape).
  if (t.data.length === 1) return new Float64Array(total).fill(t.data[0]!);
  if (t.data.length === total) return Float64Array.from(t.data);
  const out = new Float64Array(total);
  const srcStrides = stridesOf(src);
  const dstStrides = stridesOf(dims);
  for (let i = 0; i < total; i++) {
    let rem = i;
    let j = 0;
    for (let d = 0; d < dims.length; d++) {
      const idx = Math.floor(rem / dstStrides[d]!);
      rem -= idx * dstStrides[d]!;
      if (src[d] !== 1) j += idx * srcStrides[d]!;
    }
    out[i] = t.data[j]!;
  }
  return out;
}

/** Permutes a row-major tensor: out dims[i] = dims[perm[i]]. */
export function transpose(data: ArrayLike<number>, dims: readonly number[], perm: readonly number[]): { dims: number[]; data: Float64Array } {
  const outDims = perm.map((p) => dims[p]!);
  const inStrides = stridesOf(dims);
  const outStrides = stridesOf(outDims);
  const total = outDims.reduce((a, b) => a * b, 1);
  const out = new Float64Array(total);
  for (let i = 0; i < total; i++) {
    let rem = i;
    let j = 0;
    for (let d = 0; d < outDims.length; d++) {
      const idx = Math.floor(rem / outStrides[d]!);
      rem -= idx * outStrides[d]!;
      j += idx * inStrides[perm[d]!]!;
    }
    out[i] = data[j]!;
  }
  return { dims: outDims, data: out };
}

/**
 * Collapses a tensor that varies along at most one axis of `dims` to that axis' values: `{axis: -1}` when it
 * is uniform (values[0] holds the value), undefined when it varies along more than one axis.
 */
export function singleAxisValues(full: Float64Array, dims: readonly number[]): { axis: number; values: number[] } | undefined {
  if (full.length === 0) return undefined;
  if (full.every((v) => v === full[0])) return { axis: -1, values: [full[0]!] };
  const strides = stridesOf(dims);
  for (let axis = 0; axis < dims.length; axis++) {
    if (dims[axis] === 1) continue;
    let ok = true;
    for (let i = 0; i < full.length && ok; i++) {
      const k = Math.floor(i / strides[axis]!) % dims[axis]!;
      if (full[i] !== full[k * strides[axis]!]) ok = false;
    }
    if (ok) {
      const values: number[] = [];
      for (let k = 0; k < dims[axis]!; k++) values.push(full[k * strides[axis]!]!);
      return { axis, values };
    }
  }
  return undefined;
}

/** Static shape of a tensor as plain numbers, or undefined when unknown or symbolic. */
export function staticShape(graph: Graph, name: string): number[] | undefined {
  const s = graph.getShape(name);
  if (!s) return undefined;
  const out: number[] = [];
  for (const d of s) {
    if (typeof d !== 'number' || d < 0) return undefined;
    out.push(d);
  }
  return out;
}

export function nodeError(node: Node, problem: string): BrainsmithError {
  return new BrainsmithError('E_TRANSFORM_INPUT', `node ${node.toString()}: ${problem}`, { kind: 'input' });
}

/** Removes initializers no node reads any more (and that are no graph output), with their declarations. */
export function dropIfUnused(graph: Graph, names: Iterable<string>): void {
  for (const n of names) {
    if (!n || !graph.isInitializer(n) || graph.hasConsumers(n) || graph.isGraphOutput(n)) continue;
    graph.removeInitializer(n);
    graph.removeInput(n);
    graph.removeValueInfo(n);
  }
}
