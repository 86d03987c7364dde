import { getAttribute, getFloat, getInt, getInts, getString } from '../../ir/attributes.js';
import type { Node } from '../../ir/node.js';
import { ElemType } from '../../tensor/element-type.js';
import type { TensorValue } from '../../tensor/tensor-value.js';
import type { OpContext, OpImpl } from '../types.js';
import { broadcastF64, broadcastShape, execError, fromF64, numbersOf, product, scalarOf } from '../values.js';
import { roundHalfEven } from './elementwise.js';
import { NN_OPS } from './nn.js';
import { transposeTensor } from './shape-ops.js';

/**
 * QONNX general ops (finn-qonnx reference §5). Arithmetic follows numpy on float32 tensors: every step is
 * rounded to float32 (Math.fround), so values on rounding boundaries land exactly where QONNX puts them.
 */

const f32 = Math.fround;

function req(inputs: readonly (TensorValue | undefined)[], i: number, ctx: OpContext): TensorValue {
  const t = inputs[i];
  if (t === undefined) throw execError(ctx.node, `input ${i} is missing`);
  return t;
}

export type RoundingMode = 'ROUND' | 'CEIL' | 'FLOOR' | 'UP' | 'DOWN' | 'HALF_UP' | 'HALF_DOWN';

const ROUNDERS: Record<RoundingMode, (x: number) => number> = {
  ROUND: roundHalfEven,
  CEIL: Math.ceil,
  FLOOR: Math.floor,
  UP: (x) => Math.sign(x) * Math.ceil(Math.abs(x)),
  DOWN: Math.trunc,
  HALF_UP: (x) => Math.sign(x) * Math.floor(Math.abs(x) + 0.5),
  HALF_DOWN: (x) => Math.sign(x) * Math.ceil(Math.abs(x) - 0.5),
};

/** The rounding function for a QONNX rounding_mode string (case-insensitive). */
export function rounder(node: Node, mode: string): (x: number) => number {
  const f = ROUNDERS[mode.toUpperCase() as RoundingMode];
  if (f === undefined) throw execError(node, `unknown rounding_mode '${mode}' (expected one of ${Object.keys(ROUNDERS).join(', ')})`);
  // Normalize -0 to 0 so that outputs compare equal to numpy's.
  return (x) => f(x) + 0;
}

/** Integer range of a QONNX integer quantizer. */
export function intRange(bits: number, signed: boolean, narrow: boolean): [number, number] {
  if (signed) return [narrow ? -(2 ** (bits - 1)) + 1 : -(2 ** (bits - 1)), 2 ** (bits - 1) - 1];
  return [0, narrow ? 2 ** bits - 2 : 2 ** bits - 1];
}

/** Quant / IntQuant: y = X/scale + zeropt, clamped BEFORE rounding; out = (y − zeropt)·scale. */
const quant: OpImpl = (inputs, ctx) => {
  const X = req(inputs, 0, ctx);
  const S = req(inputs, 1, ctx);
  const Z = req(inputs, 2, ctx);
  const bits = scalarOf(req(inputs, 3, ctx));
  if (!Number.isInteger(bits) || bits < 1) throw execError(ctx.node, `bitwidth must be a positive integer, got ${bits}`);
  const signed = getInt(ctx.node, 'signed', 1) === 1;
  const narrow = getInt(ctx.node, 'narrow', 1) === 1;
  const round = rounder(ctx.node, getString(ctx.node, 'rounding_mode', 'ROUND'));
  const dims = broadcastShape(ctx.node, [X.dims, S.dims, Z.dims]);
  const x = broadcastF64(X, dims);
  const s = broadcastF64(S, dims);
  const z = broadcastF64(Z, dims);
  const [lo, hi] = intRange(bits, signed, narrow);
  const out = new Float64Array(product(dims));
  const bipolar = bits === 1 && signed;
  for (let i = 0; i < out.length; i++) {
    let y = f32(f32(x[i]! / s[i]!) + z[i]!);
    if (bipolar) y = y >= 0 ? 1 : -1;
    else y = round(y < lo ? lo : y > hi ? hi : y);
    out[i] = f32(f32(y - z[i]!) * s[i]!);
  }
  return [fromF64(outFloatType(X), dims, out)];
};

/**
 * FloatQuant (X, scale, exp_bw, mant_bw, exp_bias, max_val): X/scale rounded to the nearest value of a
 * minifloat with that many exponent and mantissa bits, then times scale. A value's step is 2^(e − mant_bw)
 * for its exponent e = floor(log2|x|), never below the smallest normal exponent 1 − exp_bias (subnormals
 * share that step). Out of range: saturation clamps to ±max_val; otherwise ±inf where the format has
 * infinities, else NaN where it has NaN. Formats without subnormals are refused rather than guessed at.
 */
