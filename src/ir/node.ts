import type { AttributeProto, NodeProto } from '../onnx/proto-types.js';
import type { Graph } from './graph.js';

const NO_STRINGS: readonly string[] = Object.freeze([]);
const NO_ATTRIBUTES: readonly AttributeProto[] = Object.freeze([]);

/**
 * One node of a Graph: a thin wrapper around the NodeProto itself, so every field the IR does not model
 * (doc_string, metadata_props, overload, device configurations, subgraph attributes) stays on the proto.
 * Inputs and outputs are read-only views: change them only through the Graph, which keeps its producer and
 * consumer indices right.
 */
export class Node {
  readonly proto: NodeProto;
  /** @internal Links of the graph's node list; only Graph writes them. */
  _prev: Node | undefined = undefined;
  /** @internal Stays set after removal so an iterator sitting on a removed node can move on. */
  _next: Node | undefined = undefined;
  /** @internal The graph this node is in, if any. */
  _owner: Graph | undefined = undefined;

  constructor(proto: NodeProto) {
    this.proto = proto;
  }

  get opType(): string {
    return this.proto.op_type ?? '';
  }

  /** The domain as written in the model ('' is the default ONNX domain); see domains.ts to normalize it. */
  get domain(): string {
    return this.proto.domain ?? '';
  }

  get name(): string {
    return this.proto.name ?? '';
  }

  /** Input tensor names; '' marks an omitted optional input. */
  get inputs(): readonly string[] {
    return this.proto.input ?? NO_STRINGS;
  }

  /** Output tensor names; '' marks an omitted optional output. */
  get outputs(): readonly string[] {
    return this.proto.output ?? NO_STRINGS;
  }

  get attributes(): readonly AttributeProto[] {
    return this.proto.attribute ?? NO_ATTRIBUTES;
  }

  /** The graph holding this node, or undefined once removed. */
  get graph(): Graph | undefined {
    return this._owner;
  }

  /** The next node in graph order (undefined at the end or when the node is not in a graph). */
  get next(): Node | undefined {
    return this._owner ? this._next : undefined;
  }

  get prev(): Node | undefined {
    return this._owner ? this._prev : undefined;
  }

  toString(): string {
    return describeNode(this);
  }
}

export interface NodeInit {
  opType: string;
  inputs?: readonly string[];
  outputs?: readonly string[];
  name?: string;
  domain?: string;
  attributes?: AttributeProto[];
}

/** A fresh NodeProto; fields left out stay absent (they encode as absent). */
export function makeNode(init: NodeInit): NodeProto {
  const p: NodeProto = { op_type: init.opType, input: [...(init.inputs ?? [])], output: [...(init.outputs ?? [])] };
  if (init.name !== undefined) p.name = init.name;
  if (init.domain !== undefined) p.domain = init.domain;
  if (init.attributes !== undefined) p.attribute = [...init.attributes];
  return p;
}

/** How messages name a node: its name, else its op type and first output. */
export function describeNode(node: Node | NodeProto): string {
  const p = node instanceof Node ? node.proto : node;
  const op = p.op_type || '?';
  if (p.name) return `'${p.name}' (${op})`;
  const out = p.output?.find((o) => o !== '');
  return out === undefined ? `unnamed ${op}` : `unnamed ${op} producing '${out}'`;
}
