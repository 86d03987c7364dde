import { getInt, getInts, hasAttribute } from '../../ir/attributes.js';
import { ElemType } from '../../tensor/element-type.js';
import type { TensorValue } from '../../tensor/tensor-value.js';
import type { OpContext, OpImpl } from '../types.js';
import { execError, fromF64, gatherData, intsOf, normAxis, numbersOf, product, scalarOf } from '../values.js';

/** Reductions along axes, softmax family, ArgMax/ArgMin and TopK. */

function req(inputs: readonly (TensorValue | undefined)[], i: number, ctx: OpContext): TensorValue {
  const t = inputs[i];
  if (t === undefined) throw execError(ctx.node, `input ${i} is missing`);
  return t;
}

interface Reducer {
  init: number;
  step: (acc: number, v: number) => number;
  finish?: (acc: number, count: number) => number;
}

const REDUCERS: Record<string, Reducer> = {
  ReduceSum: { init: 0, step: (a, v) => a + v },
  ReduceMean: { init: 0, step: (a, v) => a + v, finish: (a, n) => a / n },
  ReduceMax: { init: -Infinity, step: (a, v) => (v > a || Number.isNaN(v) ? v : a) },
  ReduceMin: { init: Infinity, step: (a, v) => (v < a || Number.isNaN(v) ? v : a) },
  ReduceProd: { init: 1, step: (a, v) => a * v },
  ReduceL1: { init: 0, step: (a, v) => a + Math.abs(v) },
  ReduceL2: { init: 0, step: (a, v) => a + v * v, finish: (a) => Math.sqrt(a) },
  ReduceSumSquare: { init: 0, step: (a, v) => a + v * v },
  ReduceLogSum: { init: 0, step: (a, v) => a + v, finish: (a) => Math.log(a) },
  ReduceLogSumExp: { init: 0, step: (a, v) => a + Math.exp(v), finish: (a) => Math.log(a) },
};

/** Opset from which each reduction takes its axes as an input rather than an attribute. */
function axesInputFrom(op: string): number {
  return op === 'ReduceSum' ? 13 : 18;
}

function reduce(op: string): OpImpl {
  const r = REDUCERS[op]!;
  return (inputs, ctx) => {
    const X = req(inputs, 0, ctx);
    const rank = X.dims.length;
    const keep = getInt(ctx.node, 'keepdims', 1) === 1;
    let axes: number[] | undefined;
    if (ctx.opset >= axesInputFrom(op)) axes = inputs[1] === undefined ? undefined : intsOf(inputs[1]);
    else if (hasAttribute(ctx.node, 'axes')) axes = getInts(ctx.node, 'axes');
    if (axes !== undefined && axes.length === 0) axes = undefined;
    if (axes === undefined && getInt(ctx.node, 'noop_with_empty_axes', 0) === 1) return [X];
    const set = new Set((axes ?? X.dims.map((_, i) => i)).map((a) => normAxis(ctx.node, a, rank)));
    const outDims = X.dims.map((d, i) => (set.has(i) ? 1 : d));
    const n = product(outDims);
    const acc = new Float64Array(n).fill(r.init);
    const x = numbersOf(X);
    // Map each input element to its output slot by walking an odometer over the input.
    const outStrides = new Array<number>(rank);
    let s = 1;
    for (let i = rank - 1; i >= 0; i--) { outStrides[i] = set.has(i) ? 0 : s; s *= outDims[i]!; }
    const c = new Array<number>(rank).fill(0);
    let off = 0;
    for (let i = 0; i < x.length; i++) {
      acc[off] = r.step(acc[off]!, x[i]!);
      for (let d = rank - 1; d >= 0; d--) {
        c[d]!++;
        off += outStrides[d]!;
        if (c[d]! < X.dims[d]!) break;
        off -= outStrides[d]! * X.dims[d]!;
        c[d] = 0;
      }
    }
    const count = x.length / Math.max(1, n);
    if (r.finish) for (let i = 0; i < n; i++) acc[i] = r.finish(acc[i]!, count);
    return [fromF64(X.elemType, keep ? outDims : X.dims.filter((_, i) => !set.has(i)), acc)];
  };
}

