/**
 * Small helpers kernel plugins share: attribute schema pieces common to every FINN hardware op, datatype
 * reads, and the multi-threshold activation used by MVAU, VVAU and Thresholding.
 */
import { z } from 'zod';
import { BrainsmithError } from '../errors.js';
import { parseDataType, type DataType } from '../datatype/index.js';
import { ElemType } from '../tensor/element-type.js';
import { makeTensor, tensorToNumbers, type TensorValue } from '../tensor/tensor-value.js';
import type { KernelNodeView } from '../plugins/types.js';

const int = z.number().int();

/** Attributes every FINN hardware op may carry (reference §3); kernels extend this object. */
export const hwCommonAttributes = {
  backend: z.string().default('fpgadataflow'),
  preferred_impl_style: z.enum(['', 'hls', 'rtl']).default(''),
  exec_mode: z.string().default(''),
  cycles_estimate: int.default(0),
  res_estimate: z.string().default(''),
  inFIFODepths: z.array(int).default([2]),
  outFIFODepths: z.array(int).default([2]),
  slr: int.default(-1),
  partition_id: int.default(0),
};

/** A positive integer attribute (PE, SIMD, MW, …). */
export const positiveInt = int.min(1);
/** 0/1 flags stored as ONNX ints. */
export const flag = z.union([z.literal(0), z.literal(1)]);

/** Where a weight-holding kernel (MVAU, VVAU) keeps its weights and thresholds (FINN's names and choices). */
export const weightMemoryAttributes = {
  mem_mode: z.enum(['internal_embedded', 'internal_decoupled', 'external']).default('internal_decoupled'),
  ram_style: z.enum(['auto', 'block', 'distributed', 'ultra']).default('auto'),
  ram_style_thresholds: z.enum(['auto', 'block', 'distributed']).default('auto'),
  runtime_writeable_weights: flag.default(0),
};

/** A QONNX datatype name, checked to parse. */
export const datatypeName = z.string().refine((s) => {
  try {
    parseDataType(s);
    return true;
  } catch {
    return false;
  }
}, 'not a QONNX datatype name');

export function datatype(name: string): DataType {
  return parseDataType(name);
}

export function prod(xs: readonly number[]): number {
  return xs.reduce((a, b) => a * b, 1);
}

/** Throws a node-naming error when `divisor` does not divide `dim` (parallelism legality). */
export function requireDivides(node: string, param: string, value: number, dimName: string, dim: number): void {
  if (dim % value !== 0) {
    throw new BrainsmithError('E_FOLDING', `node '${node}': ${param}=${value} does not divide ${dimName}=${dim}`, { kind: 'input' });
  }
}

/** Values of a tensor as float64 numbers (exact for every integer a quantized network carries). */
export function numbers(t: TensorValue | undefined, what: string): Float64Array {
  if (!t) throw new BrainsmithError('E_EXEC_INPUT', `missing input ${what}`, { kind: 'work' });
  return tensorToNumbers(t);
}

/** A FLOAT tensor, as FINN's executor holds every quantized value. */
export function floatTensor(dims: readonly number[], data: ArrayLike<number>): TensorValue {
  return makeTensor(ElemType.FLOAT, [...dims], Float32Array.from(data));
}

/**
 * Multi-threshold activation of one value against its channel's sorted thresholds: the number of
 * thresholds ≤ x, then mapped to the output datatype (BIPOLAR: 2·n − 1; otherwise n + ActVal).
 */
export function thresholdCount(x: number, thr: Float64Array, offset: number, count: number): number {
  let n = 0;
  for (let k = 0; k < count; k++) if (x >= thr[offset + k]!) n++;
  return n;
}

export function activationValue(n: number, outputDatatype: string, actVal: number): number {
  return outputDatatype === 'BIPOLAR' ? 2 * n - 1 : n + actVal;
}

/**
 * Applies thresholds of shape (C or 1, T) to `acc` laid out with channel as the innermost axis of length C.
 */
export function applyThresholds(acc: Float64Array, channels: number, thr: TensorValue, outputDatatype: string, actVal: number): Float64Array {
  const t = tensorToNumbers(thr);
  const rows = thr.dims.length >= 2 ? thr.dims[0]! : 1;
  const steps = thr.dims.length >= 2 ? thr.dims[1]! : thr.dims[0] ?? 0;
  if (rows !== channels && rows !== 1) {
    throw new BrainsmithError('E_EXEC_SHAPE', `thresholds have ${rows} rows, expected ${channels} (one per channel) or 1`, { kind: 'work' });
  }
  const out = new Float64Array(acc.length);
  for (let i = 0; i < acc.length; i++) {
    const c = i % channels;
    const row = rows === 1 ? 0 : c;
    out[i] = activationValue(thresholdCount(acc[i]!, t, row * steps, steps), outputDatatype, actVal);
  }
  return out;
}

/** Throws an execution error when tensor `x` is missing or its last axis is not `size`. */
export function requireLastAxis(x: TensorValue | undefined, size: number, what: string): TensorValue {
  if (!x) throw new BrainsmithError('E_EXEC_INPUT', `missing ${what}`, { kind: 'work' });
  if (x.dims[x.dims.length - 1] !== size) {
    throw new BrainsmithError('E_EXEC_SHAPE', `${what} has shape [${x.dims.join(',')}], expected last axis ${size}`, { kind: 'work' });
  }
  return x;
}

/** The attributes every per-channel streaming kernel has (AddStreams, ChannelwiseOp, …). */
export interface ChannelStreamAttrs {
  numInputVectors: number[];
  NumChannels: number;
  PE: number;
}

/**
 * Hooks shared by kernels that stream prod(numInputVectors) vectors of NumChannels values with PE lanes:
 * PE folds NumChannels, cycles = prod(numInputVectors)·C/PE, and the output shape is the input's.
 * Spread into defineKernel; `attrs` reads and checks the node's attributes.
 */
export function channelStreamHooks<A extends ChannelStreamAttrs>(attrs: (node: KernelNodeView) => A) {
  return {
    parallelism(node: KernelNodeView) {
      return { PE: { dimension: 'NumChannels', size: attrs(node).NumChannels } };
    },
    cycles(node: KernelNodeView) {
      const a = attrs(node);
      return (prod(a.numInputVectors) * a.NumChannels) / a.PE;
    },
    inferShapes(node: KernelNodeView) {
      return [channelStreamShape(node, attrs(node))];
    },
  };
}

/** The stream shape of a per-channel kernel: its input's, or numInputVectors × NumChannels. */
export function channelStreamShape(node: KernelNodeView, a: ChannelStreamAttrs): number[] {
  return [...(node.inputShapes[0] ?? [...a.numInputVectors, a.NumChannels])];
}

/**
 * The two inputs of an element-wise two-stream kernel (AddStreams, StreamingEltwise) as numbers: both must
 * have `channels` on the last axis and the same shape. Errors name the kernel and the shapes.
 */
export function twoStreams(inputs: readonly (TensorValue | undefined)[], channels: number, kernel: string): { dims: number[]; p: Float64Array; q: Float64Array } {
  const x0 = requireLastAxis(inputs[0], channels, `${kernel} input 0`);
  const x1 = requireLastAxis(inputs[1], channels, `${kernel} input 1`);
  const p = numbers(x0, 'input 0');
  const q = numbers(x1, 'input 1');
  if (p.length !== q.length) {
    throw new BrainsmithError('E_EXEC_SHAPE', `${kernel} inputs differ in shape: [${x0.dims.join(',')}] vs [${x1.dims.join(',')}]`, { kind: 'work' });
  }
  return { dims: [...x0.dims], p, q };
}
