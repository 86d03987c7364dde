import { getFloat, getInt, getString } from '../../ir/attributes.js';
import { ElemType } from '../../tensor/element-type.js';
import type { TensorValue } from '../../tensor/tensor-value.js';
import type { OpContext, OpImpl } from '../types.js';
import {
  broadcastF64, broadcastShape, execError, fromF64, isFloatType, numbersOf, product, scalarOf, unsupported,
} from '../values.js';

/** Elementwise ops with numpy broadcasting; computed in float64, stored in the output type. */

type Unary = (x: number) => number;
type Binary = (a: number, b: number) => number;

function req(inputs: readonly (TensorValue | undefined)[], i: number, ctx: OpContext): TensorValue {
  const t = inputs[i];
  if (t === undefined) throw execError(ctx.node, `input ${i} is missing`);
  return t;
}

function checkNumeric(t: TensorValue, ctx: OpContext): void {
  if (Array.isArray(t.data)) throw unsupported(ctx.node, 'string tensors are not supported');
  if (t.elemType === ElemType.COMPLEX64 || t.elemType === ElemType.COMPLEX128) throw unsupported(ctx.node, 'complex tensors are not supported');
}

function unary(f: Unary, opts: { floatOnly?: boolean } = {}): OpImpl {
  return (inputs, ctx) => {
    const x = req(inputs, 0, ctx);
    checkNumeric(x, ctx);
    if (opts.floatOnly && !isFloatType(x.elemType)) throw unsupported(ctx.node, `integer input is not supported`);
    const src = numbersOf(x);
    const out = new Float64Array(src.length);
    for (let i = 0; i < src.length; i++) out[i] = f(src[i]!);
    return [fromF64(x.elemType, x.dims, out)];
  };
}

/** Binary op; `outType` picks the output element type from the (first) input's. */
function binary(f: Binary, outType: (inType: number) => number = (t) => t, intF?: Binary): OpImpl {
  return (inputs, ctx) => {
    const a = req(inputs, 0, ctx);
    const b = req(inputs, 1, ctx);
    checkNumeric(a, ctx);
    checkNumeric(b, ctx);
    const dims = broadcastShape(ctx.node, [a.dims, b.dims]);
    const av = broadcastF64(a, dims);
    const bv = broadcastF64(b, dims);
    const n = product(dims);
    const out = new Float64Array(n);
    const g = intF !== undefined && !isFloatType(a.elemType) ? intF : f;
    for (let i = 0; i < n; i++) out[i] = g(av[i]!, bv[i]!);
    return [fromF64(outType(a.elemType), dims, out)];
  };
}

/** Variadic ops (Sum, Min, Max, Mean): folds pairwise with broadcasting. */
function variadic(f: Binary, finish?: (v: number, count: number) => number): OpImpl {
  return (inputs, ctx) => {
    const present = inputs.filter((t): t is TensorValue => t !== undefined);
    if (present.length === 0) throw execError(ctx.node, 'needs at least one input');
    present.forEach((t) => checkNumeric(t, ctx));
    const dims = broadcastShape(ctx.node, present.map((t) => t.dims));
    const n = product(dims);
    const acc = Float64Array.from(broadcastF64(present[0]!, dims));
    for (let k = 1; k < present.length; k++) {
      const v = broadcastF64(present[k]!, dims);
      for (let i = 0; i < n; i++) acc[i] = f(acc[i]!, v[i]!);
    }
    if (finish) for (let i = 0; i < n; i++) acc[i] = finish(acc[i]!, present.length);
    return [fromF64(present[0]!.elemType, dims, acc)];
  };
}

const toBool = (): number => ElemType.BOOL;

/** numpy.round: half to even. */
export function roundHalfEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const r = Math.round(x);
  // Math.round rounds halves up; move exact .5 cases that landed on an odd number down by one.
  if (Math.abs(x % 1) === 0.5 && r % 2 !== 0) return r - 1;
  return r;
}

