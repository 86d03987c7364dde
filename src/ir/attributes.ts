import { BrainsmithError } from '../errors.js';
import { bigIntToInt64, int64ToBigInt, isSafeInt64, type Int64 } from '../onnx/int64.js';
import { AttributeType, type AttributeProto, type GraphProto, type NodeProto, type TensorProto } from '../onnx/proto-types.js';
import { Node, describeNode } from './node.js';

/**
 * Typed reads and writes of node attributes. Reads take a default for a missing attribute and throw a
 * BrainsmithError (E_ATTRIBUTE_MISSING / E_ATTRIBUTE_TYPE / E_ATTRIBUTE_RANGE) naming node and attribute
 * otherwise. Writes replace the attribute with a fresh AttributeProto of the right `type`; given a Node in a
 * graph they tell the graph (so `modified` and its subgraph tracking stay right).
 */
export type AttributeTarget = Node | NodeProto;

type TypeCode = (typeof AttributeType)[keyof typeof AttributeType];

const TYPE_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(AttributeType).map(([name, code]) => [code, name]),
);

const utf8Decoder = new TextDecoder('utf-8');
const utf8Encoder = new TextEncoder();

function protoOf(target: AttributeTarget): NodeProto {
  return target instanceof Node ? target.proto : target;
}

export function getAttribute(target: AttributeTarget, name: string): AttributeProto | undefined {
  for (const a of protoOf(target).attribute ?? []) if (a.name === name) return a;
  return undefined;
}

export function hasAttribute(target: AttributeTarget, name: string): boolean {
  return getAttribute(target, name) !== undefined;
}

export function attributeNames(target: AttributeTarget): string[] {
  return (protoOf(target).attribute ?? []).map((a) => a.name ?? '');
}

/** Own, non-null field: decoded messages read absent fields from prototype defaults. */
function present(a: AttributeProto, field: keyof AttributeProto): boolean {
  return Object.hasOwn(a, field) && a[field] !== undefined && a[field] !== null;
}

/** Old files may leave `type` unset; then the populated field tells the type. */
function typeOf(a: AttributeProto): number {
  if (a.type) return a.type;
  if (present(a, 'f')) return AttributeType.FLOAT;
  if (present(a, 'i')) return AttributeType.INT;
  if (present(a, 's')) return AttributeType.STRING;
  if (present(a, 't')) return AttributeType.TENSOR;
  if (present(a, 'g')) return AttributeType.GRAPH;
  if (a.floats?.length) return AttributeType.FLOATS;
  if (a.ints?.length) return AttributeType.INTS;
  if (a.strings?.length) return AttributeType.STRINGS;
  if (a.tensors?.length) return AttributeType.TENSORS;
  if (a.graphs?.length) return AttributeType.GRAPHS;
  return AttributeType.UNDEFINED;
}

/**
 * The attribute when it has the wanted type, undefined when missing. One with no type and no value set reads
 * as the empty value of whatever type is asked for.
 */
function typed(target: AttributeTarget, name: string, want: TypeCode): AttributeProto | undefined {
  const a = getAttribute(target, name);
  if (!a) return undefined;
  const t = typeOf(a);
  if (t === want || t === AttributeType.UNDEFINED) return a;
  throw new BrainsmithError(
    'E_ATTRIBUTE_TYPE',
    `node ${describeNode(protoOf(target))}: attribute '${name}' is ${TYPE_NAMES[t] ?? `type ${t}`}, expected ${TYPE_NAMES[want]}`,
  );
}

function missing(target: AttributeTarget, name: string): BrainsmithError {
  return new BrainsmithError('E_ATTRIBUTE_MISSING', `node ${describeNode(protoOf(target))}: attribute '${name}' is missing`);
}

function toSafeNumber(target: AttributeTarget, name: string, v: Int64): number {
  if (!isSafeInt64(v)) {
    throw new BrainsmithError(
      'E_ATTRIBUTE_RANGE',
      `node ${describeNode(protoOf(target))}: attribute '${name}' holds ${int64ToBigInt(v)}, beyond exact numbers; read it with the BigInt getter`,
    );
  }
  return typeof v === 'number' ? v : v.toNumber();
}

// ---- reads ----

export function getInt(target: AttributeTarget, name: string, dflt?: number): number {
  const a = typed(target, name, AttributeType.INT);
  if (!a) {
    if (dflt === undefined) throw missing(target, name);
    return dflt;
  }
  return toSafeNumber(target, name, a.i ?? 0);
}

/** Exact for the whole int64 range (e.g. INT64_MAX sentinels). */
export function getIntBig(target: AttributeTarget, name: string, dflt?: bigint): bigint {
  const a = typed(target, name, AttributeType.INT);
  if (!a) {
    if (dflt === undefined) throw missing(target, name);
    return dflt;
  }
  return int64ToBigInt(a.i);
}

export function getFloat(target: AttributeTarget, name: string, dflt?: number): number {
  const a = typed(target, name, AttributeType.FLOAT);
  if (!a) {
    if (dflt === undefined) throw missing(target, name);
    return dflt;
  }
  return a.f ?? 0;
}

/** A STRING attribute decoded as UTF-8. */
export function getString(target: AttributeTarget, name: string, dflt?: string): string {
  const a = typed(target, name, AttributeType.STRING);
  if (!a) {
    if (dflt === undefined) throw missing(target, name);
    return dflt;
  }
  return a.s ? utf8Decoder.decode(a.s) : '';
}

