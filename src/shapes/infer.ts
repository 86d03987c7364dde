import { errorMessage } from '../errors.js';
import type { Graph } from '../ir/graph.js';
import { normalizeNodeDomain } from '../ir/domains.js';
import type { Node } from '../ir/node.js';
import { UNKNOWN_DIM, type Dim } from '../ir/shape.js';
import { topologicalOrder } from '../ir/topo.js';
import type { TensorProto } from '../onnx/proto-types.js';
import { ElemType } from '../tensor/element-type.js';
import { tensorFromProto, type TensorValue } from '../tensor/tensor-value.js';
import { builtinShapeRule } from './table.js';
import type { ShapeContext, ShapeResolver, ShapeRule, TensorInfo } from './types.js';
import { MAX_PROPAGATED_ELEMENTS, staticSize } from './util.js';

export interface InferShapesOptions {
  /** Tried before the built-in tables, in order (kernel plugins' rules for hardware ops). */
  resolvers?: readonly ShapeResolver[];
  /** Opset imports as normalized domain → version (Model.opsets); rules for older opsets read attributes. */
  opsets?: ReadonlyMap<string, number>;
  /** Receives one debug line per node left unknown. */
  debug?: (fields: Record<string, unknown>, message: string) => void;
}

export interface InferShapesResult {
  /** Whether any declaration (value_info or graph output type) was added or changed. */
  changed: boolean;
  /** Tensors whose declaration was written. */
  written: number;
  /** `domain:opType` of nodes no rule knows (their outputs keep what was declared). */
  unknownOps: string[];
  /** Nodes whose rule failed (bad attributes, shapes that do not fit); outputs left as declared. */
  failures: { node: string; message: string }[];
}

