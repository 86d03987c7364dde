import { getFloat, getInt } from '../../ir/attributes.js';
import { ElemType } from '../../tensor/element-type.js';
import type { TensorValue } from '../../tensor/tensor-value.js';
import type { OpContext, OpImpl } from '../types.js';
import { execError, fromF64, numbersOf, product, unsupported } from '../values.js';
import { to3d, windowGeometry } from './window.js';

/** Convolution, normalization and pooling over NC<spatial> tensors (1 to 3 spatial axes). */

function req(inputs: readonly (TensorValue | undefined)[], i: number, ctx: OpContext): TensorValue {
  const t = inputs[i];
  if (t === undefined) throw execError(ctx.node, `input ${i} is missing`);
  return t;
}

function spatialRank(ctx: OpContext, x: TensorValue): number {
  const r = x.dims.length - 2;
  if (r < 1 || r > 3) throw unsupported(ctx.node, `inputs with ${r} spatial axes are not supported`);
  return r;
}

const conv: OpImpl = (inputs, ctx) => {
  const X = req(inputs, 0, ctx);
  const W = req(inputs, 1, ctx);
  const B = inputs[2];
  spatialRank(ctx, X);
  const group = getInt(ctx.node, 'group', 1);
  const [n, c] = X.dims as [number, number];
  const m = W.dims[0]!;
  const cg = c / group;
  if (W.dims[1] !== cg || m % group !== 0) throw execError(ctx.node, `weight shape [${W.dims.join(', ')}] does not fit ${c} input channels in ${group} groups`);
  const g = windowGeometry(ctx.node, X.dims.slice(2), W.dims.slice(2));
  const [id, ih, iw] = to3d(X.dims.slice(2), 1);
  const [kd, kh, kw] = to3d(g.kernel, 1);
  const [sd, sh, sw] = to3d(g.strides, 1);
  const [dd, dh, dw] = to3d(g.dilations, 1);
  const [pd, ph, pw] = to3d(g.padBegin, 0);
  const [od, oh, ow] = to3d(g.out, 1);
  const x = numbersOf(X);
  const w = numbersOf(W);
  const bias = B === undefined ? undefined : numbersOf(B);
  // The bias is added to the product rounded to the output type, as a Conv without bias followed by an Add
  // computes it: splitting the bias off (ExtractConvBias) then leaves outputs bit-identical.
  const toOut = X.elemType === ElemType.FLOAT ? Math.fround : (v: number) => v;
  const mg = m / group;
  const osz = od * oh * ow;
  const isz = id * ih * iw;
  const ksz = kd * kh * kw;
  const out = new Float64Array(n * m * osz);
  for (let b = 0; b < n; b++) {
    for (let oc = 0; oc < m; oc++) {
      const grp = Math.floor(oc / mg);
      const obase = (b * m + oc) * osz;
      const bv = bias === undefined ? 0 : bias[oc]!;
      for (let zd = 0; zd < od; zd++) {
        for (let zh = 0; zh < oh; zh++) {
          for (let zw = 0; zw < ow; zw++) {
            let acc = 0;
            for (let ic = 0; ic < cg; ic++) {
              const xbase = (b * c + grp * cg + ic) * isz;
              const wbase = (oc * cg + ic) * ksz;
              for (let a = 0; a < kd; a++) {
                const zi = zd * sd - pd + a * dd;
                if (zi < 0 || zi >= id) continue;
                for (let p = 0; p < kh; p++) {
                  const yi = zh * sh - ph + p * dh;
                  if (yi < 0 || yi >= ih) continue;
                  const xrow = xbase + (zi * ih + yi) * iw;
                  const wrow = wbase + (a * kh + p) * kw;
                  for (let q = 0; q < kw; q++) {
                    const xi = zw * sw - pw + q * dw;
                    if (xi < 0 || xi >= iw) continue;
                    acc += x[xrow + xi]! * w[wrow + q]!;
                  }
                }
              }
            }
            out[obase + (zd * oh + zh) * ow + zw] = bias === undefined ? acc : toOut(acc) + bv;
          }
        }
      }
    }
  }
  return [fromF64(X.elemType, [n, m, ...g.out], out)];
};

const batchNorm: OpImpl = (inputs, ctx) => {
  if (getInt(ctx.node, 'training_mode', 0) === 1) throw unsupported(ctx.node, 'unsupported attribute training_mode=1');
  if (ctx.opset < 7 && getInt(ctx.node, 'spatial', 1) === 0) throw unsupported(ctx.node, 'unsupported attribute spatial=0');
  if (ctx.node.outputs.filter((o) => o !== '').length > 1) throw unsupported(ctx.node, 'training outputs (mean, var) are not supported');
  const X = req(inputs, 0, ctx);
  const scale = numbersOf(req(inputs, 1, ctx));
  const bias = numbersOf(req(inputs, 2, ctx));
  const mean = numbersOf(req(inputs, 3, ctx));
  const variance = numbersOf(req(inputs, 4, ctx));
  const eps = getFloat(ctx.node, 'epsilon', 1e-5);
  const n = X.dims[0] ?? 1;
  const c = X.dims[1] ?? 1;
  const inner = product(X.dims, 2);
  const x = numbersOf(X);
  const out = new Float64Array(x.length);
  for (let ch = 0; ch < c; ch++) {
    const k = scale[ch]! / Math.sqrt(variance[ch]! + eps);
    for (let b = 0; b < n; b++) {
      const base = (b * c + ch) * inner;
      for (let i = 0; i < inner; i++) out[base + i] = (x[base + i]! - mean[ch]!) * k + bias[ch]!;
    }
  }
  return [fromF64(X.elemType, X.dims, out)];
};