const floatQuant: OpImpl = (inputs, ctx) => {
  const X = req(inputs, 0, ctx);
  const S = req(inputs, 1, ctx);
  const expBits = scalarOf(req(inputs, 2, ctx));
  const mantBits = scalarOf(req(inputs, 3, ctx));
  const bias = scalarOf(req(inputs, 4, ctx));
  const maxVal = scalarOf(req(inputs, 5, ctx));
  if (!Number.isInteger(expBits) || expBits < 1 || !Number.isInteger(mantBits) || mantBits < 0) {
    throw execError(ctx.node, `exponent and mantissa widths must be integers (≥ 1, ≥ 0), got ${expBits} and ${mantBits}`);
  }
  if (!(maxVal > 0)) throw execError(ctx.node, `max_val must be positive, got ${maxVal}`);
  if (getInt(ctx.node, 'has_subnormal', 0) !== 1) {
    throw execError(ctx.node, 'has_subnormal=0 (flush-to-zero minifloats) is not supported by the reference executor');
  }
  const saturate = getInt(ctx.node, 'saturation', 1) === 1;
  const hasInf = getInt(ctx.node, 'has_inf', 0) === 1;
  const hasNan = getInt(ctx.node, 'has_nan', 0) === 1;
  const round = rounder(ctx.node, getString(ctx.node, 'rounding_mode', 'ROUND'));
  const minExp = 1 - bias;
  const dims = broadcastShape(ctx.node, [X.dims, S.dims]);
  const x = broadcastF64(X, dims);
  const s = broadcastF64(S, dims);
  const overflow = hasInf ? Infinity : hasNan ? NaN : maxVal;
  const out = new Float64Array(product(dims));
  for (let i = 0; i < out.length; i++) {
    const y = f32(x[i]! / s[i]!);
    let q: number;
    if (Number.isNaN(y)) q = y;
    else if (y === 0) q = 0;
    else {
      const a = Math.abs(y);
      const e = Number.isFinite(a) ? Math.max(Math.floor(Math.log2(a)), minExp) : minExp;
      const step = 2 ** (e - mantBits);
      const m = Number.isFinite(a) ? round(a / step) * step : Infinity;
      q = Math.sign(y) * (m <= maxVal ? m : saturate ? maxVal : overflow);
    }
    out[i] = f32(f32(q) * s[i]!);
  }
  return [fromF64(outFloatType(X), dims, out)];
};

function outFloatType(x: TensorValue): number {
  return x.elemType === ElemType.DOUBLE ? ElemType.DOUBLE : ElemType.FLOAT;
}

/** BipolarQuant: (X ≥ 0 ? 1 : −1)·scale. */
const bipolarQuant: OpImpl = (inputs, ctx) => {
  const X = req(inputs, 0, ctx);
  const S = req(inputs, 1, ctx);
  const dims = broadcastShape(ctx.node, [X.dims, S.dims]);
  const x = broadcastF64(X, dims);
  const s = broadcastF64(S, dims);
  const out = new Float64Array(product(dims));
  for (let i = 0; i < out.length; i++) out[i] = f32((x[i]! >= 0 ? 1 : -1) * s[i]!);
  return [fromF64(outFloatType(X), dims, out)];
};

/**
 * Trunc v1 (X, scale, zeropt, in_bw, out_bw) and v2 (X, scale, zeropt, in_bw, out_scale, out_bw), told
 * apart by the number of inputs.
 */
const trunc: OpImpl = (inputs, ctx) => {
  const X = req(inputs, 0, ctx);
  const S = req(inputs, 1, ctx);
  const Z = req(inputs, 2, ctx);
  const inBits = scalarOf(req(inputs, 3, ctx));
  const v2 = ctx.node.inputs.length >= 6;
  const outBits = scalarOf(req(inputs, v2 ? 5 : 4, ctx));
  const round = rounder(ctx.node, getString(ctx.node, 'rounding_mode', 'FLOOR'));
  const shapes = [X.dims, S.dims, Z.dims];
  const O = v2 ? req(inputs, 4, ctx) : undefined;
  if (O) shapes.push(O.dims);
  const dims = broadcastShape(ctx.node, shapes);
  const x = broadcastF64(X, dims);
  const s = broadcastF64(S, dims);
  const z = broadcastF64(Z, dims);
  const os = O ? broadcastF64(O, dims) : undefined;
  const out = new Float64Array(product(dims));
  if (!v2) {
    const div = 2 ** (inBits - outBits);
    for (let i = 0; i < out.length; i++) {
      let y = roundHalfEven(f32(f32(x[i]! / s[i]!) + z[i]!));
      y = round(f32(y / div));
      out[i] = f32(f32(y - z[i]!) * s[i]!);
    }
  } else {
    const signed = getInt(ctx.node, 'signed', 1) === 1;
    const narrow = getInt(ctx.node, 'narrow', 0) === 1;
    const [lo, hi] = intRange(outBits, signed, narrow);
    for (let i = 0; i < out.length; i++) {
      const truncScale = 2 ** roundHalfEven(Math.log2(f32(os![i]! / s[i]!)));
      let y = roundHalfEven(f32(f32(x[i]! / s[i]!) + z[i]!));
      y = f32(y / truncScale);
      y = round(y < lo ? lo : y > hi ? hi : y);
      out[i] = f32(f32(y - f32(z[i]! / truncScale)) * os![i]!);
    }
  }
  return [fromF64(outFloatType(X), dims, out)];
};

