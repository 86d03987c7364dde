// Building FINN hardware nodes (domain finn.custom_op.fpgadataflow) and reading what inference rules need:
// datatypes (unannotated tensors count as FLOAT32, as in FINN), static shapes and constants.
import { constOf, type Const } from './consts.js';
import {
  AttributeType, ElemType, FINN_HW_DOMAIN, QONNX_GENERAL_DOMAIN, isStandardDomain, makeNode, normalizeDomain,
  makeTensor, parseDataType, smallestDataTypeFor, tensorToProto,
  type AttributeProto, type DataType, type Graph, type Node, type NodeProto,
} from '../index.js';

export type HwAttr = number | string | number[] | string[];


const utf8 = new TextEncoder();

/** ONNX attributes from plain values: integers → INT, other numbers → FLOAT, arrays → INTS/STRINGS. */
export function attributesOf(values: Record<string, HwAttr>): AttributeProto[] {
  return Object.entries(values).map(([name, v]): AttributeProto => {
    if (typeof v === 'string') return { name, type: AttributeType.STRING, s: utf8.encode(v) };
    if (typeof v === 'number') return Number.isInteger(v) ? { name, type: AttributeType.INT, i: v } : { name, type: AttributeType.FLOAT, f: v };
    if (v.every((x) => typeof x === 'string')) return { name, type: AttributeType.STRINGS, strings: (v as string[]).map((s) => utf8.encode(s)) };
    return { name, type: AttributeType.INTS, ints: v as number[] };
  });
}

/** A kernel node (not yet specialized) with FINN's common attribute `backend`. */
export function hwNode(opType: string, inputs: string[], outputs: string[], attrs: Record<string, HwAttr>, name: string): NodeProto {
  return makeNode({ opType, inputs, outputs, name, domain: FINN_HW_DOMAIN, attributes: attributesOf({ backend: 'fpgadataflow', ...attrs }) });
}

/** The tensor's QONNX DataType; unannotated tensors are FLOAT32 (FINN's reading). */
export function datatypeOf(graph: Graph, tensor: string): DataType {
  const name = graph.getDatatypeName(tensor);
  return parseDataType(name ?? 'FLOAT32');
}

export function isIntegerType(dt: DataType): boolean {
  return dt.isInteger();
}

/** Static shape, or undefined when unknown or symbolic. */
export function staticShape(graph: Graph, tensor: string): number[] | undefined {
  const s = graph.getShape(tensor);
  if (s === undefined) {
    const init = graph.getInitializer(tensor);
    return init ? (init.dims ?? []).map((d) => Number(d)) : undefined;
  }
  return s.every((d) => typeof d === 'number' && d >= 0) ? (s as number[]) : undefined;
}

// Initializer values as float64: the topology transforms' reader, one definition for both stages.

export const allIntegers = (xs: ArrayLike<number>): boolean => {
  for (let i = 0; i < xs.length; i++) if (!Number.isInteger(xs[i])) return false;
  return true;
};

/** Writes a float32 initializer (FINN keeps weights and thresholds as float containers). */
export function setFloatInit(graph: Graph, name: string, dims: number[], data: ArrayLike<number>, datatype?: string): void {
  graph.setInitializer(tensorToProto(makeTensor(ElemType.FLOAT, dims, Float32Array.from(data)), name));
  if (datatype !== undefined) graph.setDatatypeName(name, datatype);
}

/** Thresholds (rows 1 or C, steps) expanded to C rows, as FINN's kernels store one row per channel. */
export function thresholdRows(t: Const, channels: number): Float64Array | undefined {
  if (t.dims.length !== 2) return undefined;
  const [rows, steps] = t.dims as [number, number];
  if (rows === channels) return t.data;
  if (rows !== 1) return undefined;
  const out = new Float64Array(channels * steps);
  for (let c = 0; c < channels; c++) out.set(t.data.subarray(0, steps), c * steps);
  return out;
}

/** Datatype for threshold values: the smallest integer type holding them, else FLOAT32. */
export function thresholdDatatype(values: Float64Array): string {
  return values.length > 0 && allIntegers(values) ? smallestDataTypeFor(values).name : 'FLOAT32';
}

/** Channels-last view of a shape: numInputVectors (all but the last axis) and the channel count. */
export function channelsLast(shape: readonly number[]): { vectors: number[]; channels: number } {
  return { vectors: shape.length > 1 ? shape.slice(0, -1) : [1], channels: shape[shape.length - 1] ?? 1 };
}

/** A fresh node name that no node has yet (the final names come from GiveUniqueNodeNames). */
export function freshName(graph: Graph, base: string): string {
  if (!graph.findNode(base)) return base;
  for (let i = 0; ; i++) if (!graph.findNode(`${base}_${i}`)) return `${base}_${i}`;
}
