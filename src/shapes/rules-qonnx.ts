/** QONNX general ops (finn-qonnx reference §5). Quantizers and thresholds keep the shape; outputs are float. */
import { getAttribute, getString } from '../ir/attributes.js';
import type { Node } from '../ir/node.js';
import type { Dim } from '../ir/shape.js';
import { ElemType } from '../tensor/element-type.js';
import { matmulShape } from './rules-nn.js';
import type { ShapeRule } from './types.js';
import { UNKNOWN_DIM, shapeError, windowOut, attrInt, attrInts } from './util.js';

const floatLikeInput: ShapeRule = (ctx) => [{ shape: ctx.shape(0), elemType: ElemType.FLOAT }];

/** An attribute that older exports write as one int and newer ones as a list (one per spatial dim). */
function intOrInts(node: Node, name: string, n: number, dflt: number): number[] {
  const a = getAttribute(node, name);
  if (!a) return new Array<number>(n).fill(dflt);
  if (a.ints && a.ints.length > 0) {
    const v = attrInts(node, name);
    return v.length === 1 ? new Array<number>(n).fill(v[0]!) : v;
  }
  return new Array<number>(n).fill(attrInt(node, name));
}

/** Im2Col: NHWC input → (N, OH, OW, kh·kw·C); pad_amount is [top, left, bottom, right]. */
const im2col: ShapeRule = (ctx) => {
  const s = ctx.shape(0);
  if (!s) return [{ elemType: ElemType.FLOAT }];
  if (s.length !== 4) throw shapeError(ctx.node, `Im2Col expects a 4-D NHWC input, got rank ${s.length}`);
  const [n, h, w, c] = s as [Dim, Dim, Dim, Dim];
  const k = intOrInts(ctx.node, 'kernel_size', 2, 1);
  const stride = intOrInts(ctx.node, 'stride', 2, 1);
  const dil = intOrInts(ctx.node, 'dilations', 2, 1);
  const padAttr = getAttribute(ctx.node, 'pad_amount') ? attrInts(ctx.node, 'pad_amount') : [0, 0, 0, 0];
  const pad = padAttr.length === 4 ? padAttr : [0, 0, 0, 0];
  const oh = windowOut(h, k[0]!, stride[0]!, pad[0]!, pad[2]!, dil[0]!, false);
  const ow = windowOut(w, k[1]!, stride[1]!, pad[1]!, pad[3]!, dil[1]!, false);
  const depth: Dim = typeof c === 'number' ? k[0]! * k[1]! * c : UNKNOWN_DIM;
  return [{ shape: [n, oh, ow, depth], elemType: ElemType.FLOAT }];
};

/** MaxPoolNHWC: like MaxPool on NCHW, with channels last. */
const maxPoolNhwc: ShapeRule = (ctx) => {
  const s = ctx.shape(0);
  if (!s) return [{ elemType: ElemType.FLOAT }];
  const spatial = s.length - 2;
  const k = attrInts(ctx.node, 'kernel_shape');
  const strides = getAttribute(ctx.node, 'strides') ? attrInts(ctx.node, 'strides') : new Array<number>(spatial).fill(1);
  const pads = getAttribute(ctx.node, 'pads') ? attrInts(ctx.node, 'pads') : new Array<number>(2 * spatial).fill(0);
  const ceil = attrInt(ctx.node, 'ceil_mode', 0) === 1;
  const out = s.slice(1, 1 + spatial).map((d, i) => windowOut(d, k[i]!, strides[i]!, pads[i]!, pads[i + spatial]!, 1, ceil));
  return [{ shape: [s[0]!, ...out, s[s.length - 1]!], elemType: ElemType.FLOAT }];
};

/** QuantAvgPool2d: square kernel and stride, NCHW (default) or NHWC. */
const quantAvgPool2d: ShapeRule = (ctx) => {
  const s = ctx.shape(0);
  if (!s) return [{ elemType: ElemType.FLOAT }];
  const k = attrInt(ctx.node, 'kernel');
  const stride = attrInt(ctx.node, 'stride');
  const nhwc = getString(ctx.node, 'data_layout', 'NCHW') === 'NHWC';
  const [hi, wi] = nhwc ? [1, 2] : [2, 3];
  const shape = [...s];
  shape[hi] = windowOut(s[hi]!, k, stride, 0, 0, 1, false);
  shape[wi] = windowOut(s[wi]!, k, stride, 0, 0, 1, false);
  return [{ shape, elemType: ElemType.FLOAT }];
};

const xnorPopcount: ShapeRule = (ctx) => [{ shape: matmulShape(ctx.node, ctx.shape(0), ctx.shape(1)), elemType: ElemType.FLOAT }];

export function qonnxRules(): Map<string, ShapeRule> {
  const m = new Map<string, ShapeRule>();
  for (const op of ['Quant', 'IntQuant', 'BipolarQuant', 'Trunc', 'FloatQuant', 'MultiThreshold', 'DebugMarker']) m.set(op, floatLikeInput);
  m.set('Im2Col', im2col);
  m.set('MaxPoolNHWC', maxPoolNhwc);
  m.set('QuantAvgPool2d', quantAvgPool2d);
  m.set('XnorPopcountMatMul', xnorPopcount);
  return m;
}
