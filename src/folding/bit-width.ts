/**
 * Bit-width minimization (FINN's MinimizeWeightBitWidth / MinimizeAccumulatorWidth): the smallest weight
 * type that holds the actual weights, and the accumulator type that holds the worst-case dot product of
 * the actual weights with any input of the input type (widened to cover the thresholds, if any).
 */
import { BrainsmithError } from '../errors.js';
import { DataTypes, type DataType } from '../datatype/index.js';
import { smallestDataType } from '../datatype/smallest.js';
import type { TensorValue } from '../tensor/tensor-value.js';
import { tensorToNumbers } from '../tensor/tensor-value.js';

export interface Range {
  min: number;
  max: number;
}

export function valueRange(values: ArrayLike<number>): Range {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

/**
 * Smallest integer type for weights in [min, max]: signed weights get the signed type with the same
 * range on both sides of zero as FINN picks (INTn holding both min and −max−1); BIPOLAR/TERNARY are not
 * hardware weight types here, so they become INT2.
 */
export function weightTypeFor(r: Range): DataType {
  if (!Number.isInteger(r.min) || !Number.isInteger(r.max)) throw new BrainsmithError('E_DATATYPE', `weights are not integers (range [${r.min}, ${r.max}])`, { kind: 'input' });
  if (r.min >= 0) return smallestDataType(0, r.max);
  return smallestDataType(Math.min(r.min, -r.max - 1), r.max);
}

/**
 * FINN's MinimizeWeightBitWidth: w_min < 0 → the smallest type holding w_min if |w_min| > w_max, else
 * holding −w_max − 1; otherwise the smallest type holding w_max (QONNX's get_smallest_possible of one
 * value). ±1 weights thus get INT2 (from −2), all-(−1) weights BIPOLAR, 0/1 weights BINARY.
 */
export function finnWeightTypeFor(r: Range): DataType {
  if (!Number.isInteger(r.min) || !Number.isInteger(r.max)) throw new BrainsmithError('E_DATATYPE', `weights are not integers (range [${r.min}, ${r.max}])`, { kind: 'input' });
  const v = r.min < 0 ? (Math.abs(r.min) > r.max ? r.min : -r.max - 1) : r.max;
  return smallestDataType(v, v);
}

/**
 * Range of the dot products of each output's weight vector with any input of `idt`. `weights` is grouped
 * as `groups` output vectors: [MW, MH] (output j reads column j) when `columns` is true, else
 * [C, …] (output c reads row c, e.g. VVAU's [C, 1, kh, kw]). `binaryAsBipolar`: the weights are stored
 * as 0/1 for −1/+1 (XNOR layers) and count as such.
 */
export function accumulatorRange(weights: TensorValue, idt: DataType, columns: boolean, binaryAsBipolar = false): Range {
  const w = weights.data as ArrayLike<number>;
  if (typeof w[0] !== 'number' && w.length > 0) return accumulatorRangeOf(tensorToNumbers(weights), weights.dims, idt, columns, binaryAsBipolar);
  return accumulatorRangeOf(w, weights.dims, idt, columns, binaryAsBipolar);
}

function accumulatorRangeOf(w: ArrayLike<number>, dims: readonly number[], idt: DataType, columns: boolean, binaryAsBipolar: boolean): Range {
  const lo = idt.min();
  const hi = idt.max();
  const outs = columns ? dims[dims.length - 1]! : dims[0]!;
  const fanIn = w.length / outs;
  // Per output, the sums of its positive and of its negative weights: a weight v ≥ 0 adds v·lo at least and
  // v·hi at most, a negative one the other way round. One pass in storage order: this runs once per layer
  // in a short compile, before V8 optimizes it, where each operation per weight counts.
  const pos = new Float64Array(outs);
  const neg = new Float64Array(outs);
  for (let k = 0, i = 0; i < fanIn; i++) {
    for (let o = 0; o < outs; o++, k++) {
      const at = columns ? k : o * fanIn + i;
      const v = binaryAsBipolar ? 2 * w[at]! - 1 : w[at]!;
      if (v > 0) pos[o] += v;
      else neg[o] += v;
    }
  }
  let min = Infinity;
  let max = -Infinity;
  for (let o = 0; o < outs; o++) {
    const sMin = pos[o]! * lo + neg[o]! * hi;
    const sMax = pos[o]! * hi + neg[o]! * lo;
    if (sMin < min) min = sMin;
    if (sMax > max) max = sMax;
  }
  return { min, max };
}

/** UINTn when the range is non-negative (2^n − 1 ≥ max), else INTn with 2^(n−1) ≥ max(−min, max + 1). */
export function accumulatorTypeFor(r: Range): DataType {
  if (r.min >= 0) {
    const bits = Math.max(1, Math.ceil(Math.log2(r.max + 1)));
    return bits === 1 ? DataTypes.BINARY : DataTypes.UINT(bits);
  }
  const need = Math.max(-r.min, r.max + 1);
  return DataTypes.INT(Math.ceil(Math.log2(need)) + 1);
}

/** Rounds a type's bitwidth up to a multiple of 8 (FINN does this for a no-activation MVAU at the graph output). */
export function roundToBytes(dt: DataType): DataType {
  const bits = Math.ceil(dt.bitwidth() / 8) * 8;
  return dt.signed() ? DataTypes.INT(bits) : DataTypes.UINT(bits);
}

