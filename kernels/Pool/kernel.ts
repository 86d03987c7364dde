import { defineKernel, z, BrainsmithError } from '../../src/index.js';
import { datatype, datatypeName, floatTensor, hwCommonAttributes, numbers, positiveInt, prod, requireDivides, type KernelNodeView } from '../../src/kernel.js';
import { poolStreamBehaviour } from './_stream-model.js';

export const poolAttributes = z.looseObject({
  ...hwCommonAttributes,
  Channels: positiveInt,
  PE: positiveInt.default(1),
  KernelSize: z.array(positiveInt).min(1),
  Function: z.enum(['MaxPool', 'QuantAvgPool']),
  OutImgDims: z.array(positiveInt).min(1),
  InputDataType: datatypeName,
  OutputDataType: datatypeName,
  AccumBits: z.number().int().min(0).default(0),
  Size: positiveInt.default(1),
  BatchSize: positiveInt.default(1),
});
export type PoolAttrs = z.infer<typeof poolAttributes>;

export function pool(node: KernelNodeView): PoolAttrs {
  const a = node.attrs as PoolAttrs;
  requireDivides(node.name, 'PE', a.PE, 'Channels', a.Channels);
  return a;
}

/** QuantAvgPool shift: bit length of (2^ibits − 1)·k² minus obits, at least 0. */
export function avgShift(a: PoolAttrs): number {
  const maxSum = (2 ** datatype(a.InputDataType).bitwidth() - 1) * prod(a.KernelSize);
  return Math.max(0, Math.floor(Math.log2(maxSum)) + 1 - datatype(a.OutputDataType).bitwidth());
}

export default defineKernel({
  name: 'Pool',
  domain: 'finn.custom_op.fpgadataflow',
  description: 'Max or quantized average pooling over the windows of a depthwise SWG',
  inferFrom: ['MaxPool', 'QuantAvgPool2d', 'MaxPoolNHWC'],
  attributeSchema: poolAttributes,
  parallelism(node) {
    return { PE: { dimension: 'Channels', size: pool(node).Channels, drivesProducer: 'SIMD' } };
  },
  /** K taps in per output word (hlslib Pool_batch, reference §2.6): _stream-model.ts. */
  streamBehaviour(node) {
    return poolStreamBehaviour(node);
  },
  /** in = PE·A, out = PE·B (MaxPool keeps the input type). */
  streamWidths(node) {
    const a = pool(node);
    const out = a.Function === 'MaxPool' ? a.InputDataType : a.OutputDataType;
    return { inputs: [a.PE * datatype(a.InputDataType).bitwidth()], outputs: [a.PE * datatype(out).bitwidth()] };
  },
  /** cycles = (C·prod(k)/PE)·prod(OutImgDims)·BatchSize. */
  cycles(node) {
    const a = pool(node);
    return Math.trunc(((a.Channels * prod(a.KernelSize)) / a.PE) * prod(a.OutImgDims) * a.BatchSize);
  },
  inferShapes(node) {
    const a = pool(node);
    return [[a.BatchSize, ...a.OutImgDims, a.Channels]];
  },
  /** MaxPool keeps the input type; QuantAvgPool gives OutputDataType (same signedness as the input). */
  inferDatatypes(node) {
    const a = pool(node);
    return [a.Function === 'MaxPool' ? a.InputDataType : a.OutputDataType];
  },
  /** Input (…, k²·C) in Im2Col order: MaxPool = max over the k² entries of each channel; QuantAvgPool = sum >> shift. */
  execute(inputs, attributes) {
    const a = poolAttributes.parse(attributes);
    const x = inputs[0];
    const xs = numbers(x, 'Pool input 0');
    const C = a.Channels;
    const K = prod(a.KernelSize);
    if (x!.dims[x!.dims.length - 1] !== K * C) {
      throw new BrainsmithError('E_EXEC_SHAPE', `Pool input has shape [${x!.dims.join(',')}], expected last axis prod(KernelSize)·Channels=${K * C}`, { kind: 'work' });
    }
    const pixels = xs.length / (K * C);
    const out = new Float64Array(pixels * C);
    const shift = a.Function === 'QuantAvgPool' ? 2 ** avgShift(a) : 1;
    for (let p = 0; p < pixels; p++)
      for (let c = 0; c < C; c++) {
        let m = -Infinity;
        let s = 0;
        for (let k = 0; k < K; k++) {
          const v = xs[(p * K + k) * C + c]!;
          m = Math.max(m, v);
          s += v;
        }
        out[p * C + c] = a.Function === 'MaxPool' ? m : Math.floor(s / shift);
      }
    return [floatTensor([...x!.dims.slice(0, -1), C], out)];
  },
});
