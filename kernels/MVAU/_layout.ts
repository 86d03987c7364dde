/**
 * MVAU parameter layouts in hardware (reference §2.1). Weights as (PE, WMEM, SIMD): memory row
 * r = nf·SF + sf holds weight (p, s) = W[sf·SIMD + s][nf·PE + p] (ONNX (MW, MH) orientation) at bit offset
 * (p·SIMD + s)·W, LSB first, encoded per weightDataType (BIPOLAR −1 → 0). Thresholds use the layout of
 * src/hdl/thresholds.ts with TMEM = MH/PE.
 */
import { BrainsmithError, type TensorValue } from '../../src/index.js';
import { numbers } from '../../src/kernel.js';
import { encodeElement } from '../../src/kernel.js';
import { widths, type MvauAttrs } from './_model.js';

export function weightWords(w: TensorValue, a: MvauAttrs): { words: bigint[]; bits: number } {
  const { MW, MH, PE, SIMD } = a;
  if (w.dims.length !== 2 || w.dims[0] !== MW || w.dims[1] !== MH) {
    throw new BrainsmithError('E_HDL_PARAM', `MVAU weights have shape [${w.dims.join(',')}], expected [${MW},${MH}]`, { kind: 'input' });
  }
  const ws = numbers(w, 'MVAU weights');
  const { W } = widths(a);
  const wb = BigInt(W);
  const SF = MW / SIMD;
  const NF = MH / PE;
  const words: bigint[] = [];
  for (let nf = 0; nf < NF; nf++) {
    for (let sf = 0; sf < SF; sf++) {
      let word = 0n;
      for (let p = PE - 1; p >= 0; p--) {
        for (let s = SIMD - 1; s >= 0; s--) {
          const v = ws[(sf * SIMD + s) * MH + nf * PE + p]!;
          word = (word << wb) | encodeElement(a.binaryXnorMode === 1 ? (v > 0 ? 1 : 0) : v, a.binaryXnorMode === 1 ? 'BINARY' : a.weightDataType);
        }
      }
      words.push(word);
    }
  }
  return { words, bits: PE * SIMD * W };
}

/**
 * The accumulator range over every output channel: Σ_i of each product's extremes (x over its datatype's
 * range, or {0, 1} per XNOR match). Every partial sum lies in it too, since each term's range holds 0.
 */
export function accumulatorRange(w: TensorValue, a: MvauAttrs, xmin: number, xmax: number): { lo: number; hi: number } {
  const ws = numbers(w, 'MVAU weights');
  let lo = 0;
  let hi = 0;
  for (let j = 0; j < a.MH; j++) {
    let l = 0;
    let h = 0;
    for (let i = 0; i < a.MW; i++) {
      if (a.binaryXnorMode === 1) {
        h += 1;
        continue;
      }
      const v = ws[i * a.MH + j]!;
      l += Math.min(v * xmin, v * xmax);
      h += Math.max(v * xmin, v * xmax);
    }
    lo = Math.min(lo, l);
    hi = Math.max(hi, h);
  }
  return { lo, hi };
}
