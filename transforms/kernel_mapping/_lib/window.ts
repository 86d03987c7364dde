// Sliding-window geometry shared by InferConvInpGen, InferPool and InferStreamingMaxPool.
import { getInts, makeNode, type DataType, type Graph, type Node, type NodeProto } from '../../../src/index.js';
import { attributesOf, datatypeOf, isQonnxOp, staticShape } from '../../../src/rewrite.js';

/** What the max-pool rules read from a MaxPoolNHWC. */
export interface MaxPoolWindow {
  x: string;
  /** NHWC input shape. */
  shape: [number, number, number, number];
  dt: DataType;
  kernel: [number, number];
  stride: [number, number];
}

/** A MaxPoolNHWC on a static 4-D integer tensor with a 2-D window and no padding, or undefined. */
export function maxPoolWindow(graph: Graph, mp: Node): MaxPoolWindow | undefined {
  if (!mp.graph || !isQonnxOp(mp, 'MaxPoolNHWC')) return undefined;
  const x = mp.inputs[0]!;
  const shape = staticShape(graph, x);
  const dt = datatypeOf(graph, x);
  if (!shape || shape.length !== 4 || !dt.isInteger()) return undefined;
  const k = getInts(mp, 'kernel_shape');
  const s = getInts(mp, 'strides', k);
  if (k.length !== 2 || s.length !== 2 || getInts(mp, 'pads', [0, 0, 0, 0]).some((p) => p !== 0)) return undefined;
  return { x, shape: shape as MaxPoolWindow['shape'], dt, kernel: k as [number, number], stride: s as [number, number] };
}

/** Output size of one axis: floor((in + padding − dilation·(k − 1) − 1)/stride) + 1. */
export function outDim(input: number, k: number, stride: number, dilation: number, padding: number): number {
  return Math.floor((input + padding - dilation * (k - 1) - 1) / stride) + 1;
}

/** QONNX Im2Col of an NHWC tensor, for windows of kernel k and the given stride (no padding). */
export function im2col(x: string, out: string, shape: readonly number[], k: [number, number], stride: [number, number], name: string, depthwise: number): NodeProto {
  return makeNode({
    opType: 'Im2Col', inputs: [x], outputs: [out], name, domain: 'qonnx.custom_op.general',
    attributes: attributesOf({
      stride, kernel_size: k, input_shape: `(${shape.join(', ')})`, pad_amount: [0, 0, 0, 0], pad_value: 0, depthwise, dilations: [1, 1],
    }),
  });
}
