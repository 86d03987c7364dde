import type { ModelProto } from '../onnx/proto-types.js';
import { int64ToNumber } from '../onnx/int64.js';
import { Graph } from './graph.js';

export interface ModelSource {
  /** The file the model was loaded from, when it came from a file. */
  path?: string;
  /** Folder that external-data `location`s are relative to (the model file's folder). */
  baseDir?: string;
}

/**
 * A loaded ONNX model: the decoded protobuf (which keeps every field, so save is lossless) plus a mutable
 * graph IR over its main graph, built on first access. Saving writes the IR back into the proto only when
 * the IR was changed, so an untouched model re-encodes to exactly what was read.
 */
export class Model {
  readonly proto: ModelProto;
  readonly source: ModelSource;
  #graph: Graph | undefined;

  constructor(proto: ModelProto, source: ModelSource = {}) {
    this.proto = proto;
    this.source = source;
  }

  /** The main graph as IR. Built on first access; later accesses return the same object. */
  get graph(): Graph {
    if (!this.#graph) {
      if (!this.proto.graph) this.proto.graph = {};
      this.#graph = Graph.fromProto(this.proto.graph);
    }
    return this.#graph;
  }

  /** True once the graph IR has been built (inspection without mutation need not build it). */
  get hasGraphIR(): boolean {
    return this.#graph !== undefined;
  }

  get irVersion(): number {
    return int64ToNumber(this.proto.ir_version);
  }

  /** Opset imports as domain → version ('' is the default ONNX domain). */
  get opsets(): Map<string, number> {
    const m = new Map<string, number>();
    for (const o of this.proto.opset_import ?? []) m.set(o.domain ?? '', int64ToNumber(o.version));
    return m;
  }

  /** The proto with any IR changes written back; what the encoder serializes. */
  toProto(): ModelProto {
    if (this.#graph && this.#graph.modified) {
      this.#graph.writeTo(this.proto.graph!);
    }
    return this.proto;
  }
}
