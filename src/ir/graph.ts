import { BrainsmithError } from '../errors.js';
import type { GraphProto, NodeProto, SparseTensorProto, TensorProto, ValueInfoProto } from '../onnx/proto-types.js';
import {
  AnnotationStore, FINN_DATATYPE_KEY, TENSOR_LAYOUT_KEY, formatTensorLayout, parseTensorLayout,
} from './annotations.js';
import { Node, describeNode } from './node.js';
import { OrderedTable } from './ordered-table.js';
import { type Dim, elemTypeOfType, initializerShape, makeTensorType, makeValueInfo, shapeOfType } from './shape.js';
import { collectNames, hasSubgraphs, renameOuterReference, subgraphsOf } from './subgraphs.js';
import { topologicalOrder } from './topo.js';
import { type Consumer, UseIndex, moveKey } from './use-index.js';

export type { Consumer } from './use-index.js';

/** TensorProto.DataType FLOAT, what a shape set without any known element type is declared as. */
const ELEM_TYPE_FLOAT = 1;

/** Load-time defects the tables cannot hold (they keep the first entry); the verifier reports them. */
export interface LoadDefects {
  duplicateInitializers: string[];
  duplicateValueInfos: string[];
}

function workError(code: string, message: string): BrainsmithError {
  return new BrainsmithError(code, message, { kind: 'work' });
}

/** A repeated field we may write into: decoded messages read absent ones from a shared frozen empty array. */
function ownStrings(p: NodeProto, field: 'input' | 'output'): string[] {
  const cur = p[field];
  if (cur && Object.hasOwn(p, field) && !Object.isFrozen(cur)) return cur;
  const copy = [...(cur ?? [])];
  p[field] = copy;
  return copy;
}

/**
 * A mutable graph over a GraphProto. Nodes are the NodeProtos themselves (wrapped), in a doubly linked list,
 * so insert and remove are O(1) and iteration is in order. Producer and consumer indices answer "who makes /
 * who reads tensor t" in O(1) and every mutation method keeps them right. Initializers, value infos, graph
 * inputs/outputs and quantization annotations are tables over the proto's own objects; `writeTo` puts all of
 * it back, and is only needed once `modified` is true.
 */
export class Graph {
  readonly #source: GraphProto;
  #modified = false;
  #version = 0;
  #work = 0;

  #head: Node | undefined;
  #tail: Node | undefined;
  #count = 0;

  #uses = new UseIndex();
  /** Name → nodes, built on the first findNode and kept up to date after that. */
  #nodesByName: Map<string, Node[]> | undefined;
  /** Nodes with graph-valued attributes, whose subgraphs may read outer tensors. */
  #subgraphNodes = new Set<Node>();
  #subgraphNames: Set<string> | undefined;
  #nameCounters = new Map<string, number>();

  #initializers = new OrderedTable<TensorProto>();
  #sparseInitializers: SparseTensorProto[];
  #sparseNames = new Set<string>();
  #inputs: ValueInfoProto[];
  #outputs: ValueInfoProto[];
  #inputCount = new Map<string, number>();
  #outputCount = new Map<string, number>();
  #valueInfo = new OrderedTable<ValueInfoProto>();
  #annotations: AnnotationStore;
  #defects: LoadDefects = { duplicateInitializers: [], duplicateValueInfos: [] };

