/** Neural-network ops: convolution, pooling, matrix products, normalization. */
import { getString } from '../ir/attributes.js';
import type { Node } from '../ir/node.js';
import type { Dim } from '../ir/shape.js';
import { ElemType } from '../tensor/element-type.js';
import type { ShapeContext, ShapeRule, TensorInfo } from './types.js';
import { UNKNOWN_DIM, autoPadOut, broadcast, optionalInts, shapeError, windowOut, attrInt } from './util.js';

interface Window {
  kernel: number[];
  strides: number[];
  pads: number[];
  dilations: number[];
  autoPad: string;
  ceil: boolean;
}

function windowAttrs(node: Node, spatial: number, kernel: number[]): Window {
  const strides = optionalInts(node, 'strides') ?? new Array<number>(spatial).fill(1);
  const dilations = optionalInts(node, 'dilations') ?? new Array<number>(spatial).fill(1);
  const pads = optionalInts(node, 'pads') ?? new Array<number>(2 * spatial).fill(0);
  const autoPad = getString(node, 'auto_pad', 'NOTSET') || 'NOTSET';
  const ceil = attrInt(node, 'ceil_mode', 0) === 1;
  if (kernel.length !== spatial) throw shapeError(node, `kernel of ${kernel.length} dims for ${spatial} spatial dims`);
  return { kernel, strides, pads, dilations, autoPad, ceil };
}

/** Spatial output dims of a sliding window over `spatialIn`. */
function windowDims(spatialIn: readonly Dim[], w: Window): Dim[] {
  const n = spatialIn.length;
  return spatialIn.map((d, i) =>
    w.autoPad === 'NOTSET'
      ? windowOut(d, w.kernel[i]!, w.strides[i]!, w.pads[i]!, w.pads[i + n]!, w.dilations[i]!, w.ceil)
      : autoPadOut(d, w.kernel[i]!, w.strides[i]!, w.dilations[i]!, w.autoPad));
}

const conv: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  const s = x?.shape;
  const ws = ctx.shape(1);
  if (!s || !ws) return [{ shape: s?.map(() => UNKNOWN_DIM), elemType: x?.elemType }];
  const kernel = optionalInts(ctx.node, 'kernel_shape') ?? ws.slice(2).map((d) => (typeof d === 'number' ? d : NaN));
  if (kernel.some(Number.isNaN)) return [{ shape: s.map(() => UNKNOWN_DIM), elemType: x?.elemType }];
  const w = windowAttrs(ctx.node, s.length - 2, kernel);
  return [{ shape: [s[0]!, ws[0]!, ...windowDims(s.slice(2), w)], elemType: x?.elemType }];
};

const convTranspose: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  const s = x?.shape;
  const ws = ctx.shape(1);
  if (!s || !ws) return [{ elemType: x?.elemType }];
  const spatial = s.length - 2;
  const group = attrInt(ctx.node, 'group', 1);
  const outC: Dim = typeof ws[1] === 'number' ? ws[1] * group : UNKNOWN_DIM;
  const explicit = optionalInts(ctx.node, 'output_shape');
  if (explicit) return [{ shape: [s[0]!, outC, ...explicit.slice(-spatial)], elemType: x?.elemType }];
  const kernel = optionalInts(ctx.node, 'kernel_shape') ?? ws.slice(2).map((d) => (typeof d === 'number' ? d : NaN));
  const w = windowAttrs(ctx.node, spatial, kernel);
  const outPad = optionalInts(ctx.node, 'output_padding') ?? new Array<number>(spatial).fill(0);
  const dims = s.slice(2).map((d, i): Dim => {
    if (typeof d !== 'number' || Number.isNaN(kernel[i]!)) return UNKNOWN_DIM;
    if (w.autoPad === 'SAME_UPPER' || w.autoPad === 'SAME_LOWER') return d * w.strides[i]!;
    return w.strides[i]! * (d - 1) + outPad[i]! + (kernel[i]! - 1) * w.dilations[i]! + 1 - w.pads[i]! - w.pads[i + spatial]!;
  });
  return [{ shape: [s[0]!, outC, ...dims], elemType: x?.elemType }];
};

