import { defineKernel, BrainsmithError, type TensorValue } from '../../src/index.js';
import { applyThresholds, datatype, floatTensor, numbers } from '../../src/estimate/index.js';
import { checkFolding, mvau, mvauAttributes, mvauCycles, type MvauAttrs } from './_model.js';

/** Bipolar ±1 (or binary 0/1) values as the bits an XNOR-popcount MVAU sees. */
function bit(v: number): number {
  return v > 0 ? 1 : 0;
}

/** out[v, j] = Σ_i x[v, i]·W[i, j] (or the count of i with x = W in XNOR mode), then optional thresholds. */
function executeMvau(inputs: readonly (TensorValue | undefined)[], a: MvauAttrs): TensorValue[] {
  const x = inputs[0];
  const w = inputs[1];
  const xs = numbers(x, 'MVAU input 0');
  const ws = numbers(w, 'MVAU weights (input 1)');
  const { MW, MH } = a;
  if (w!.dims.length !== 2 || w!.dims[0] !== MW || w!.dims[1] !== MH) {
    throw new BrainsmithError('E_EXEC_SHAPE', `MVAU weights have shape [${w!.dims.join(',')}], expected [${MW},${MH}]`, { kind: 'work' });
  }
  if (xs.length % MW !== 0 || x!.dims[x!.dims.length - 1] !== MW) {
    throw new BrainsmithError('E_EXEC_SHAPE', `MVAU input has shape [${x!.dims.join(',')}], expected last axis MW=${MW}`, { kind: 'work' });
  }
  const vectors = xs.length / MW;
  const acc = new Float64Array(vectors * MH);
  const xnor = a.binaryXnorMode === 1;
  for (let v = 0; v < vectors; v++) {
    for (let j = 0; j < MH; j++) {
      let s = 0;
      for (let i = 0; i < MW; i++) {
        const xv = xs[v * MW + i]!;
        const wv = ws[i * MH + j]!;
        s += xnor ? (bit(xv) === bit(wv) ? 1 : 0) : xv * wv;
      }
      acc[v * MH + j] = s;
    }
  }
  const dims = [...x!.dims.slice(0, -1), MH];
  if (a.noActivation === 1) return [floatTensor(dims, acc)];
  const thr = inputs[2];
  if (!thr) throw new BrainsmithError('E_EXEC_INPUT', 'MVAU with an activation needs thresholds as input 2', { kind: 'work' });
  return [floatTensor(dims, applyThresholds(acc, MH, thr, a.outputDataType, a.ActVal))];
}

export default defineKernel({
  name: 'MVAU',
  domain: 'finn.custom_op.fpgadataflow',
  description: 'Matrix-vector-activation unit: MatMul with int weights, with optional embedded thresholds',
  inferFrom: ['MatMul', 'MultiThreshold', 'XnorPopcountMatMul'],
  attributeSchema: mvauAttributes,
  parallelism(node) {
    const a = mvau(node);
    return { PE: { dimension: 'MH', size: a.MH }, SIMD: { dimension: 'MW', size: a.MW } };
  },
  cycles(node) {
    const a = mvau(node);
    checkFolding(node, a);
    return mvauCycles(a);
  },
  inferShapes(node) {
    const a = mvau(node);
    const ins = node.inputShapes[0] ?? [...a.numInputVectors, a.MW];
    return [[...ins.slice(0, -1), a.MH]];
  },
  inferDatatypes(node) {
    return [mvau(node).outputDataType];
  },
  /** FINN's keys: op_mac_<min>bx<max>b, param_weight_<W>b and, with an activation, param_threshold_<acc>b. */
  opAndParamCounts(node) {
    const a = mvau(node);
    const wb = datatype(a.weightDataType).bitwidth();
    const ib = datatype(a.inputDataType).bitwidth();
    const reps = a.numInputVectors.reduce((p, v) => p * v, 1);
    const out: Record<string, number> = {
      [`op_mac_${Math.min(wb, ib)}bx${Math.max(wb, ib)}b`]: a.MW * a.MH * reps,
      [`param_weight_${wb}b`]: a.MW * a.MH,
    };
    if (a.noActivation === 0) out[`param_threshold_${datatype(a.accDataType).bitwidth()}b`] = a.MH;
    return out;
  },
  execute(inputs, attributes) {
    return executeMvau(inputs, mvauAttributes.parse(attributes));
  },
});