/** Channel axis of a MultiThreshold input: last for channels-last layouts (NHWC, NWC), else 1. */
function thresholdChannelAxis(node: Node, rank: number): number {
  const layout = getString(node, 'data_layout', 'NCHW').toUpperCase();
  if (rank <= 2) return rank - 1;
  return layout.endsWith('C') ? rank - 1 : 1;
}

/** MultiThreshold: out = out_scale·#{t : x ≥ t} + out_bias, thresholds (C or 1, steps) per channel. */
const multiThreshold: OpImpl = (inputs, ctx) => {
  const X = req(inputs, 0, ctx);
  const T = req(inputs, 1, ctx);
  const outScale = getFloat(ctx.node, 'out_scale', 1);
  const outBias = getFloat(ctx.node, 'out_bias', 0);
  if (T.dims.length !== 2) throw execError(ctx.node, `thresholds must have shape (channels, steps), got [${T.dims.join(', ')}]`);
  const [tc, steps] = T.dims as [number, number];
  const rank = X.dims.length;
  const axis = thresholdChannelAxis(ctx.node, rank);
  const c = rank === 0 ? 1 : X.dims[axis]!;
  if (tc !== 1 && tc !== c) throw execError(ctx.node, `thresholds have ${tc} channels, input has ${c}`);
  const inner = product(X.dims, axis + 1);
  const x = numbersOf(X);
  const t = numbersOf(T);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const ch = tc === 1 ? 0 : Math.floor(i / inner) % c;
    const v = x[i]!;
    let count = 0;
    const base = ch * steps;
    for (let k = 0; k < steps; k++) if (v >= t[base + k]!) count++;
    out[i] = f32(f32(outScale * count) + outBias);
  }
  return [fromF64(ElemType.FLOAT, X.dims, out)];
};

/** Im2Col on NHWC input: [N, OH, OW, KH·KW·C], each patch ordered (kh, kw, c). */
const im2col: OpImpl = (inputs, ctx) => {
  const X = req(inputs, 0, ctx);
  if (X.dims.length !== 4) throw execError(ctx.node, `Im2Col needs an NHWC input of rank 4, got [${X.dims.join(', ')}]`);
  const [n, h, w, c] = X.dims as [number, number, number, number];
  const [kh, kw] = getInts(ctx.node, 'kernel_size') as [number, number];
  const [sh, sw] = getInts(ctx.node, 'stride', [1, 1]) as [number, number];
  const [dh, dw] = getInts(ctx.node, 'dilations', [1, 1]) as [number, number];
  const pads = getInts(ctx.node, 'pad_amount', [0, 0, 0, 0]);
  const padValue = padValueOf(ctx.node);
  const [pt, pl, pb, pr] = pads as [number, number, number, number];
  const oh = Math.floor((h + pt + pb - ((kh - 1) * dh + 1)) / sh) + 1;
  const ow = Math.floor((w + pl + pr - ((kw - 1) * dw + 1)) / sw) + 1;
  const x = numbersOf(X);
  const patch = kh * kw * c;
  const out = new Float64Array(n * oh * ow * patch);
  let o = 0;
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < oh; y++) {
      for (let xx = 0; xx < ow; xx++) {
        for (let p = 0; p < kh; p++) {
          const yi = y * sh - pt + p * dh;
          for (let q = 0; q < kw; q++) {
            const xi = xx * sw - pl + q * dw;
            const inside = yi >= 0 && yi < h && xi >= 0 && xi < w;
            const base = ((b * h + yi) * w + xi) * c;
            for (let ch = 0; ch < c; ch++) out[o++] = inside ? x[base + ch]! : padValue;
          }
        }
      }
    }
  }
  return [fromF64(X.elemType, [n, oh, ow, patch], out)];
};