/** Softmax over rows of length `len` (opset < 13: the flattened tail from `axis`; 13 on: one axis). */
function softmaxLike(kind: 'softmax' | 'log' | 'hard'): OpImpl {
  return (inputs, ctx) => {
    const X = req(inputs, 0, ctx);
    const rank = X.dims.length;
    const legacy = ctx.opset < 13;
    const axis = normAxis(ctx.node, getInt(ctx.node, 'axis', legacy ? 1 : -1), Math.max(rank, 1));
    const x = numbersOf(X);
    const out = new Float64Array(x.length);
    const len = legacy ? product(X.dims, axis) : X.dims[axis]!;
    const inner = legacy ? 1 : product(X.dims, axis + 1);
    const outer = x.length / Math.max(1, len * inner);
    for (let o = 0; o < outer; o++) {
      for (let q = 0; q < inner; q++) {
        const base = o * len * inner + q;
        let mx = -Infinity;
        let arg = 0;
        for (let j = 0; j < len; j++) {
          const v = x[base + j * inner]!;
          if (v > mx) { mx = v; arg = j; }
        }
        if (kind === 'hard') {
          for (let j = 0; j < len; j++) out[base + j * inner] = j === arg ? 1 : 0;
          continue;
        }
        let sum = 0;
        for (let j = 0; j < len; j++) sum += Math.exp(x[base + j * inner]! - mx);
        for (let j = 0; j < len; j++) {
          const v = x[base + j * inner]! - mx;
          out[base + j * inner] = kind === 'log' ? v - Math.log(sum) : Math.exp(v) / sum;
        }
      }
    }
    return [fromF64(X.elemType, X.dims, out)];
  };
}

function argExtreme(max: boolean): OpImpl {
  return (inputs, ctx) => {
    const X = req(inputs, 0, ctx);
    const axis = normAxis(ctx.node, getInt(ctx.node, 'axis', 0), X.dims.length);
    const keep = getInt(ctx.node, 'keepdims', 1) === 1;
    const last = getInt(ctx.node, 'select_last_index', 0) === 1;
    const x = numbersOf(X);
    const len = X.dims[axis]!;
    const inner = product(X.dims, axis + 1);
    const outer = product(X.dims, 0, axis);
    const out = new Float64Array(outer * inner);
    for (let o = 0; o < outer; o++) {
      for (let q = 0; q < inner; q++) {
        const base = o * len * inner + q;
        let best = x[base]!;
        let bi = 0;
        for (let j = 1; j < len; j++) {
          const v = x[base + j * inner]!;
          if (max ? v > best || (last && v === best) : v < best || (last && v === best)) { best = v; bi = j; }
        }
        out[o * inner + q] = bi;
      }
    }
    const dims = keep ? X.dims.map((d, i) => (i === axis ? 1 : d)) : X.dims.filter((_, i) => i !== axis);
    return [fromF64(ElemType.INT64, dims, out)];
  };
}

/** TopK: the k largest (or smallest) along an axis, sorted, ties broken by the lower index. */
const topK: OpImpl = (inputs, ctx) => {
  const X = req(inputs, 0, ctx);
  const axis = normAxis(ctx.node, getInt(ctx.node, 'axis', -1), X.dims.length);
  const k = ctx.opset >= 10 ? scalarOf(req(inputs, 1, ctx)) : getInt(ctx.node, 'k');
  const largest = getInt(ctx.node, 'largest', 1) === 1;
  const len = X.dims[axis]!;
  if (k < 0 || k > len) throw execError(ctx.node, `k=${k} is out of range for an axis of size ${len}`);
  const x = numbersOf(X);
  const inner = product(X.dims, axis + 1);
  const outer = product(X.dims, 0, axis);
  const dims = X.dims.map((d, i) => (i === axis ? k : d));
  const idxOut = new Float64Array(outer * k * inner);
  const srcIdx = new Int32Array(outer * k * inner);
  const order = new Array<number>(len);
  for (let o = 0; o < outer; o++) {
    for (let q = 0; q < inner; q++) {
      const base = o * len * inner + q;
      for (let j = 0; j < len; j++) order[j] = j;
      order.sort((a, b) => {
        const va = x[base + a * inner]!;
        const vb = x[base + b * inner]!;
        if (va !== vb) return largest ? vb - va : va - vb;
        return a - b;
      });
      for (let j = 0; j < k; j++) {
        const p = (o * k + j) * inner + q;
        idxOut[p] = order[j]!;
        srcIdx[p] = base + order[j]! * inner;
      }
    }
  }
  return [
    { elemType: X.elemType, dims, data: gatherData(X, srcIdx) },
    fromF64(ElemType.INT64, dims, idxOut),
  ];
};

export const REDUCE_OPS: Record<string, OpImpl> = {
  ...Object.fromEntries(Object.keys(REDUCERS).map((op) => [op, reduce(op)])),
  Softmax: softmaxLike('softmax'),
  LogSoftmax: softmaxLike('log'),
  Hardmax: softmaxLike('hard'),
  ArgMax: argExtreme(true),
  ArgMin: argExtreme(false),
  TopK: topK,
};
