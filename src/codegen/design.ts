/**
 * What generation writes beside the HDL in `hw/design.json`, and what `brainsmith sim` reads back: the top,
 * its streams (tensor, datatype, word layout), every node's module, files and streams, in compile order.
 */
import type { StreamOrder } from '../plugins/types.js';

/** One AXI-Stream of the design, as FINN packs it (reference §1): element 0 at the LSB, TDATA padded to bytes. */
export interface StreamInfo {
  tensor: string;
  /** QONNX datatype of the elements. */
  datatype: string;
  /** Normal shape of one frame (batch 1). */
  shape: number[];
  /** Bits per word (unpadded: elements per word × element bits). */
  bits: number;
  /** TDATA width (bits rounded up to a multiple of 8). */
  width: number;
  /** Elements per word (the last folded axis), when the word is a whole number of elements. */
  elemsPerWord?: number;
  /** Words per frame. */
  wordsPerFrame?: number;
  /** The element order on the stream when it is not the tensor's C order (set by the producer's generator). */
  order?: StreamOrder;
}

export interface NodeInfo {
  name: string;
  module: string;
  opType: string;
  kernel: string;
  language: string;
  backend: string;
  /** HDL files of the node, relative to hw/. */
  files: string[];
  /** Memory-initialisation files of the node. */
  memoryFiles: string[];
  /** Library files it instantiates (copied once into hw/). */
  libraries: string[];
  /** Stream inputs in port order (in0_V, in1_V…) and outputs (out_V, or out0_V…). */
  inputs: StreamInfo[];
  outputs: StreamInfo[];
  /** Expected cycles per frame from the kernel (0 when it gives none). */
  cycles: number;
}

export interface HwDesign {
  format: 'brainsmith-hw';
  version: 1;
  top: string;
  part: string;
  board?: string;
  clockNs: number;
  /** Every HDL source in compile order (libraries, nodes, top), relative to hw/. */
  sources: string[];
  memoryFiles: string[];
  /** s_axis_<i> and m_axis_<k> of the top, in order. */
  inputs: StreamInfo[];
  outputs: StreamInfo[];
  /** Nodes of the dataflow partition in graph order. */
  nodes: NodeInfo[];
  /** Nodes that run on the host, before and after the partition. */
  hostNodes: { before: string[]; after: string[] };
}

export const DESIGN_FILE = 'design.json';
export const HDL_EXTS = ['.v', '.sv'];

export function isHdlSource(file: string): boolean {
  return HDL_EXTS.some((e) => file.toLowerCase().endsWith(e));
}
