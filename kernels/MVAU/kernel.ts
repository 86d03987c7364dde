import { defineKernel, BrainsmithError, type TensorValue } from '../../src/index.js';
import { applyThresholds, datatype, floatTensor, numbers } from '../../src/kernel.js';
import { checkFolding, inputVectors, mvau, mvauAttributes, mvauCycles, widths, type MvauAttrs } from './_model.js';
import { mvauStreamBehaviour } from './_stream-model.js';

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
  const inDims = inputVectors(x!.dims, a);
  if (!inDims) {
    throw new BrainsmithError('E_EXEC_SHAPE', `MVAU input has shape [${x!.dims.join(',')}], expected last axis MW=${MW} or ${MW}·${a.numInputVectors.reduce((p, v) => p * v, 1)} elements in all`, { kind: 'work' });
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
  const dims = [...inDims, MH];
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
  /**
   * FINN's SetFolding order: SIMD over the divisors of MW first, each SIMD lane costing W weight bits against
   * mvau_wwidth_max, then PE over the divisors of MH. Keys stay PE, SIMD: the order of FINN's folding configs.
   */
  parallelism(node) {
    const a = mvau(node);
    return {
      PE: { dimension: 'MH', size: a.MH, foldOrder: 1 },
      SIMD: { dimension: 'MW', size: a.MW, foldOrder: 0, widthBits: datatype(a.weightDataType).bitwidth() },
    };
  },
  /** in = SIMD·A, weights (decoupled/external) = PE·SIMD·W, out = PE·B (FINN's instream/outstream widths). */
  streamWidths(node) {
    const a = mvau(node);
    const { W, A, B } = widths(a);
    const inputs = [a.SIMD * A];
    if (a.mem_mode !== 'internal_embedded') inputs.push(a.PE * a.SIMD * W);
    return { inputs, outputs: [a.PE * B] };
  },
  /** When each word moves in our RTL (two input buffers, one tile per cycle): _stream-model.ts. */
  streamBehaviour(node) {
    return mvauStreamBehaviour(node);
  },
  cycles(node) {
    const a = mvau(node);
    checkFolding(node, a);
    return mvauCycles(a);
  },
  /** [...vectors, MH]; an input of the right total size but another last axis (CNV→FC) reads as [...numInputVectors, MW]. */
  inferShapes(node) {
    const a = mvau(node);
    const ins = node.inputShapes[0];
    if (!ins) return [[...a.numInputVectors, a.MH]];
    const vecs = inputVectors(ins, a);
    if (!vecs) {
      throw new BrainsmithError('E_KERNEL_SHAPE', `node '${node.name}': MVAU input has shape [${ins.join(',')}], expected last axis MW=${a.MW} or ${a.MW}·${a.numInputVectors.reduce((p, v) => p * v, 1)} elements in all`, { kind: 'input' });
    }
    return [[...vecs, a.MH]];
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