export function getBytes(target: AttributeTarget, name: string, dflt?: Uint8Array): Uint8Array {
  const a = typed(target, name, AttributeType.STRING);
  if (!a) {
    if (dflt === undefined) throw missing(target, name);
    return dflt;
  }
  return a.s ?? new Uint8Array(0);
}

export function getInts(target: AttributeTarget, name: string, dflt?: readonly number[]): number[] {
  const a = typed(target, name, AttributeType.INTS);
  if (!a) {
    if (dflt === undefined) throw missing(target, name);
    return [...dflt];
  }
  return (a.ints ?? []).map((v) => toSafeNumber(target, name, v));
}

export function getIntsBig(target: AttributeTarget, name: string, dflt?: readonly bigint[]): bigint[] {
  const a = typed(target, name, AttributeType.INTS);
  if (!a) {
    if (dflt === undefined) throw missing(target, name);
    return [...dflt];
  }
  return (a.ints ?? []).map((v) => int64ToBigInt(v));
}

export function getFloats(target: AttributeTarget, name: string, dflt?: readonly number[]): number[] {
  const a = typed(target, name, AttributeType.FLOATS);
  if (!a) {
    if (dflt === undefined) throw missing(target, name);
    return [...dflt];
  }
  return [...(a.floats ?? [])];
}

export function getStrings(target: AttributeTarget, name: string, dflt?: readonly string[]): string[] {
  const a = typed(target, name, AttributeType.STRINGS);
  if (!a) {
    if (dflt === undefined) throw missing(target, name);
    return [...dflt];
  }
  return (a.strings ?? []).map((s) => utf8Decoder.decode(s));
}

export function getTensor(target: AttributeTarget, name: string): TensorProto {
  const a = typed(target, name, AttributeType.TENSOR);
  if (!a?.t) throw missing(target, name);
  return a.t;
}

export function getGraph(target: AttributeTarget, name: string): GraphProto {
  const a = typed(target, name, AttributeType.GRAPH);
  if (!a?.g) throw missing(target, name);
  return a.g;
}

export function getGraphs(target: AttributeTarget, name: string): GraphProto[] {
  const a = typed(target, name, AttributeType.GRAPHS);
  if (!a) throw missing(target, name);
  return [...(a.graphs ?? [])];
}

// ---- writes ----

function toInt64(target: AttributeTarget, name: string, v: number | bigint): Int64 {
  if (typeof v === 'bigint') return bigIntToInt64(v);
  if (!Number.isSafeInteger(v)) {
    throw new BrainsmithError('E_ATTRIBUTE_RANGE', `node ${describeNode(protoOf(target))}: attribute '${name}' must be an integer, got ${v}`, { kind: 'work' });
  }
  return v;
}

/** Replaces (in place, keeping its position and doc_string) or appends the attribute. */
function put(target: AttributeTarget, attr: AttributeProto): void {
  const p = protoOf(target);
  const list = [...(p.attribute ?? [])];
  const i = list.findIndex((a) => a.name === attr.name);
  if (i >= 0) {
    const doc = list[i]!.doc_string;
    if (doc) attr.doc_string = doc;
    list[i] = attr;
  } else {
    list.push(attr);
  }
  p.attribute = list;
  notify(target);
}

function notify(target: AttributeTarget): void {
  if (target instanceof Node) target.graph?.attributesChanged(target);
}

export function setInt(target: AttributeTarget, name: string, v: number | bigint): void {
  put(target, { name, type: AttributeType.INT, i: toInt64(target, name, v) });
}

export function setFloat(target: AttributeTarget, name: string, v: number): void {
  put(target, { name, type: AttributeType.FLOAT, f: v });
}

export function setString(target: AttributeTarget, name: string, v: string | Uint8Array): void {
  put(target, { name, type: AttributeType.STRING, s: typeof v === 'string' ? utf8Encoder.encode(v) : v });
}

export function setInts(target: AttributeTarget, name: string, v: readonly (number | bigint)[]): void {
  put(target, { name, type: AttributeType.INTS, ints: v.map((x) => toInt64(target, name, x)) });
}

export function setFloats(target: AttributeTarget, name: string, v: readonly number[]): void {
  put(target, { name, type: AttributeType.FLOATS, floats: [...v] });
}

export function setStrings(target: AttributeTarget, name: string, v: readonly string[]): void {
  put(target, { name, type: AttributeType.STRINGS, strings: v.map((s) => utf8Encoder.encode(s)) });
}

export function setTensor(target: AttributeTarget, name: string, v: TensorProto): void {
  put(target, { name, type: AttributeType.TENSOR, t: v });
}

export function setGraph(target: AttributeTarget, name: string, v: GraphProto): void {
  put(target, { name, type: AttributeType.GRAPH, g: v });
}

export function setGraphs(target: AttributeTarget, name: string, v: readonly GraphProto[]): void {
  put(target, { name, type: AttributeType.GRAPHS, graphs: [...v] });
}

export function removeAttribute(target: AttributeTarget, name: string): boolean {
  const p = protoOf(target);
  const list = p.attribute ?? [];
  const kept = list.filter((a) => a.name !== name);
  if (kept.length === list.length) return false;
  p.attribute = kept;
  notify(target);
  return true;
}