function sameShape(a: readonly Dim[] | undefined, b: readonly Dim[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Different ranks, or a dim that both give as different numbers. */
function conflicts(a: readonly Dim[], b: readonly Dim[]): boolean {
  if (a.length !== b.length) return true;
  return a.some((d, i) => typeof d === 'number' && typeof b[i] === 'number' && d !== b[i]);
}

/** Inferred dims win; where inference has no number, a declared dim (number or name) of the same rank is kept. */
function merge(inferred: readonly Dim[] | undefined, declared: readonly Dim[] | undefined): Dim[] | undefined {
  if (!inferred) return declared ? [...declared] : undefined;
  if (!declared || declared.length !== inferred.length) return [...inferred];
  return inferred.map((d, i) => (typeof d === 'number' ? d : declared[i] !== UNKNOWN_DIM ? declared[i]! : d));
}

/** Nodes in an order where producers come first, without changing the graph; list order when cyclic. */
export function evaluationOrder(graph: Graph): Node[] {
  const nodes = graph.nodeList();
  // Usually already sorted: one pass checks that, cheaper than sorting.
  const seen = new Set<Node>();
  let sorted = true;
  outer: for (const n of nodes) {
    for (const t of n.inputs) {
      const p = t ? graph.producer(t) : undefined;
      if (p && !seen.has(p)) {
        sorted = false;
        break outer;
      }
    }
    seen.add(n);
  }
  if (sorted) return nodes;
  const r = topologicalOrder(nodes);
  return r.ok ? r.order : nodes;
}

class Facts {
  readonly #graph: Graph;
  readonly #known = new Map<string, TensorInfo>();
  constructor(graph: Graph) {
    this.#graph = graph;
  }

  get(name: string): TensorInfo | undefined {
    if (!name) return undefined;
    let info = this.#known.get(name);
    if (info) return info;
    info = { shape: this.#graph.getShape(name), elemType: this.#graph.getElemType(name) };
    this.#known.set(name, info);
    return info;
  }

  set(name: string, info: TensorInfo): void {
    this.#known.set(name, info);
  }

  /** Propagated values, and initializers small enough to be shape-like (scales, pads, axes, shapes). */
  value(name: string): TensorValue | undefined {
    const info = this.get(name);
    if (info?.value) return info.value;
    const init = name ? this.#graph.getInitializer(name) : undefined;
    const n = info?.shape && staticSize(info.shape);
    if (!init || n === undefined || n > MAX_PROPAGATED_ELEMENTS) return undefined;
    const v = (info!.elemType === ElemType.INT64 && rawInt64(init, info!.shape as number[], n)) || tensorFromProto(init);
    info!.value = v;
    return v;
  }
}

/**
 * INT64 initializers (raw_data or int64_data) without tensorFromProto's exactness checks on Long dims (they cost
 * microseconds each, and graphs such as the ONNX light models have a shape tensor per weight).
 */
function rawInt64(init: TensorProto, dims: number[], n: number): TensorValue | undefined {
  const raw = init.raw_data;
  if (!raw || raw.length === 0) {
    const field = init.int64_data;
    if (init.data_location === 1 || !field || field.length !== n) return undefined;
    const data = new BigInt64Array(n);
    for (let i = 0; i < n; i++) {
      const v = field[i]!;
      const x = typeof v === 'number' ? v : v.toNumber();
      data[i] = Number.isSafeInteger(x) ? BigInt(x) : BigInt(v.toString());
    }
    return { elemType: ElemType.INT64, dims, data };
  }
  if (raw.length !== n * 8 || init.data_location === 1) return undefined;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const data = new BigInt64Array(n);
  for (let i = 0; i < n; i++) data[i] = view.getBigInt64(8 * i, true);
  return { elemType: ElemType.INT64, dims, data };
}

function contextFor(node: Node, opset: number, facts: Facts): ShapeContext {
  const inputs = node.inputs;
  return {
    node,
    opset,
    inputCount: inputs.length,
    input: (i) => (inputs[i] ? facts.get(inputs[i]!) : undefined),
    shape: (i) => (inputs[i] ? facts.get(inputs[i]!)?.shape : undefined),
    value: (i) => (inputs[i] ? facts.value(inputs[i]!) : undefined),
  };
}

function findRule(node: Node, domain: string, resolvers: readonly ShapeResolver[]): ShapeRule | undefined {
  for (const r of resolvers) {
    const rule = r(node, domain);
    if (rule) return rule;
  }
  return builtinShapeRule(domain, node.opType);
}

/**
 * Shape and element-type inference over the whole graph in one pass (O(nodes + edges)): every node output
 * gets a value_info entry (graph outputs get their declared type filled in). Values of small integer
 * tensors are carried along so shapes computed in the graph (Reshape targets, Shape → Gather → Concat chains)
 * resolve. A node without a rule keeps the declarations its outputs have, and inference continues.
 */
export function inferShapes(graph: Graph, opts: InferShapesOptions = {}): InferShapesResult {
  const facts = new Facts(graph);
  const resolvers = opts.resolvers ?? [];
  const unknown = new Set<string>();
  const failures: InferShapesResult['failures'] = [];
  let written = 0;
  for (const node of evaluationOrder(graph)) {
    const domain = normalizeNodeDomain(node);
    const rule = findRule(node, domain, resolvers);
    if (!rule) {
      unknown.add(`${domain}:${node.opType}`);
      opts.debug?.({ node: node.name, opType: node.opType, domain }, 'no shape rule; outputs keep their declarations');
      continue;
    }
    let results: (TensorInfo | undefined)[];
    try {
      results = rule(contextFor(node, opts.opsets?.get(domain) ?? 0, facts));
    } catch (e) {
      failures.push({ node: node.toString(), message: errorMessage(e) });
      opts.debug?.({ node: node.name, opType: node.opType, error: errorMessage(e) }, 'shape rule failed; outputs keep their declarations');
      continue;
    }
    node.outputs.forEach((out, i) => {
      const r = results[i];
      if (!out || !r || graph.isGraphInput(out) || graph.isInitializer(out)) return;
      const declaredShape = graph.getShape(out);
      const declaredType = graph.getElemType(out);
      const shape = merge(r.shape, declaredShape);
      const elemType = r.elemType ?? declaredType;
      const info: TensorInfo = { shape, elemType };
      if (r.value) info.value = r.value;
      facts.set(out, info);
      if (elemType === undefined && shape === undefined) return;
      if (sameShape(shape, declaredShape) && elemType === declaredType) return;
      // A graph output's declared static shape is the model's interface: fill it in, never contradict it.
      if (graph.isGraphOutput(out) && declaredShape && shape && conflicts(shape, declaredShape)) {
        opts.debug?.({ tensor: out, inferred: shape, declared: declaredShape }, 'inferred shape differs from the declared graph output; kept the declaration');
        return;
      }
      graph.setShape(out, shape, elemType);
      written++;
    });
  }
  return { changed: written > 0, written, unknownOps: [...unknown].sort(), failures };
}
