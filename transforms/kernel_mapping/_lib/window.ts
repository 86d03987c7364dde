// Sliding-window geometry shared by InferConvInpGen and InferPool.
import { makeNode, type NodeProto } from '../../../src/index.js';
import { attributesOf } from './hw-node.js';

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
