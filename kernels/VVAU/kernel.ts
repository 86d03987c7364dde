import { defineKernel, BrainsmithError, type TensorValue } from '../../src/index.js';
import { applyThresholds, datatype, floatTensor, numbers } from '../../src/kernel.js';
import { kernelSize, vvau, vvauAttributes, vvauCycles, type VvauAttrs } from './_model.js';
import { vvauStreamBehaviour } from './_stream-model.js';

/**
 * Depthwise product on Im2Col-ordered input (N, H, W, kh·kw·C), window position outer and channel inner:
 * acc[c] = Σ_k x[k·C + c]·w[c, 0, kh, kw] (weights (C, 1, kh, kw)), then optional thresholds.
 */
function executeVvau(inputs: readonly (TensorValue | undefined)[], a: VvauAttrs): TensorValue[] {
  const x = inputs[0];
  const xs = numbers(x, 'VVAU input 0');
  const ws = numbers(inputs[1], 'VVAU weights (input 1)');
  const C = a.Channels;
  const K = kernelSize(a);
  if (ws.length !== C * K) {
    throw new BrainsmithError('E_EXEC_SHAPE', `VVAU weights have shape [${inputs[1]!.dims.join(',')}], expected [${C},1,${a.Kernel.join(',')}]`, { kind: 'work' });
  }
  if (x!.dims[x!.dims.length - 1] !== C * K) {
    throw new BrainsmithError('E_EXEC_SHAPE', `VVAU input has shape [${x!.dims.join(',')}], expected last axis kh·kw·Channels=${C * K}`, { kind: 'work' });
  }
  const pixels = xs.length / (C * K);
  const acc = new Float64Array(pixels * C);
  for (let p = 0; p < pixels; p++)
    for (let c = 0; c < C; c++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += xs[(p * K + k) * C + c]! * ws[c * K + k]!;
      acc[p * C + c] = s;
    }
  const dims = [...x!.dims.slice(0, -1), C];
  if (a.noActivation === 1) return [floatTensor(dims, acc)];
  const thr = inputs[2];
  if (!thr) throw new BrainsmithError('E_EXEC_INPUT', 'VVAU with an activation needs thresholds as input 2', { kind: 'work' });
  return [floatTensor(dims, applyThresholds(acc, C, thr, a.outputDataType, a.ActVal))];
}

export default defineKernel({
  name: 'VVAU',
  domain: 'finn.custom_op.fpgadataflow',
  description: 'Vector-vector-activation unit: depthwise convolution on SWG output, with optional thresholds',
  inferFrom: ['MatMul', 'MultiThreshold'],
  attributeSchema: vvauAttributes,
  /**
   * FINN's SetFolding: PE over the divisors of Channels, then (PE exhausted) SIMD over those of kh·kw; the
   * depthwise SWG feeding it takes SIMD = this PE.
   */
  parallelism(node) {
    const a = vvau(node);
    return {
      PE: { dimension: 'Channels', size: a.Channels, foldOrder: 0, drivesProducer: 'SIMD' },
      SIMD: { dimension: 'kernel size kh·kw', size: kernelSize(a), foldOrder: 1 },
    };
  },
  /** SF input words per output word (hlslib, reference §2.2): _stream-model.ts. */
  streamBehaviour(node) {
    return vvauStreamBehaviour(node);
  },
  /** in = SIMD·PE·A (SIMD window positions of PE channels per cycle), out = PE·B. */
  streamWidths(node) {
    const a = vvau(node);
    return { inputs: [a.SIMD * a.PE * datatype(a.inputDataType).bitwidth()], outputs: [a.PE * datatype(a.outputDataType).bitwidth()] };
  },
  cycles(node) {
    return vvauCycles(vvau(node));
  },
  inferShapes(node) {
    const a = vvau(node);
    return [[node.inputShapes[0]?.[0] ?? 1, a.Dim[0]!, a.Dim[1]!, a.Channels]];
  },
  inferDatatypes(node) {
    return [vvau(node).outputDataType];
  },
  /** op_mac_<min>bx<max>b = C·kh·kw·H·W; param_weight_<W>b = C·kh·kw; thresholds with an activation. */
  opAndParamCounts(node) {
    const a = vvau(node);
    const wb = datatype(a.weightDataType).bitwidth();
    const ib = datatype(a.inputDataType).bitwidth();
    const params = a.Channels * kernelSize(a);
    const out: Record<string, number> = {
      [`op_mac_${Math.min(wb, ib)}bx${Math.max(wb, ib)}b`]: params * a.Dim[0]! * a.Dim[1]!,
      [`param_weight_${wb}b`]: params,
    };
    if (a.noActivation === 0) out[`param_threshold_${datatype(a.accDataType).bitwidth()}b`] = a.Channels;
    return out;
  },
  execute(inputs, attributes) {
    return executeVvau(inputs, vvauAttributes.parse(attributes));
  },
});