const pool: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  const s = x?.shape;
  const outs: (TensorInfo | undefined)[] = [];
  if (!s) return [{ elemType: x?.elemType }, { elemType: ElemType.INT64 }];
  const w = windowAttrs(ctx.node, s.length - 2, optionalInts(ctx.node, 'kernel_shape') ?? []);
  const shape = [s[0]!, s[1]!, ...windowDims(s.slice(2), w)];
  outs.push({ shape, elemType: x?.elemType });
  if (ctx.node.outputs.length > 1) outs.push({ shape, elemType: ElemType.INT64 });
  return outs;
};

const globalPool: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  const s = x?.shape;
  return [{ shape: s && [s[0]!, s[1]!, ...s.slice(2).map(() => 1)], elemType: x?.elemType }];
};

/** numpy.matmul shapes: 1-D operands are promoted and the added dim dropped again; batch dims broadcast. */
export function matmulShape(node: Node, a: readonly Dim[] | undefined, b: readonly Dim[] | undefined): Dim[] | undefined {
  if (!a || !b) return undefined;
  if (a.length === 0 || b.length === 0) throw shapeError(node, 'MatMul operands must not be scalars');
  const a2 = a.length === 1 ? [1, a[0]!] : a;
  const b2 = b.length === 1 ? [b[0]!, 1] : b;
  const k1 = a2[a2.length - 1]!;
  const k2 = b2[b2.length - 2]!;
  if (typeof k1 === 'number' && typeof k2 === 'number' && k1 !== k2) {
    throw shapeError(node, `inner dimensions differ: [${a.join(',')}] x [${b.join(',')}]`);
  }
  const batch = broadcast(node, [a2.slice(0, -2), b2.slice(0, -2)])!;
  const out = [...batch];
  if (a.length > 1) out.push(a2[a2.length - 2]!);
  if (b.length > 1) out.push(b2[b2.length - 1]!);
  return out;
}

const matmul: ShapeRule = (ctx) => [{ shape: matmulShape(ctx.node, ctx.shape(0), ctx.shape(1)), elemType: ctx.input(0)?.elemType }];

const matmulInteger: ShapeRule = (ctx) => [{ shape: matmulShape(ctx.node, ctx.shape(0), ctx.shape(1)), elemType: ElemType.INT32 }];

const gemm: ShapeRule = (ctx) => {
  const a = ctx.shape(0);
  const b = ctx.shape(1);
  const elemType = ctx.input(0)?.elemType;
  if (!a || !b) return [{ shape: [UNKNOWN_DIM, UNKNOWN_DIM], elemType }];
  const m = attrInt(ctx.node, 'transA', 0) ? a[1]! : a[0]!;
  const n = attrInt(ctx.node, 'transB', 0) ? b[0]! : b[1]!;
  return [{ shape: [m, n], elemType }];
};

/** BatchNormalization: Y like X; training-mode outputs (mean, var, ...) are per channel. */
const batchNorm: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  const outs: (TensorInfo | undefined)[] = [{ shape: x?.shape, elemType: x?.elemType }];
  const c = x?.shape?.[1] ?? ctx.shape(1)?.[0] ?? UNKNOWN_DIM;
  for (let i = 1; i < ctx.node.outputs.length; i++) outs.push({ shape: [c], elemType: x?.elemType });
  return outs;
};

const layerNorm: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  return [{ shape: x?.shape, elemType: x?.elemType }];
};

const dropout: ShapeRule = (ctx: ShapeContext) => {
  const x = ctx.input(0);
  return [{ shape: x?.shape, elemType: x?.elemType }, { shape: x?.shape, elemType: ctx.opset >= 10 || ctx.opset === 0 ? ElemType.BOOL : x?.elemType }];
};

export function nnRules(): Map<string, ShapeRule> {
  const m = new Map<string, ShapeRule>();
  m.set('Conv', conv);
  m.set('ConvInteger', (ctx) => [{ ...conv(ctx)[0], elemType: ElemType.INT32 }]);
  m.set('ConvTranspose', convTranspose);
  for (const op of ['MaxPool', 'AveragePool', 'LpPool']) m.set(op, pool);
  for (const op of ['GlobalAveragePool', 'GlobalMaxPool', 'GlobalLpPool']) m.set(op, globalPool);
  m.set('MatMul', matmul);
  m.set('MatMulInteger', matmulInteger);
  m.set('Gemm', gemm);
  m.set('BatchNormalization', batchNorm);
  m.set('LayerNormalization', layerNorm);
  m.set('Dropout', dropout);
  return m;
}