/** Error function (Abramowitz–Stegun 7.1.26 is too coarse; use a series / continued fraction in float64). */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax > 6) return Math.sign(x);
  if (ax < 2.5) {
    // Maclaurin series: converges fast enough in float64 for |x| < 2.5.
    let term = x;
    let sum = x;
    const x2 = x * x;
    for (let n = 1; n < 200; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  // Continued fraction for erfc at larger |x|.
  let f = 0;
  for (let n = 60; n >= 1; n--) f = (n / 2) / (ax + f);
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
  return Math.sign(x) * (1 - erfc);
}

function clipImpl(): OpImpl {
  return (inputs, ctx) => {
    const x = req(inputs, 0, ctx);
    checkNumeric(x, ctx);
    let lo = -Infinity;
    let hi = Infinity;
    if (ctx.opset >= 11) {
      if (inputs[1] !== undefined) lo = scalarOf(inputs[1]);
      if (inputs[2] !== undefined) hi = scalarOf(inputs[2]);
    } else {
      lo = getFloat(ctx.node, 'min', -3.4028234663852886e38);
      hi = getFloat(ctx.node, 'max', 3.4028234663852886e38);
    }
    const src = numbersOf(x);
    const out = new Float64Array(src.length);
    for (let i = 0; i < src.length; i++) {
      const v = src[i]!;
      // numpy.clip order: raise to min, then cap at max (so min > max gives max).
      const raised = v < lo ? lo : v;
      out[i] = Number.isNaN(v) ? v : raised > hi ? hi : raised;
    }
    return [fromF64(x.elemType, x.dims, out)];
  };
}

/** Integer division truncates toward zero as in C; floats divide. */
const intDiv: Binary = (a, b) => (b === 0 ? 0 : Math.trunc(a / b));

function modImpl(): OpImpl {
  return (inputs, ctx) => {
    const fmod = getInt(ctx.node, 'fmod', 0) === 1;
    const f: Binary = fmod
      ? (a, b) => a % b
      : (a, b) => {
        if (b === 0) return isFloatType(inputs[0]!.elemType) ? NaN : 0;
        const r = a % b;
        return r !== 0 && (r < 0) !== (b < 0) ? r + b : r;
      };
    return binary(f)(inputs, ctx);
  };
}

function powImpl(): OpImpl {
  return (inputs, ctx) => binary((a, b) => a ** b)(inputs, ctx);
}

function bitShift(): OpImpl {
  return (inputs, ctx) => {
    const left = getString(ctx.node, 'direction') === 'LEFT';
    return binary((a, b) => (left ? a * 2 ** b : Math.floor(a / 2 ** b)))(inputs, ctx);
  };
}

function logicalBinary(f: (a: boolean, b: boolean) => boolean): OpImpl {
  return binary((a, b) => (f(a !== 0, b !== 0) ? 1 : 0), toBool);
}

function selu(): OpImpl {
  return (inputs, ctx) => {
    const alpha = getFloat(ctx.node, 'alpha', 1.67326319217681884765625);
    const gamma = getFloat(ctx.node, 'gamma', 1.05070102214813232421875);
    return unary((x) => (x > 0 ? gamma * x : gamma * (alpha * Math.exp(x) - alpha)))(inputs, ctx);
  };
}

function withAlpha(dflt: number, f: (x: number, alpha: number) => number): OpImpl {
  return (inputs, ctx) => {
    const alpha = getFloat(ctx.node, 'alpha', dflt);
    return unary((x) => f(x, alpha))(inputs, ctx);
  };
}

function hardSigmoid(): OpImpl {
  return (inputs, ctx) => {
    const alpha = getFloat(ctx.node, 'alpha', 0.2);
    const beta = getFloat(ctx.node, 'beta', 0.5);
    return unary((x) => Math.max(0, Math.min(1, alpha * x + beta)))(inputs, ctx);
  };
}

function isInf(): OpImpl {
  return (inputs, ctx) => {
    const pos = getInt(ctx.node, 'detect_positive', 1) === 1;
    const neg = getInt(ctx.node, 'detect_negative', 1) === 1;
    const x = req(inputs, 0, ctx);
    const src = numbersOf(x);
    const out = new Float64Array(src.length);
    for (let i = 0; i < src.length; i++) out[i] = (pos && src[i] === Infinity) || (neg && src[i] === -Infinity) ? 1 : 0;
    return [fromF64(ElemType.BOOL, x.dims, out)];
  };
}

function where(): OpImpl {
  return (inputs, ctx) => {
    const c = req(inputs, 0, ctx);
    const a = req(inputs, 1, ctx);
    const b = req(inputs, 2, ctx);
    checkNumeric(a, ctx);
    const dims = broadcastShape(ctx.node, [c.dims, a.dims, b.dims]);
    const cv = broadcastF64(c, dims);
    const av = broadcastF64(a, dims);
    const bv = broadcastF64(b, dims);
    const out = new Float64Array(product(dims));
    for (let i = 0; i < out.length; i++) out[i] = cv[i] !== 0 ? av[i]! : bv[i]!;
    return [fromF64(a.elemType, dims, out)];
  };
}

function preluImpl(): OpImpl {
  return binary((x, s) => (x < 0 ? x * s : x));
}

/** float32 results of transcendental functions: compute in float64, store rounds. */
export const ELEMENTWISE_OPS: Record<string, OpImpl> = {
  Add: binary((a, b) => a + b),
  Sub: binary((a, b) => a - b),
  Mul: binary((a, b) => a * b),
  Div: binary((a, b) => a / b, undefined, intDiv),
  Pow: powImpl(),
  Mod: modImpl(),
  BitShift: bitShift(),
  Neg: unary((x) => -x),
  Abs: unary(Math.abs),
  Sqrt: unary(Math.sqrt),
  Reciprocal: unary((x) => 1 / x),
  Relu: unary((x) => (x > 0 ? x : 0)),
  Sigmoid: unary((x) => 1 / (1 + Math.exp(-x))),
  Tanh: unary(Math.tanh),
  Sign: unary((x) => (Number.isNaN(x) ? x : Math.sign(x))),
  Round: unary(roundHalfEven),
  Floor: unary(Math.floor),
  Ceil: unary(Math.ceil),
  Exp: unary(Math.exp),
  Log: unary(Math.log),
  Erf: unary(erf),
  Sin: unary(Math.sin),
  Cos: unary(Math.cos),
  Tan: unary(Math.tan),
  Asin: unary(Math.asin),
  Acos: unary(Math.acos),
  Atan: unary(Math.atan),
  Sinh: unary(Math.sinh),
  Cosh: unary(Math.cosh),
  Asinh: unary(Math.asinh),
  Acosh: unary(Math.acosh),
  Atanh: unary(Math.atanh),
  Softplus: unary((x) => (x > 30 ? x : Math.log1p(Math.exp(x)))),
  Softsign: unary((x) => x / (1 + Math.abs(x))),
  Elu: withAlpha(1, (x, a) => (x >= 0 ? x : a * (Math.exp(x) - 1))),
  LeakyRelu: withAlpha(0.01, (x, a) => (x >= 0 ? x : a * x)),
  ThresholdedRelu: withAlpha(1, (x, a) => (x > a ? x : 0)),
  Celu: withAlpha(1, (x, a) => Math.max(0, x) + Math.min(0, a * (Math.exp(x / a) - 1))),
  Selu: selu(),
  HardSigmoid: hardSigmoid(),
  HardSwish: unary((x) => x * Math.max(0, Math.min(1, x / 6 + 0.5))),
  PRelu: preluImpl(),
  Clip: clipImpl(),
  Min: variadic((a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b))),
  Max: variadic((a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b))),
  Sum: variadic((a, b) => a + b),
  Mean: variadic((a, b) => a + b, (v, k) => v / k),
  Equal: binary((a, b) => (a === b ? 1 : 0), toBool),
  Less: binary((a, b) => (a < b ? 1 : 0), toBool),
  LessOrEqual: binary((a, b) => (a <= b ? 1 : 0), toBool),
  Greater: binary((a, b) => (a > b ? 1 : 0), toBool),
  GreaterOrEqual: binary((a, b) => (a >= b ? 1 : 0), toBool),
  Not: unary((x) => (x === 0 ? 1 : 0)),
  And: logicalBinary((a, b) => a && b),
  Or: logicalBinary((a, b) => a || b),
  Xor: logicalBinary((a, b) => a !== b),
  IsNaN: (inputs, ctx) => {
    const x = req(inputs, 0, ctx);
    const src = numbersOf(x);
    const out = new Float64Array(src.length);
    for (let i = 0; i < src.length; i++) out[i] = Number.isNaN(src[i]!) ? 1 : 0;
    return [fromF64(ElemType.BOOL, x.dims, out)];
  },
  IsInf: isInf(),
  Where: where(),
};
