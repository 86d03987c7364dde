/**
 * Builds the KernelNodeView that kernel and backend hooks receive: decoded attributes, shapes, datatypes
 * and lazily decoded constant inputs of one node.
 */
import type { Graph } from '../ir/graph.js';
import type { Model } from '../ir/model.js';
import type { Node } from '../ir/node.js';
import { readExternalData } from '../onnx/external-data.js';
import { AttributeType, type AttributeProto } from '../onnx/proto-types.js';
import { int64ToNumber } from '../onnx/int64.js';
import { tensorFromProto, type TensorValue } from '../tensor/tensor-value.js';
import type { FpgaTarget, KernelNodeView } from '../plugins/types.js';

const utf8 = new TextDecoder('utf-8');

function has(a: AttributeProto, f: keyof AttributeProto): boolean {
  return Object.hasOwn(a, f) && a[f] !== undefined && a[f] !== null;
}

/** One attribute as a plain value; graphs and sparse tensors are left out (no kernel reads them). */
export function decodeAttribute(a: AttributeProto): unknown {
  let t = a.type ?? 0;
  if (t === AttributeType.UNDEFINED) {
    if (has(a, 'f')) t = AttributeType.FLOAT;
    else if (has(a, 'i')) t = AttributeType.INT;
    else if (has(a, 's')) t = AttributeType.STRING;
    else if (has(a, 't')) t = AttributeType.TENSOR;
    else if (a.ints?.length) t = AttributeType.INTS;
    else if (a.floats?.length) t = AttributeType.FLOATS;
    else if (a.strings?.length) t = AttributeType.STRINGS;
  }
  switch (t) {
    case AttributeType.FLOAT: return a.f ?? 0;
    case AttributeType.INT: return a.i === undefined ? 0 : int64ToNumber(a.i);
    case AttributeType.STRING: return a.s ? utf8.decode(a.s) : '';
    case AttributeType.TENSOR: return a.t ? tensorFromProto(a.t) : undefined;
    case AttributeType.FLOATS: return [...(a.floats ?? [])];
    case AttributeType.INTS: return (a.ints ?? []).map((v) => int64ToNumber(v));
    case AttributeType.STRINGS: return (a.strings ?? []).map((s) => utf8.decode(s));
    default: return undefined;
  }
}

export function decodeAttributes(node: Node): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of node.attributes) {
    const v = decodeAttribute(a);
    if (a.name && v !== undefined) out[a.name] = v;
  }
  return out;
}

function staticShape(graph: Graph, tensor: string): number[] | undefined {
  if (!tensor) return undefined;
  const s = graph.getShape(tensor);
  if (s === undefined) {
    const init = graph.getInitializer(tensor);
    return init ? (init.dims ?? []).map((d) => int64ToNumber(d)) : undefined;
  }
  return s.every((d) => typeof d === 'number' && d >= 0) ? (s as number[]) : undefined;
}

export interface NodeViewOptions {
  /** Display name for a node without one (FINN's GiveUniqueNodeNames style). */
  name?: string;
  target?: FpgaTarget;
}

export function buildNodeView(model: Model, node: Node, opts: NodeViewOptions = {}): KernelNodeView {
  const graph = model.graph;
  const consts = new Map<number, TensorValue | undefined>();
  const baseDir = model.source.baseDir;
  return {
    name: node.name || opts.name || '',
    opType: node.opType,
    domain: node.domain,
    attrs: decodeAttributes(node),
    inputs: node.inputs,
    outputs: node.outputs,
    inputShapes: node.inputs.map((t) => staticShape(graph, t)),
    outputShapes: node.outputs.map((t) => staticShape(graph, t)),
    inputDatatypes: node.inputs.map((t) => (t ? graph.getDatatypeName(t) : undefined)),
    outputDatatypes: node.outputs.map((t) => (t ? graph.getDatatypeName(t) : undefined)),
    constantInput(i: number): TensorValue | undefined {
      if (!consts.has(i)) {
        const init = node.inputs[i] ? graph.getInitializer(node.inputs[i]!) : undefined;
        consts.set(i, init ? tensorFromProto(init, baseDir === undefined ? {} : { readExternal: (x) => readExternalData(x, baseDir) }) : undefined);
      }
      return consts.get(i);
    },
    target: opts.target,
  };
}