function pool(kind: 'max' | 'avg'): OpImpl {
  return (inputs, ctx) => {
    const X = req(inputs, 0, ctx);
    spatialRank(ctx, X);
    const [n, c] = X.dims as [number, number];
    const g = windowGeometry(ctx.node, X.dims.slice(2));
    const includePad = getInt(ctx.node, 'count_include_pad', 0) === 1;
    const storageOrder = getInt(ctx.node, 'storage_order', 0);
    const wantIndices = kind === 'max' && (ctx.node.outputs[1] ?? '') !== '';
    const [id, ih, iw] = to3d(X.dims.slice(2), 1);
    const [kd, kh, kw] = to3d(g.kernel, 1);
    const [sd, sh, sw] = to3d(g.strides, 1);
    const [dd, dh, dw] = to3d(g.dilations, 1);
    const [pd, ph, pw] = to3d(g.padBegin, 0);
    const [ed, eh, ew] = to3d(g.padEnd, 0);
    const [od, oh, ow] = to3d(g.out, 1);
    const x = numbersOf(X);
    const osz = od * oh * ow;
    const isz = id * ih * iw;
    const out = new Float64Array(n * c * osz);
    const indices = wantIndices ? new Float64Array(out.length) : undefined;
    for (let nc = 0; nc < n * c; nc++) {
      const xbase = nc * isz;
      for (let zd = 0; zd < od; zd++) {
        for (let zh = 0; zh < oh; zh++) {
          for (let zw = 0; zw < ow; zw++) {
            let acc = kind === 'max' ? -Infinity : 0;
            let count = 0;
            let best = -1;
            let padded = 0;
            for (let a = 0; a < kd; a++) {
              const zi = zd * sd - pd + a * dd;
              const zIn = zi >= 0 && zi < id;
              const zPad = zi >= -pd && zi < id + ed;
              for (let p = 0; p < kh; p++) {
                const yi = zh * sh - ph + p * dh;
                const yIn = yi >= 0 && yi < ih;
                const yPad = yi >= -ph && yi < ih + eh;
                for (let q = 0; q < kw; q++) {
                  const xi = zw * sw - pw + q * dw;
                  if (zPad && yPad && xi >= -pw && xi < iw + ew) padded++;
                  if (!zIn || !yIn || xi < 0 || xi >= iw) continue;
                  const off = (zi * ih + yi) * iw + xi;
                  const v = x[xbase + off]!;
                  if (kind === 'max') {
                    if (v > acc || best < 0) { acc = v; best = off; }
                  } else {
                    acc += v;
                  }
                  count++;
                }
              }
            }
            const o = nc * osz + (zd * oh + zh) * ow + zw;
            if (kind === 'max') {
              out[o] = acc;
              if (indices !== undefined) {
                let flat = best;
                if (storageOrder === 1) {
                  const zi = Math.floor(best / (ih * iw));
                  const yi = Math.floor(best / iw) % ih;
                  const xi = best % iw;
                  flat = (xi * ih + yi) * id + zi;
                }
                indices[o] = nc * isz + flat;
              }
            } else {
              out[o] = acc / (includePad ? padded : count);
            }
          }
        }
      }
    }
    const dims = [n, c, ...g.out];
    const res: TensorValue[] = [fromF64(X.elemType, dims, out)];
    if (indices !== undefined) res.push(fromF64(ElemType.INT64, dims, indices));
    return res;
  };
}

function globalPool(kind: 'max' | 'avg'): OpImpl {
  return (inputs, ctx) => {
    const X = req(inputs, 0, ctx);
    const [n, c] = X.dims as [number, number];
    const inner = product(X.dims, 2);
    const x = numbersOf(X);
    const out = new Float64Array(n * c);
    for (let i = 0; i < n * c; i++) {
      let acc = kind === 'max' ? -Infinity : 0;
      for (let j = 0; j < inner; j++) {
        const v = x[i * inner + j]!;
        acc = kind === 'max' ? (v > acc ? v : acc) : acc + v;
      }
      out[i] = kind === 'max' ? acc : acc / inner;
    }
    return [fromF64(X.elemType, [n, c, ...X.dims.slice(2).map(() => 1)], out)];
  };
}

const instanceNorm: OpImpl = (inputs, ctx) => {
  const X = req(inputs, 0, ctx);
  const scale = numbersOf(req(inputs, 1, ctx));
  const bias = numbersOf(req(inputs, 2, ctx));
  const eps = getFloat(ctx.node, 'epsilon', 1e-5);
  const [n, c] = X.dims as [number, number];
  const inner = product(X.dims, 2);
  const x = numbersOf(X);
  const out = new Float64Array(x.length);
  for (let i = 0; i < n * c; i++) {
    const ch = i % c;
    let mean = 0;
    for (let j = 0; j < inner; j++) mean += x[i * inner + j]!;
    mean /= inner;
    let v = 0;
    for (let j = 0; j < inner; j++) v += (x[i * inner + j]! - mean) ** 2;
    v /= inner;
    const k = scale[ch]! / Math.sqrt(v + eps);
    for (let j = 0; j < inner; j++) out[i * inner + j] = (x[i * inner + j]! - mean) * k + bias[ch]!;
  }
  return [fromF64(X.elemType, X.dims, out)];
};

export const NN_OPS: Record<string, OpImpl> = {
  Conv: conv,
  BatchNormalization: batchNorm,
  MaxPool: pool('max'),
  AveragePool: pool('avg'),
  GlobalAveragePool: globalPool('avg'),
  GlobalMaxPool: globalPool('max'),
  InstanceNormalization: instanceNorm,
};