/** pad_value is an INT attribute in QONNX; accept a FLOAT one too. */
function padValueOf(node: Node): number {
  const a = getAttribute(node, 'pad_value');
  if (a === undefined) return 0;
  return a.f !== undefined && a.f !== null && a.f !== 0 ? a.f : Number(a.i ?? 0);
}

/** MaxPoolNHWC: MaxPool on a channels-last tensor (same attributes as MaxPool). */
const maxPoolNHWC: OpImpl = async (inputs, ctx) => {
  const X = req(inputs, 0, ctx);
  const r = X.dims.length;
  const toNC = [0, r - 1, ...Array.from({ length: r - 2 }, (_, i) => i + 1)];
  const toNHWC = [0, ...Array.from({ length: r - 2 }, (_, i) => i + 2), 1];
  const nchw = transposeTensor(X, toNC);
  const [y] = await NN_OPS.MaxPool!([nchw], { ...ctx, node: ctx.node });
  return [transposeTensor(y!, toNHWC)];
};

/** XnorPopcountMatMul: binary {0,1} operands; out[i,j] = #{k : a[i,k] == b[k,j]}. */
const xnorPopcount: OpImpl = (inputs, ctx) => {
  const A = req(inputs, 0, ctx);
  const B = req(inputs, 1, ctx);
  if (B.dims.length !== 2) throw execError(ctx.node, `weights must be 2-D, got [${B.dims.join(', ')}]`);
  const k = A.dims[A.dims.length - 1]!;
  const [k2, n] = B.dims as [number, number];
  if (k !== k2) throw execError(ctx.node, `shapes [${A.dims.join(', ')}] and [${B.dims.join(', ')}] do not match`);
  const a = numbersOf(A);
  const b = numbersOf(B);
  const m = a.length / k;
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let cnt = 0;
      for (let p = 0; p < k; p++) if ((a[i * k + p]! !== 0) === (b[p * n + j]! !== 0)) cnt++;
      out[i * n + j] = cnt;
    }
  }
  return [fromF64(ElemType.FLOAT, [...A.dims.slice(0, -1), n], out)];
};

/**
 * QuantAvgPool2d: sum pooling (kernel = stride windows, no padding) of integer inputs, then a right shift
 * that brings the sum's bit width (ibits + growth) down to obits: out = floor(sum / 2^shift).
 */
const quantAvgPool2d: OpImpl = (inputs, ctx) => {
  const X = req(inputs, 0, ctx);
  const k = getInt(ctx.node, 'kernel');
  const s = getInt(ctx.node, 'stride');
  const ibits = getInt(ctx.node, 'ibits');
  const obits = getInt(ctx.node, 'obits');
  const signed = getInt(ctx.node, 'signed', 0) === 1;
  const nhwc = getString(ctx.node, 'data_layout', 'NCHW').toUpperCase() === 'NHWC';
  const x4 = nhwc ? transposeTensor(X, [0, 3, 1, 2]) : X;
  const [n, c, h, w] = x4.dims as [number, number, number, number];
  const oh = Math.floor((h - k) / s) + 1;
  const ow = Math.floor((w - k) / s) + 1;
  const maxIn = signed ? 2 ** (ibits - 1) - 1 : 2 ** ibits - 1;
  const sumBits = Math.floor(Math.log2(maxIn * k * k)) + 1;
  const shift = Math.max(0, sumBits - obits);
  const x = numbersOf(x4);
  const out = new Float64Array(n * c * oh * ow);
  for (let nc = 0; nc < n * c; nc++) {
    for (let y = 0; y < oh; y++) {
      for (let xx = 0; xx < ow; xx++) {
        let acc = 0;
        for (let p = 0; p < k; p++) for (let q = 0; q < k; q++) acc += x[(nc * h + y * s + p) * w + xx * s + q]!;
        out[(nc * oh + y) * ow + xx] = Math.floor(acc / 2 ** shift);
      }
    }
  }
  const res = fromF64(ElemType.FLOAT, [n, c, oh, ow], out);
  return [nhwc ? transposeTensor(res, [0, 2, 3, 1]) : res];
};

export const QONNX_OPS: Record<string, OpImpl> = {
  Quant: quant,
  IntQuant: quant,
  BipolarQuant: bipolarQuant,
  FloatQuant: floatQuant,
  Trunc: trunc,
  MultiThreshold: multiThreshold,
  Im2Col: im2col,
  MaxPoolNHWC: maxPoolNHWC,
  XnorPopcountMatMul: xnorPopcount,
  QuantAvgPool2d: quantAvgPool2d,
};
