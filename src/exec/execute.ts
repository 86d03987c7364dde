import { BrainsmithError, isBrainsmithError } from '../errors.js';
import { normalizeNodeDomain } from '../ir/domains.js';
import type { Model } from '../ir/model.js';
import { describeNode, type Node } from '../ir/node.js';
import { readExternalData } from '../onnx/external-data.js';
import type { TensorProto } from '../onnx/proto-types.js';
import { elemTypeName } from '../tensor/element-type.js';
import { tensorFromProto, type TensorValue } from '../tensor/tensor-value.js';
import { OrtFallback } from './ort-fallback.js';
import { nativeOpForNode } from './registry.js';
import type { ExecuteOptions, ExecuteResult, OpContext, OpImpl, TensorMap } from './types.js';
import { E_EXEC_UNSUPPORTED } from './values.js';

/** Decoded initializers, per proto object: repeated runs of one model decode each weight once. */
const initializerCache = new WeakMap<TensorProto, TensorValue>();

function initializerValue(model: Model, t: TensorProto): TensorValue {
  let v = initializerCache.get(t);
  if (v === undefined) {
    const baseDir = model.source.baseDir;
    v = tensorFromProto(t, baseDir === undefined ? {} : { readExternal: (x) => readExternalData(x, baseDir) });
    initializerCache.set(t, v);
  }
  return v;
}

/** Nodes in an order where every input is computed before use (the graph order when it already is one). */
function executionOrder(model: Model, available: ReadonlySet<string>): Node[] {
  const nodes = model.graph.nodeList();
  const ready = new Set(available);
  let sorted = true;
  for (const n of nodes) {
    if (n.inputs.some((i) => i !== '' && !ready.has(i))) { sorted = false; break; }
    for (const o of n.outputs) if (o !== '') ready.add(o);
  }
  if (sorted) return nodes;
  // Kahn's algorithm over the tensors each node waits for, keeping graph order among ready nodes.
  const have = new Set(available);
  const waiting = new Map<Node, number>();
  const consumers = new Map<string, Node[]>();
  const queue: Node[] = [];
  for (const n of nodes) {
    const missing = new Set(n.inputs.filter((i) => i !== '' && !have.has(i)));
    waiting.set(n, missing.size);
    for (const t of missing) {
      const list = consumers.get(t) ?? [];
      list.push(n);
      consumers.set(t, list);
    }
    if (missing.size === 0) queue.push(n);
  }
  const order: Node[] = [];
  for (let q = 0; q < queue.length; q++) {
    const n = queue[q]!;
    order.push(n);
    for (const o of n.outputs) {
      if (o === '' || have.has(o)) continue;
      have.add(o);
      for (const c of consumers.get(o) ?? []) {
        const left = waiting.get(c)! - 1;
        waiting.set(c, left);
        if (left === 0) queue.push(c);
      }
    }
  }
  if (order.length !== nodes.length) {
    const stuck = nodes.find((n) => (waiting.get(n) ?? 0) > 0)!;
    const missing = stuck.inputs.find((i) => i !== '' && !have.has(i));
    throw new BrainsmithError('E_EXEC_GRAPH', `node ${describeNode(stuck)} needs tensor '${missing}', which no node, input or initializer provides (or the graph has a cycle)`);
  }
  return order;
}

function opsetFor(model: Model, node: Node): number {
  const opsets = model.opsets;
  return opsets.get(node.domain) ?? opsets.get(normalizeNodeDomain(node)) ?? (node.domain === '' ? opsets.get('ai.onnx') ?? 0 : 0);
}

function opKey(node: Node): string {
  const d = normalizeNodeDomain(node);
  return d === '' ? node.opType : `${d}:${node.opType}`;
}

/**
 * Runs a model on the given inputs. Nodes run in graph order (sorted when needed); each node is executed by
 * the first resolver that knows it, else by the native ops, else through onnxruntime in a child process.
 */
