/**
 * Streams between hardware nodes (producer output → consumer input) with the widths their kernels declare,
 * and inserting a node into one such stream. Used by InsertDWC and InsertFIFO.
 */
import type { Model } from '../ir/model.js';
import type { NodeProto } from '../onnx/proto-types.js';
import type { FpgaTarget } from '../plugins/types.js';
import type { BoundNode, HwApi } from '../hw/types.js';

export interface HwEdge {
  tensor: string;
  producer: BoundNode;
  outIndex: number;
  consumer: BoundNode;
  inIndex: number;
  /** Producer's output stream width in bits (undefined: its kernel declares no streamWidths). */
  outWidth?: number;
  inWidth?: number;
}

/** Every stream from one hardware node with a kernel plugin to another, in graph order of the consumers. */
export async function hwEdges(model: Model, hw: HwApi, target?: FpgaTarget): Promise<HwEdge[]> {
  const { nodes } = await hw.nodes(model, { target, skipUnknown: true });
  const byNode = new Map(nodes.map((kn) => [kn.node, kn]));
  const widths = new Map(nodes.map((kn) => [kn, kn.streamWidths()]));
  const g = model.graph;
  const edges: HwEdge[] = [];
  for (const consumer of nodes) {
    for (const [inIndex, tensor] of consumer.node.inputs.entries()) {
      if (!tensor || g.isInitializer(tensor)) continue;
      const p = g.producer(tensor);
      const producer = p ? byNode.get(p) : undefined;
      if (!producer) continue;
      const outIndex = producer.node.outputs.indexOf(tensor);
      const e: HwEdge = { tensor, producer, outIndex, consumer, inIndex };
      const ow = widths.get(producer)?.outputs[outIndex];
      const iw = widths.get(consumer)?.inputs[inIndex];
      if (ow !== undefined) e.outWidth = ow;
      if (iw !== undefined) e.inWidth = iw;
      edges.push(e);
    }
  }
  return edges;
}

/**
 * Puts `node` (whose input 0 reads the edge's tensor and whose output 0 is a fresh tensor) into the edge:
 * the consumer reads the new tensor, which gets the old tensor's shape and datatype.
 */
export function insertIntoEdge(model: Model, edge: HwEdge, make: (input: string, output: string) => NodeProto, suffix: string): string {
  const g = model.graph;
  const out = g.uniqueTensorName(`${edge.tensor}_${suffix}`);
  const proto = make(edge.tensor, out);
  g.insertBefore(edge.consumer.node, proto);
  const shape = g.getShape(edge.tensor);
  g.setShape(out, shape, g.getElemType(edge.tensor));
  const dt = g.getDatatypeName(edge.tensor);
  if (dt) g.setDatatypeName(out, dt);
  g.setInput(edge.consumer.node, edge.inIndex, out);
  return out;
}

/** A unique node name `<prefix>_<n>` (FINN's numbering per op type). */
export function uniqueNodeName(model: Model, prefix: string): string {
  const taken = new Set(model.graph.nodeList().map((n) => n.name));
  let i = 0;
  while (taken.has(`${prefix}_${i}`)) i++;
  return `${prefix}_${i}`;
}

/** The folded shape of a stream: the last axis split into (fold, elements per beat), FINN's layout. */
export function foldedShape(normal: readonly number[], widthBits: number, elemBits: number): number[] | undefined {
  const c = normal[normal.length - 1];
  if (c === undefined || !(elemBits > 0) || widthBits % elemBits !== 0) return undefined;
  const per = widthBits / elemBits;
  if (per < 1 || c % per !== 0) return undefined;
  return [...normal.slice(0, -1), c / per, per];
}