  private constructor(g: GraphProto) {
    this.#source = g;
    for (const p of g.node ?? []) this.#attach(new Node(p), undefined);
    for (const t of g.initializer ?? []) {
      const name = t.name ?? '';
      if (this.#initializers.has(name)) this.#defects.duplicateInitializers.push(name);
      else this.#initializers.set(name, t);
    }
    this.#sparseInitializers = [...(g.sparse_initializer ?? [])];
    for (const s of this.#sparseInitializers) if (s.values?.name) this.#sparseNames.add(s.values.name);
    this.#inputs = [...(g.input ?? [])];
    this.#outputs = [...(g.output ?? [])];
    for (const vi of this.#inputs) bump(this.#inputCount, vi.name ?? '', 1);
    for (const vi of this.#outputs) bump(this.#outputCount, vi.name ?? '', 1);
    for (const vi of g.value_info ?? []) {
      const name = vi.name ?? '';
      if (this.#valueInfo.has(name)) this.#defects.duplicateValueInfos.push(name);
      else this.#valueInfo.set(name, vi);
    }
    this.#annotations = AnnotationStore.fromProto(g.quantization_annotation);
  }

  static fromProto(g: GraphProto): Graph {
    return new Graph(g);
  }

  /** An empty graph (over a fresh GraphProto). */
  static create(name?: string): Graph {
    return new Graph(name === undefined ? {} : { name });
  }

  get name(): string {
    return this.#source.name ?? '';
  }

  /** True once anything was changed through this object (or markModified was called). */
  get modified(): boolean {
    return this.#modified;
  }

  /**
   * Counts changes made through this object: it moves on every mutation (and markModified), so a caller can
   * tell whether anything changed between two points without trusting what a transform reports.
   */
  get version(): number {
    return this.#version;
  }

  markModified(): void {
    this.#version++;
    this.#modified = true;
  }

  /** Elementary index and list steps done so far, so tests can check complexity without timing. */
  get workCount(): number {
    return this.#work;
  }

  get loadDefects(): Readonly<LoadDefects> {
    return this.#defects;
  }

  // ---- nodes: reading ----

  get nodeCount(): number {
    return this.#count;
  }

  get firstNode(): Node | undefined {
    return this.#head;
  }

  get lastNode(): Node | undefined {
    return this.#tail;
  }

  /**
   * Nodes in order. Removing the current node (or others) while iterating is safe: removed nodes are
   * skipped, and nodes inserted after the current one are visited. A node moved elsewhere during the
   * iteration may be visited again or skipped.
   */
  *nodes(): IterableIterator<Node> {
    let n = this.#head;
    while (n) {
      yield n;
      let next = n._next;
      if (n._owner !== this) while (next && next._owner !== this) next = next._next;
      n = next;
    }
  }

  [Symbol.iterator](): IterableIterator<Node> {
    return this.nodes();
  }

  /** A snapshot array of the nodes in order. */
  nodeList(): Node[] {
    const out: Node[] = [];
    for (let n = this.#head; n; n = n._next) out.push(n);
    return out;
  }

  nodesByOpType(opType: string, domain?: string): Node[] {
    const out: Node[] = [];
    for (let n = this.#head; n; n = n._next) {
      if (n.opType === opType && (domain === undefined || n.domain === domain)) out.push(n);
    }
    return out;
  }

  /** A node with this name (names should be unique; with duplicates, one of them). '' finds nothing. */
  findNode(name: string): Node | undefined {
    if (!this.#nodesByName) {
      this.#nodesByName = new Map();
      for (let n = this.#head; n; n = n._next) this.#nameIndexAdd(n);
    }
    return this.#nodesByName.get(name)?.[0];
  }

  producer(tensor: string): Node | undefined {
    return this.#uses.producer(tensor);
  }

  /** Every node producing the tensor: more than one only in an invalid graph. */
  producers(tensor: string): Node[] {
    return this.#uses.producers(tensor);
  }

  /** Every use of the tensor as a node input, duplicates (Mul(x, x)) included. */
  consumers(tensor: string): Consumer[] {
    return this.#uses.consumers(tensor);
  }

  /** Distinct nodes reading the tensor. */
  consumerNodes(tensor: string): Node[] {
    return [...(this.#uses.consumerNodes(tensor) ?? [])];
  }

  hasConsumers(tensor: string): boolean {
    return this.#uses.isConsumed(tensor);
  }

  /** Tensors some node produces. */
  producedTensors(): IterableIterator<string> {
    return this.#uses.producedTensors();
  }

  /** Tensors some node reads. */
  consumedTensors(): IterableIterator<string> {
    return this.#uses.consumedTensors();
  }

  /** Nodes whose attributes hold subgraphs (If, Loop, Scan, ...). */
  subgraphNodes(): Node[] {
    return [...this.#subgraphNodes];
  }

  // ---- nodes: mutation ----

  /** Appends a node; returns its wrapper. Accepts a NodeProto or a Node not in any graph. */
  addNode(node: NodeProto | Node): Node {
    const n = this.#adopt(node);
    this.#attach(n, undefined);
    this.#touch();
    return n;
  }

  insertBefore(ref: Node, node: NodeProto | Node): Node {
    this.#own(ref);
    const n = this.#adopt(node);
    this.#attach(n, ref);
    this.#touch();
    return n;
  }

  insertAfter(ref: Node, node: NodeProto | Node): Node {
    this.#own(ref);
    const n = this.#adopt(node);
    this.#attach(n, ref._next);
    this.#touch();
    return n;
  }

  removeNode(node: Node): void {
    this.#own(node);
    this.#detach(node);
    this.#touch();
  }

  /** Puts `replacement` where `old` was and removes `old`. */
  replaceNode(old: Node, replacement: NodeProto | Node): Node {
    this.#own(old);
    const n = this.#adopt(replacement);
    const before = old._next;
    this.#detach(old);
    this.#attach(n, before);
    this.#touch();
    return n;
  }

  setNodeName(node: Node, name: string): void {
    this.#own(node);
    if (node.proto.name === name) return;
    if (this.#nodesByName) this.#nameIndexRemove(node);
    node.proto.name = name;
    if (this.#nodesByName) this.#nameIndexAdd(node);
    this.#touch();
  }

  /** Sets input slot i ('' omits an optional input); slots past the end are filled with ''. */
  setInput(node: Node, index: number, tensor: string): void {
    this.#own(node);
    checkSlot(node, index, 'input');
    const inputs = ownStrings(node.proto, 'input');
    const old = inputs[index];
    if (old === tensor) return;
    while (inputs.length < index) inputs.push('');
    inputs[index] = tensor;
    if (old) this.#uses.releaseInputSlot(old, node);
    if (tensor) this.#uses.addConsumer(tensor, node);
    this.#work++;
    this.#touch();
  }

  setOutput(node: Node, index: number, tensor: string): void {
    this.#own(node);
    checkSlot(node, index, 'output');
    const outputs = ownStrings(node.proto, 'output');
    const old = outputs[index];
    if (old === tensor) return;
    while (outputs.length < index) outputs.push('');
    outputs[index] = tensor;
    if (old) this.#uses.removeProducer(old, node);
    if (tensor) this.#uses.addProducer(tensor, node);
    this.#work++;
    this.#touch();
  }

  setInputs(node: Node, tensors: readonly string[]): void {
    this.#own(node);
    for (const t of node.inputs) if (t) this.#uses.removeConsumer(t, node);
    node.proto.input = [...tensors];
    for (const t of tensors) if (t) this.#uses.addConsumer(t, node);
    this.#work += tensors.length;
    this.#touch();
  }

  setOutputs(node: Node, tensors: readonly string[]): void {
    this.#own(node);
    for (const t of node.outputs) if (t) this.#uses.removeProducer(t, node);
    node.proto.output = [...tensors];
    for (const t of tensors) if (t) this.#uses.addProducer(t, node);
    this.#work += tensors.length;
    this.#touch();
  }

  /** Call after changing a node's attributes (attributes.ts setters do) so subgraph tracking stays right. */
  attributesChanged(node: Node): void {
    this.#own(node);
    const had = this.#subgraphNodes.has(node);
    if (hasSubgraphs(node.proto)) this.#subgraphNodes.add(node);
    else this.#subgraphNodes.delete(node);
    if (had || this.#subgraphNodes.has(node)) this.#subgraphNames = undefined;
    this.#touch();
  }

  /**
   * Reorders the nodes topologically, staying as close to the current order as the data allows (see topo.ts).
   * Returns whether the order changed; throws E_GRAPH_CYCLE naming the nodes of a cycle.
   */
  topologicalSort(): boolean {
    const current = this.nodeList();
    const result = topologicalOrder(current);
    this.#work += result.steps;
    if (!result.ok) {
      throw workError('E_GRAPH_CYCLE', `graph has a cycle: ${result.cycle.map(describeNode).join(' -> ')} -> back to the first`);
    }
    if (result.order.every((n, i) => n === current[i])) return false;
    let prev: Node | undefined;
    for (const n of result.order) {
      n._prev = prev;
      if (prev) prev._next = n;
      prev = n;
    }
    if (prev) prev._next = undefined;
    this.#head = result.order[0];
    this.#tail = prev;
    this.#touch();
    return true;
  }

  // ---- tensors ----

  /** Whether the name is used anywhere: by a node, a declaration, an annotation or inside a subgraph. */
  hasTensor(name: string): boolean {
    return (
      this.#uses.isProduced(name) || this.#uses.isConsumed(name) || this.#initializers.has(name) ||
      this.#sparseNames.has(name) || this.#inputCount.has(name) || this.#outputCount.has(name) ||
      this.#valueInfo.has(name) || this.#annotations.has(name) || this.#namesInSubgraphs().has(name)
    );
  }

  /** A name `${prefix}_${n}` used nowhere yet; successive calls give different names even before use. */
  uniqueTensorName(prefix: string): string {
    let n = this.#nameCounters.get(prefix) ?? 0;
    let name: string;
    do name = `${prefix}_${n++}`;
    while (this.hasTensor(name));
    this.#nameCounters.set(prefix, n);
    return name;
  }

  /**
   * Renames a tensor everywhere: producer outputs, consumer inputs, uses inside subgraphs, graph inputs and
   * outputs, value_info, initializers and annotations. `to` must be unused.
   */
  renameTensor(from: string, to: string): void {
    if (from === to) return;
    if (!from || !to) throw workError('E_TENSOR_NAME', `cannot rename '${from}' to '${to}': tensor names must not be empty`);
    if (this.hasTensor(to)) throw workError('E_TENSOR_EXISTS', `cannot rename '${from}' to '${to}': '${to}' is already used`);
    const rename = (list: string[]): void => {
      for (let i = 0; i < list.length; i++) if (list[i] === from) list[i] = to;
      this.#work++;
    };
    for (const node of this.producers(from)) rename(ownStrings(node.proto, 'output'));
    for (const node of this.#uses.consumerNodes(from) ?? []) rename(ownStrings(node.proto, 'input'));
    this.#uses.rename(from, to);
    if (this.#namesInSubgraphs().has(from)) {
      for (const node of this.#subgraphNodes) for (const g of subgraphsOf(node.proto)) renameOuterReference(g, from, to);
      this.#subgraphNames = undefined;
    }
    for (const vi of this.#inputs) if (vi.name === from) vi.name = to;
    for (const vi of this.#outputs) if (vi.name === from) vi.name = to;
    moveKey(this.#inputCount, from, to);
    moveKey(this.#outputCount, from, to);
    const init = this.#initializers.get(from);
    if (init) {
      init.name = to;
      this.#initializers.rename(from, to);
    }
    if (this.#sparseNames.delete(from)) {
      for (const s of this.#sparseInitializers) if (s.values?.name === from) s.values.name = to;
      this.#sparseNames.add(to);
    }
    const vi = this.#valueInfo.get(from);
    if (vi) {
      vi.name = to;
      this.#valueInfo.rename(from, to);
    }
    this.#annotations.rename(from, to);
    this.#touch();
  }

  // ---- initializers ----

  isInitializer(name: string): boolean {
    return this.#initializers.has(name);
  }

  getInitializer(name: string): TensorProto | undefined {
    return this.#initializers.get(name);
  }

  /** Initializers in order. */
  initializers(): TensorProto[] {
    return this.#initializers.values();
  }

  initializerNames(): string[] {
    return [...this.#initializers.keys()];
  }

  /** Names of sparse_initializer entries (kept as loaded; the IR does not edit them). */
  sparseInitializerNames(): ReadonlySet<string> {
    return this.#sparseNames;
  }

  /** Adds the tensor under its own name, replacing (in place, keeping the position) one of the same name. */
  setInitializer(tensor: TensorProto): void {
    if (!tensor.name) throw workError('E_TENSOR_NAME', 'an initializer needs a name');
    this.#initializers.set(tensor.name, tensor);
    this.#touch();
  }

  removeInitializer(name: string): boolean {
    if (!this.#initializers.delete(name)) return false;
    this.#touch();
    return true;
  }

  // ---- graph inputs and outputs ----

  get inputs(): readonly ValueInfoProto[] {
    return this.#inputs;
  }

  get outputs(): readonly ValueInfoProto[] {
    return this.#outputs;
  }

  inputNames(): string[] {
    return this.#inputs.map((vi) => vi.name ?? '');
  }

  outputNames(): string[] {
    return this.#outputs.map((vi) => vi.name ?? '');
  }

  isGraphInput(name: string): boolean {
    return this.#inputCount.has(name);
  }

  isGraphOutput(name: string): boolean {
    return this.#outputCount.has(name);
  }

  /** Adds a graph input at `index` (default: last). */
  addInput(vi: ValueInfoProto, index = this.#inputs.length): void {
    this.#inputs.splice(index, 0, vi);
    bump(this.#inputCount, vi.name ?? '', 1);
    this.#touch();
  }

  /** Removes the first graph input of that name. */
  removeInput(name: string): boolean {
    const i = this.#inputs.findIndex((vi) => (vi.name ?? '') === name);
    if (i < 0) return false;
    this.#inputs.splice(i, 1);
    bump(this.#inputCount, name, -1);
    this.#touch();
    return true;
  }

  addOutput(vi: ValueInfoProto, index = this.#outputs.length): void {
    this.#outputs.splice(index, 0, vi);
    bump(this.#outputCount, vi.name ?? '', 1);
    this.#touch();
  }

  removeOutput(name: string): boolean {
    const i = this.#outputs.findIndex((vi) => (vi.name ?? '') === name);
    if (i < 0) return false;
    this.#outputs.splice(i, 1);
    bump(this.#outputCount, name, -1);
    this.#touch();
    return true;
  }

  // ---- value info, shapes, element types ----

  /** The graph's value_info entries (not the inputs/outputs) in order. */
  valueInfos(): ValueInfoProto[] {
    return this.#valueInfo.values();
  }

  /** The declared type of a tensor: its graph input, else graph output, else value_info entry. */
  getValueInfo(name: string): ValueInfoProto | undefined {
    if (this.#inputCount.has(name)) return this.#inputs.find((vi) => vi.name === name);
    if (this.#outputCount.has(name)) return this.#outputs.find((vi) => vi.name === name);
    return this.#valueInfo.get(name);
  }

  /** Adds or replaces (in place) the value_info entry of vi.name. */
  setValueInfo(vi: ValueInfoProto): void {
    if (!vi.name) throw workError('E_TENSOR_NAME', 'a value_info entry needs a name');
    this.#valueInfo.set(vi.name, vi);
    this.#touch();
  }

  removeValueInfo(name: string): boolean {
    if (!this.#valueInfo.delete(name)) return false;
    this.#touch();
    return true;
  }

  /** Shape from the initializer's dims, else the declared type; undefined when unknown. */
  getShape(name: string): Dim[] | undefined {
    const init = this.#initializers.get(name);
    if (init) return initializerShape(init);
    return shapeOfType(this.getValueInfo(name)?.type);
  }

  /** Element type (TensorProto.DataType) from the initializer, else the declared type. */
  getElemType(name: string): number | undefined {
    const init = this.#initializers.get(name);
    if (init) return init.data_type || undefined;
    return elemTypeOfType(this.getValueInfo(name)?.type);
  }

  /**
   * Declares a shape (undefined: unknown rank) where the tensor is declared (graph input/output or
   * value_info, which gets an entry if missing). The element type is kept, or `elemType`, or FLOAT.
   */
  setShape(name: string, shape: readonly Dim[] | undefined, elemType?: number): void {
    const vi = this.getValueInfo(name);
    const et = elemType ?? elemTypeOfType(vi?.type) ?? this.getElemType(name) ?? ELEM_TYPE_FLOAT;
    const type = makeTensorType(et, shape);
    if (vi) {
      if (vi.type?.denotation) type.denotation = vi.type.denotation;
      vi.type = type;
    } else {
      this.#valueInfo.set(name, makeValueInfo(name, et, shape));
    }
    this.#touch();
  }

  setElemType(name: string, elemType: number): void {
    const vi = this.getValueInfo(name);
    this.setShape(name, vi ? shapeOfType(vi.type) : this.getShape(name), elemType);
  }

  // ---- quantization annotations ----

  getAnnotation(tensor: string, key: string): string | undefined {
    return this.#annotations.get(tensor, key);
  }

  /** Sets a key of the tensor's quantization_annotation; undefined removes it. */
  setAnnotation(tensor: string, key: string, value: string | undefined): void {
    if (this.#annotations.set(tensor, key, value)) this.#touch();
  }

  /** All annotation keys of a tensor (a live view). */
  annotationsOf(tensor: string): ReadonlyMap<string, string> | undefined {
    return this.#annotations.keysOf(tensor);
  }

  annotatedTensors(): string[] {
    return [...this.#annotations.tensors()];
  }

  /** The FINN DataType name (e.g. 'INT8', 'BIPOLAR') annotated on a tensor. */
  getDatatypeName(tensor: string): string | undefined {
    return this.#annotations.get(tensor, FINN_DATATYPE_KEY);
  }

  setDatatypeName(tensor: string, name: string | undefined): void {
    this.setAnnotation(tensor, FINN_DATATYPE_KEY, name);
  }

  /** The tensor_layout annotation as dimension letters, e.g. ['N', 'C', 'H', 'W']. */
  getTensorLayout(tensor: string): string[] | undefined {
    const text = this.#annotations.get(tensor, TENSOR_LAYOUT_KEY);
    return text === undefined ? undefined : parseTensorLayout(text, tensor);
  }

  setTensorLayout(tensor: string, layout: readonly string[] | undefined): void {
    this.setAnnotation(tensor, TENSOR_LAYOUT_KEY, layout && formatTensorLayout(layout));
  }

  // ---- writing back ----

  /** Writes nodes, initializers, inputs, outputs, value_info and annotations into g; other fields stay. */
  writeTo(g: GraphProto): void {
    g.node = this.nodeList().map((n) => n.proto);
    g.initializer = this.#initializers.values();
    if (this.#sparseInitializers.length > 0) g.sparse_initializer = [...this.#sparseInitializers];
    g.input = [...this.#inputs];
    g.output = [...this.#outputs];
    g.value_info = this.#valueInfo.values();
    g.quantization_annotation = this.#annotations.toProto();
    // What the tables dropped at load is now gone from the proto too.
    if (g === this.#source) this.#defects = { duplicateInitializers: [], duplicateValueInfos: [] };
  }

  // ---- internals ----

  #touch(): void {
    this.#version++;
    this.#modified = true;
  }

  #own(node: Node): void {
    if (node._owner !== this) throw workError('E_NODE_NOT_IN_GRAPH', `node ${describeNode(node)} is not in this graph`);
  }

  #adopt(node: NodeProto | Node): Node {
    if (!(node instanceof Node)) return new Node(node);
    if (node._owner) throw workError('E_NODE_IN_GRAPH', `node ${describeNode(node)} is already in a graph; remove it first`);
    return node;
  }

  /** Links the node in before `before` (at the end when undefined) and indexes it. */
  #attach(node: Node, before: Node | undefined): void {
    const prev = before ? before._prev : this.#tail;
    node._prev = prev;
    node._next = before;
    if (prev) prev._next = node;
    else this.#head = node;
    if (before) before._prev = node;
    else this.#tail = node;
    node._owner = this;
    this.#count++;
    this.#work += 1 + this.#uses.addNode(node);
    if (hasSubgraphs(node.proto)) {
      this.#subgraphNodes.add(node);
      this.#subgraphNames = undefined;
    }
    if (this.#nodesByName) this.#nameIndexAdd(node);
  }

  /** Unlinks and unindexes; node._next is left as it was so a live iterator can step past the node. */
  #detach(node: Node): void {
    const { _prev: prev, _next: next } = node;
    if (prev) prev._next = next;
    else this.#head = next;
    if (next) next._prev = prev;
    else this.#tail = prev;
    node._prev = undefined;
    node._owner = undefined;
    this.#count--;
    this.#work += 1 + this.#uses.removeNode(node);
    if (this.#subgraphNodes.delete(node)) this.#subgraphNames = undefined;
    if (this.#nodesByName) this.#nameIndexRemove(node);
  }

  /** Unnamed nodes are left out: findNode('') finds nothing, and removing one stays O(1). */
  #nameIndexAdd(node: Node): void {
    const name = node.name;
    if (!name) return;
    const list = this.#nodesByName!.get(name);
    if (list) list.push(node);
    else this.#nodesByName!.set(name, [node]);
  }

  #nameIndexRemove(node: Node): void {
    const name = node.name;
    if (!name) return;
    const list = this.#nodesByName!.get(name);
    if (!list) return;
    const i = list.indexOf(node);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.#nodesByName!.delete(name);
  }

  /** Every name used inside subgraphs (a name there must not be reused outside); rebuilt when they change. */
  #namesInSubgraphs(): Set<string> {
    if (!this.#subgraphNames) {
      this.#subgraphNames = new Set();
      for (const node of this.#subgraphNodes) for (const g of subgraphsOf(node.proto)) collectNames(g, this.#subgraphNames);
    }
    return this.#subgraphNames;
  }
}

function checkSlot(node: Node, index: number, what: string): void {
  if (!Number.isInteger(index) || index < 0) {
    throw workError('E_NODE_SLOT', `node ${describeNode(node)}: ${what} index ${index} is not a non-negative integer`);
  }
}

function bump(counts: Map<string, number>, key: string, by: number): void {
  const n = (counts.get(key) ?? 0) + by;
  if (n > 0) counts.set(key, n);
  else counts.delete(key);
}