export async function executeModel(model: Model, inputs: TensorMap, opts: ExecuteOptions = {}): Promise<ExecuteResult> {
  const graph = model.graph;
  const fallbackMode = opts.fallback ?? 'onnxruntime';
  const values = new Map<string, TensorValue>();
  for (const t of graph.initializers()) if (t.name) values.set(t.name, initializerValue(model, t));
  for (const name of graph.inputNames()) {
    const given = inputs.get(name);
    if (given !== undefined) values.set(name, given);
    else if (!values.has(name)) throw new BrainsmithError('E_EXEC_INPUT', `no value given for graph input '${name}'`, { kind: 'usage' });
  }
  for (const [name, v] of inputs) if (!values.has(name)) values.set(name, v);

  const order = executionOrder(model, new Set(values.keys()));
  const outputs = new Set(graph.outputNames());
  // Reference counts let tensors go as soon as their last consumer ran (unless intermediates are kept).
  const uses = new Map<string, number>();
  if (!opts.keepIntermediates) for (const n of order) for (const i of n.inputs) if (i !== '') uses.set(i, (uses.get(i) ?? 0) + 1);
  const isInitializer = (name: string): boolean => graph.isInitializer(name);

  const intermediates: TensorMap | undefined = opts.keepIntermediates ? new Map() : undefined;
  if (intermediates) for (const name of graph.inputNames()) if (!isInitializer(name) || inputs.has(name)) intermediates.set(name, values.get(name)!);

  const delegated = new Set<string>();
  let ort: OrtFallback | undefined;
  try {
    for (const node of order) {
      const args = node.inputs.map((i) => (i === '' ? undefined : values.get(i)));
      const ctx: OpContext = { node, model, opset: opsetFor(model, node) };
      let results: (TensorValue | undefined)[] | undefined;
      const impl = resolve(node, model, opts);
      if (impl !== undefined) {
        try {
          results = await impl(args, ctx);
        } catch (e) {
          if (!(isBrainsmithError(e) && e.code === E_EXEC_UNSUPPORTED && fallbackMode === 'onnxruntime')) throw wrapNodeError(node, e);
        }
      } else if (fallbackMode === 'none') {
        throw new BrainsmithError(E_EXEC_UNSUPPORTED, `node ${describeNode(node)}: op ${opKey(node)} has no native implementation (and the onnxruntime fallback is off)`);
      }
      if (results === undefined) {
        ort ??= new OrtFallback();
        delegated.add(opKey(node));
        results = await ort.runNode(model, node, args);
      }
      node.outputs.forEach((name, k) => {
        if (name === '') return;
        const v = results![k];
        if (v === undefined) throw new BrainsmithError('E_EXEC_NODE', `node ${describeNode(node)} produced no value for output '${name}'`);
        values.set(name, v);
        intermediates?.set(name, v);
      });
      if (!opts.keepIntermediates) {
        for (const i of node.inputs) {
          if (i === '') continue;
          const left = uses.get(i)! - 1;
          uses.set(i, left);
          if (left === 0 && !outputs.has(i) && !isInitializer(i)) values.delete(i);
        }
      }
    }
  } finally {
    ort?.close();
  }

  const out: TensorMap = new Map();
  for (const name of graph.outputNames()) {
    const v = values.get(name);
    if (v === undefined) throw new BrainsmithError('E_EXEC_GRAPH', `graph output '${name}' was not computed by any node`);
    out.set(name, v);
  }
  const result: ExecuteResult = { outputs: out, delegated: [...delegated].sort() };
  if (intermediates) result.intermediates = intermediates;
  return result;
}

function resolve(node: Node, model: Model, opts: ExecuteOptions): OpImpl | undefined {
  for (const r of opts.resolvers ?? []) {
    const impl = r(node, model);
    if (impl !== undefined) return impl;
  }
  return nativeOpForNode(node);
}

/** Errors from inside an op name the node; BrainsmithErrors already do. */
function wrapNodeError(node: Node, e: unknown): unknown {
  if (isBrainsmithError(e)) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return new BrainsmithError('E_EXEC_NODE', `node ${describeNode(node)} (${opKey(node)}) failed: ${msg}`, { kind: 'work', cause: e });
}

/** Short description of a tensor for messages: `FLOAT [1, 784]`. */
export function describeTensor(v: TensorValue): string {
  return `${elemTypeName(v.elemType)} [${v.dims.join(', ')}]`;
}
