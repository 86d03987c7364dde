/** Data-movement ops: shapes that follow attributes or (constant) shape inputs. */
import { getAttribute, getFloat, getTensor } from '../ir/attributes.js';
import type { Dim } from '../ir/shape.js';
import { ElemType } from '../tensor/element-type.js';
import { tensorFromProto, type TensorValue } from '../tensor/tensor-value.js';
import type { ShapeContext, ShapeRule, TensorInfo } from './types.js';
import {
  UNKNOWN_DIM, attrInt, attrInts, axis, broadcast, int64Tensor, isStatic, numbers, optionalInts, propagates, shapeError, staticSize,
} from './util.js';

/** Keeps the value when it is a small integer tensor. */
function withValue(info: TensorInfo, v: TensorValue | undefined): TensorInfo {
  if (v && propagates(v.elemType, v.dims)) info.value = v;
  return info;
}

/** Row-major strides of static dims. */
function strides(dims: readonly number[]): number[] {
  const s = new Array<number>(dims.length).fill(1);
  for (let i = dims.length - 2; i >= 0; i--) s[i] = s[i + 1]! * dims[i + 1]!;
  return s;
}

/** An int list given by an input (newer opsets) or an attribute (older ones); undefined when not known. */
function intsFromInputOrAttr(ctx: ShapeContext, inputIndex: number, attr: string): number[] | undefined | 'unknown' {
  if (ctx.inputCount > inputIndex && ctx.node.inputs[inputIndex]) {
    const v = ctx.value(inputIndex);
    return v ? numbers(v) : 'unknown';
  }
  return optionalInts(ctx.node, attr);
}

const reshape: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  let target: number[] | undefined;
  if (ctx.opset > 0 && ctx.opset < 5) target = optionalInts(ctx.node, 'shape');
  else {
    const v = ctx.value(1);
    target = v && numbers(v);
  }
  if (!target) return [{ shape: undefined, elemType: x?.elemType }];
  const allowZero = attrInt(ctx.node, 'allowzero', 0) === 1;
  const inShape = x?.shape;
  const out: Dim[] = target.map((d, i) => {
    if (d === 0 && !allowZero) return inShape ? inShape[i] ?? UNKNOWN_DIM : UNKNOWN_DIM;
    return d;
  });
  const minus = out.indexOf(-1);
  if (minus >= 0) {
    const total = inShape && staticSize(inShape);
    const rest = staticSize(out.filter((_, i) => i !== minus));
    out[minus] = total !== undefined && rest !== undefined && rest !== 0 ? total / rest : UNKNOWN_DIM;
  }
  const info: TensorInfo = { shape: out, elemType: x?.elemType };
  const xv = ctx.value(0);
  if (xv && isStatic(out)) withValue(info, { ...xv, dims: out });
  return [info];
};

const flatten: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  const s = x?.shape;
  if (!s) return [{ elemType: x?.elemType }];
  let a = attrInt(ctx.node, 'axis', 1);
  if (a < 0) a += s.length;
  const outer = staticSize(s.slice(0, a));
  const inner = staticSize(s.slice(a));
  return [{ shape: [outer ?? UNKNOWN_DIM, inner ?? UNKNOWN_DIM], elemType: x?.elemType }];
};

const transpose: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  const s = x?.shape;
  if (!s) return [{ elemType: x?.elemType }];
  const perm = optionalInts(ctx.node, 'perm') ?? s.map((_, i) => s.length - 1 - i);
  if (perm.length !== s.length) throw shapeError(ctx.node, `perm [${perm.join(',')}] does not match rank ${s.length}`);
  const shape = perm.map((p) => s[p]!);
  const info: TensorInfo = { shape, elemType: x?.elemType };
  const v = ctx.value(0);
  if (v && isStatic(shape) && isStatic(s)) {
    const src = numbers(v);
    const inStrides = strides(s);
    const outStrides = strides(shape);
    const out = new Array<number>(src.length);
    for (let k = 0; k < src.length; k++) {
      let rem = k;
      let idx = 0;
      for (let d = 0; d < shape.length; d++) {
        const pos = Math.floor(rem / outStrides[d]!);
        rem -= pos * outStrides[d]!;
        idx += pos * inStrides[perm[d]!]!;
      }
      out[k] = src[idx]!;
    }
    withValue(info, int64Tensor(shape, out));
  }
  return [info];
};

const squeeze: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  const s = x?.shape;
  const axes = intsFromInputOrAttr(ctx, 1, 'axes');
  if (!s || axes === 'unknown') return [{ elemType: x?.elemType }];
  const drop = new Set((axes ?? s.flatMap((d, i) => (d === 1 ? [i] : []))).map((a) => axis(ctx.node, a, s.length)));
  if (!axes && s.some((d) => typeof d !== 'number')) return [{ elemType: x?.elemType }];
  const shape = s.filter((_, i) => !drop.has(i));
  const v = ctx.value(0);
  return [withValue({ shape, elemType: x?.elemType }, v && isStatic(shape) ? { ...v, dims: shape } : undefined)];
};

const unsqueeze: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  const s = x?.shape;
  const axes = intsFromInputOrAttr(ctx, 1, 'axes');
  if (!s || !axes || axes === 'unknown') return [{ elemType: x?.elemType }];
  const rank = s.length + axes.length;
  const ins = new Set(axes.map((a) => axis(ctx.node, a, rank)));
  const shape: Dim[] = [];
  let k = 0;
  for (let i = 0; i < rank; i++) shape.push(ins.has(i) ? 1 : s[k++] ?? UNKNOWN_DIM);
  const v = ctx.value(0);
  return [withValue({ shape, elemType: x?.elemType }, v && isStatic(shape) ? { ...v, dims: shape } : undefined)];
};

const concat: ShapeRule = (ctx) => {
  const shapes: (Dim[] | undefined)[] = [];
  let elemType: number | undefined;
  for (let i = 0; i < ctx.inputCount; i++) {
    const inf = ctx.input(i);
    shapes.push(inf?.shape);
    elemType ??= inf?.elemType;
  }
  const known = shapes.find((s) => s !== undefined);
  if (!known || shapes.some((s) => s === undefined)) return [{ shape: known && known.map(() => UNKNOWN_DIM), elemType }];
  const a = axis(ctx.node, attrInt(ctx.node, 'axis'), known.length);
  const shape = [...known];
  let sum: Dim = 0;
  for (const s of shapes) {
    const d = s![a]!;
    sum = typeof sum === 'number' && typeof d === 'number' ? sum + d : UNKNOWN_DIM;
  }
  shape[a] = sum;
  for (let d = 0; d < shape.length; d++) {
    if (d !== a && typeof shape[d] !== 'number') shape[d] = shapes.map((s) => s![d]!).find((x) => typeof x === 'number') ?? shape[d]!;
  }
  const info: TensorInfo = { shape, elemType };
  // Values: only the common 1-D case (shape vectors).
  if (known.length === 1 && isStatic(shape)) {
    const parts: number[] = [];
    for (let i = 0; i < ctx.inputCount; i++) {
      const v = ctx.value(i);
      if (!v) return [info];
      parts.push(...numbers(v));
    }
    withValue(info, int64Tensor(shape, parts));
  }
  return [info];
};

const split: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  const n = ctx.node.outputs.length;
  const s = x?.shape;
  if (!s) return new Array(n).fill({ elemType: x?.elemType });
  const a = axis(ctx.node, attrInt(ctx.node, 'axis', 0), s.length);
  let sizes = intsFromInputOrAttr(ctx, 1, 'split');
  if (sizes === 'unknown') return new Array(n).fill({ shape: s.map(() => UNKNOWN_DIM), elemType: x?.elemType });
  const total = s[a]!;
  if (!sizes) {
    if (typeof total !== 'number') return new Array(n).fill({ shape: s.map((d, i) => (i === a ? UNKNOWN_DIM : d)), elemType: x?.elemType });
    const chunk = Math.ceil(total / n);
    sizes = Array.from({ length: n }, (_, i) => Math.max(0, Math.min(chunk, total - i * chunk)));
  }
  return sizes.map((len) => ({ shape: s.map((d, i) => (i === a ? len : d)), elemType: x?.elemType }));
};

/** ONNX Slice clamping: [0, dim] for positive steps; starts [0, dim-1] and ends [-1, dim-1] for negative ones. */
function clampIndex(v: number, dim: number, step: number, isStart: boolean): number {
  if (v < 0) v += dim;
  if (step > 0) return Math.max(0, Math.min(dim, v));
  return isStart ? Math.max(0, Math.min(dim - 1, v)) : Math.max(-1, Math.min(dim - 1, v));
}

const slice: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  const s = x?.shape;
  if (!s) return [{ elemType: x?.elemType }];
  let starts: number[] | undefined;
  let ends: number[] | undefined;
  let axes: number[] | undefined;
  let steps: number[] | undefined;
  if (ctx.opset > 0 && ctx.opset < 10) {
    starts = optionalInts(ctx.node, 'starts');
    ends = optionalInts(ctx.node, 'ends');
    axes = optionalInts(ctx.node, 'axes');
  } else {
    const sv = ctx.value(1);
    const ev = ctx.value(2);
    starts = sv && numbers(sv);
    ends = ev && numbers(ev);
    if (ctx.node.inputs[3]) {
      const av = ctx.value(3);
      if (!av) return [{ shape: s.map(() => UNKNOWN_DIM), elemType: x?.elemType }];
      axes = numbers(av);
    }
    if (ctx.node.inputs[4]) {
      const tv = ctx.value(4);
      if (!tv) return [{ shape: s.map(() => UNKNOWN_DIM), elemType: x?.elemType }];
      steps = numbers(tv);
    }
  }
  if (!starts || !ends) return [{ shape: s.map(() => UNKNOWN_DIM), elemType: x?.elemType }];
  const ax = (axes ?? starts.map((_, i) => i)).map((a) => axis(ctx.node, a, s.length));
  const shape = [...s];
  const ranges: { a: number; start: number; step: number; len: number }[] = [];
  ax.forEach((a, i) => {
    const dim = s[a]!;
    const step = steps?.[i] ?? 1;
    if (typeof dim !== 'number') {
      shape[a] = UNKNOWN_DIM;
      return;
    }
    const b = clampIndex(starts![i]!, dim, step, true);
    const e = clampIndex(ends![i]!, dim, step, false);
    const len = Math.max(0, Math.ceil((e - b) / step));
    shape[a] = len;
    ranges.push({ a, start: b, step, len });
  });
  const info: TensorInfo = { shape, elemType: x?.elemType };
  const v = ctx.value(0);
  if (v && s.length === 1 && isStatic(shape) && ranges.length === 1) {
    const src = numbers(v);
    const r = ranges[0]!;
    withValue(info, int64Tensor(shape, Array.from({ length: r.len }, (_, k) => src[r.start + k * r.step]!)));
  }
  return [info];
};

const gather: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  const s = x?.shape;
  const is = ctx.shape(1);
  if (!s || !is) return [{ elemType: x?.elemType }];
  const a = axis(ctx.node, attrInt(ctx.node, 'axis', 0), s.length);
  const shape = [...s.slice(0, a), ...is, ...s.slice(a + 1)];
  const info: TensorInfo = { shape, elemType: x?.elemType };
  const dv = ctx.value(0);
  const iv = ctx.value(1);
  if (dv && iv && s.length === 1 && isStatic(s)) {
    const src = numbers(dv);
    const idx = numbers(iv).map((i) => (i < 0 ? i + (s[0] as number) : i));
    withValue(info, int64Tensor(iv.dims, idx.map((i) => src[i]!)));
  }
  return [info];
};

const shapeOp: ShapeRule = (ctx) => {
  const s = ctx.shape(0);
  if (!s) return [{ shape: [UNKNOWN_DIM], elemType: ElemType.INT64 }];
  let start = attrInt(ctx.node, 'start', 0);
  let end = attrInt(ctx.node, 'end', s.length);
  if (start < 0) start += s.length;
  if (end < 0) end += s.length;
  start = Math.max(0, Math.min(s.length, start));
  end = Math.max(start, Math.min(s.length, end));
  const part = s.slice(start, end);
  const info: TensorInfo = { shape: [part.length], elemType: ElemType.INT64 };
  if (isStatic(part)) info.value = int64Tensor([part.length], part);
  return [info];
};

const size: ShapeRule = (ctx) => {
  const s = ctx.shape(0);
  const n = s && staticSize(s);
  const info: TensorInfo = { shape: [], elemType: ElemType.INT64 };
  if (n !== undefined) info.value = int64Tensor([], [n]);
  return [info];
};

/** The value a Constant node holds, from whichever value attribute it uses. */
export function constantValue(ctx: { node: ShapeContext['node'] }): TensorValue | undefined {
  const node = ctx.node;
  if (getAttribute(node, 'value')) return tensorFromProto(getTensor(node, 'value'));
  if (getAttribute(node, 'value_float')) return { elemType: ElemType.FLOAT, dims: [], data: Float32Array.of(getFloat(node, 'value_float')) };
  if (getAttribute(node, 'value_floats')) {
    const f = getAttribute(node, 'value_floats')!.floats ?? [];
    return { elemType: ElemType.FLOAT, dims: [f.length], data: Float32Array.from(f) };
  }
  if (getAttribute(node, 'value_int')) return int64Tensor([], [attrInt(node, 'value_int')]);
  if (getAttribute(node, 'value_ints')) {
    const v = attrInts(node, 'value_ints');
    return int64Tensor([v.length], v);
  }
  return undefined;
}

const constant: ShapeRule = (ctx) => {
  const v = constantValue(ctx);
  if (!v) return [undefined];
  return [withValue({ shape: [...v.dims], elemType: v.elemType }, v)];
};

const constantOfShape: ShapeRule = (ctx) => {
  const t = getAttribute(ctx.node, 'value') ? tensorFromProto(getTensor(ctx.node, 'value')) : undefined;
  const elemType = t?.elemType ?? ElemType.FLOAT;
  const v = ctx.value(0);
  if (!v) {
    const len = ctx.shape(0)?.[0];
    return [{ shape: typeof len === 'number' ? new Array<Dim>(len).fill(UNKNOWN_DIM) : undefined, elemType }];
  }
  const shape = numbers(v);
  const info: TensorInfo = { shape, elemType };
  if (t && propagates(elemType, shape)) {
    const fill = numbers(t)[0] ?? 0;
    withValue(info, int64Tensor(shape, new Array<number>(staticSize(shape)!).fill(fill)));
  }
  return [info];
};

const expand: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  const v = ctx.value(1);
  if (!v) return [{ elemType: x?.elemType }];
  return [{ shape: broadcast(ctx.node, [x?.shape, numbers(v)]), elemType: x?.elemType }];
};

const tile: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  const r = ctx.value(1);
  if (!x?.shape || !r) return [{ shape: x?.shape?.map(() => UNKNOWN_DIM), elemType: x?.elemType }];
  const reps = numbers(r);
  return [{ shape: x.shape.map((d, i) => (typeof d === 'number' ? d * reps[i]! : UNKNOWN_DIM)), elemType: x.elemType }];
};

const pad: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  const s = x?.shape;
  if (!s) return [{ elemType: x?.elemType }];
  let pads: number[] | undefined;
  if (ctx.opset > 0 && ctx.opset < 11) pads = optionalInts(ctx.node, 'pads') ?? optionalInts(ctx.node, 'paddings');
  else {
    const v = ctx.value(1);
    pads = v && numbers(v);
  }
  if (!pads) return [{ shape: s.map(() => UNKNOWN_DIM), elemType: x?.elemType }];
  let axes = s.map((_, i) => i);
  if (ctx.node.inputs[3]) {
    const av = ctx.value(3);
    if (!av) return [{ shape: s.map(() => UNKNOWN_DIM), elemType: x?.elemType }];
    axes = numbers(av).map((a) => axis(ctx.node, a, s.length));
  }
  const shape = [...s];
  axes.forEach((a, i) => {
    const d = s[a]!;
    shape[a] = typeof d === 'number' ? d + pads![i]! + pads![i + axes.length]! : UNKNOWN_DIM;
  });
  return [{ shape, elemType: x?.elemType }];
};

/** Resize (opset 10+: scales input 1 or 2, sizes input 3) and Upsample (scales attribute or input 1). */
const resize: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  const s = x?.shape;
  if (!s) return [{ elemType: x?.elemType }];
  const unknown = [{ shape: s.map(() => UNKNOWN_DIM), elemType: x?.elemType }];
  const op = ctx.node.opType;
  if (op === 'Resize' && ctx.node.inputs[3]) {
    const sz = ctx.value(3);
    return sz ? [{ shape: numbers(sz), elemType: x?.elemType }] : unknown;
  }
  let scales: number[] | undefined;
  if (op === 'Upsample' && ctx.opset > 0 && ctx.opset < 9) scales = getAttribute(ctx.node, 'scales')?.floats ?? undefined;
  else {
    const idx = op === 'Resize' && ctx.opset >= 11 ? 2 : 1;
    const v = ctx.node.inputs[idx] ? ctx.value(idx) : undefined;
    scales = v && numbers(v);
  }
  if (!scales || scales.length !== s.length) return unknown;
  return [{ shape: s.map((d, i) => (typeof d === 'number' ? Math.floor(d * scales![i]!) : UNKNOWN_DIM)), elemType: x?.elemType }];
};

const depthToSpace: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  const s = x?.shape;
  const b = attrInt(ctx.node, 'blocksize');
  if (!s || s.length !== 4) return [{ elemType: x?.elemType }];
  const [n, c, h, w] = s;
  const mul = (d: Dim | undefined, f: number): Dim => (typeof d === 'number' ? d * f : UNKNOWN_DIM);
  if (ctx.node.opType === 'DepthToSpace') return [{ shape: [n!, mul(c, 1 / (b * b)), mul(h, b), mul(w, b)], elemType: x?.elemType }];
  return [{ shape: [n!, mul(c, b * b), mul(h, 1 / b), mul(w, 1 / b)], elemType: x?.elemType }];
};

const topk: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  const s = x?.shape;
  if (!s) return [{ elemType: x?.elemType }, { elemType: ElemType.INT64 }];
  const a = axis(ctx.node, attrInt(ctx.node, 'axis', -1), s.length);
  let k: Dim = UNKNOWN_DIM;
  if (ctx.opset > 0 && ctx.opset < 10) k = attrInt(ctx.node, 'k');
  else {
    const v = ctx.value(1);
    if (v) k = numbers(v)[0]!;
  }
  const shape = s.map((d, i) => (i === a ? k : d));
  return [{ shape, elemType: x?.elemType }, { shape, elemType: ElemType.INT64 }];
};

function reduceShape(s: Dim[], axes: number[] | undefined, keep: boolean, ctx: ShapeContext): Dim[] {
  const set = new Set((axes ?? s.map((_, i) => i)).map((a) => axis(ctx.node, a, s.length)));
  const out: Dim[] = [];
  s.forEach((d, i) => {
    if (!set.has(i)) out.push(d);
    else if (keep) out.push(1);
  });
  return out;
}

const argReduce: ShapeRule = (ctx) => {
  const s = ctx.shape(0);
  if (!s) return [{ elemType: ElemType.INT64 }];
  return [{ shape: reduceShape(s, [attrInt(ctx.node, 'axis', 0)], attrInt(ctx.node, 'keepdims', 1) === 1, ctx), elemType: ElemType.INT64 }];
};

const reduce: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  const s = x?.shape;
  if (!s) return [{ elemType: x?.elemType }];
  const keep = attrInt(ctx.node, 'keepdims', 1) === 1;
  const axesFromInput = ctx.node.opType === 'ReduceSum' ? ctx.opset >= 13 : ctx.opset >= 18;
  let axes: number[] | undefined;
  if (axesFromInput && ctx.node.inputs[1]) {
    const v = ctx.value(1);
    if (!v) return [{ shape: keep ? s.map(() => UNKNOWN_DIM) : undefined, elemType: x?.elemType }];
    axes = numbers(v);
  } else if (!axesFromInput) axes = optionalInts(ctx.node, 'axes');
  if ((!axes || axes.length === 0) && attrInt(ctx.node, 'noop_with_empty_axes', 0) === 1) return [{ shape: s, elemType: x?.elemType }];
  return [{ shape: reduceShape(s, axes && axes.length ? axes : undefined, keep, ctx), elemType: x?.elemType }];
};

const range: ShapeRule = (ctx) => {
  const [a, b, d] = [ctx.value(0), ctx.value(1), ctx.value(2)];
  const elemType = ctx.input(0)?.elemType;
  if (!a || !b || !d) return [{ shape: [UNKNOWN_DIM], elemType }];
  const [start, limit, delta] = [numbers(a)[0]!, numbers(b)[0]!, numbers(d)[0]!];
  const n = Math.max(0, Math.ceil((limit - start) / delta));
  const info: TensorInfo = { shape: [n], elemType };
  if (propagates(elemType, [n])) withValue(info, int64Tensor([n], Array.from({ length: n }, (_, i) => start + i * delta)));
  return [info];
};

const quantizeLinear: ShapeRule = (ctx) => [{ shape: ctx.shape(0), elemType: ctx.input(2)?.elemType ?? ElemType.UINT8 }];
const dequantizeLinear: ShapeRule = (ctx) => [{ shape: ctx.shape(0), elemType: ctx.input(1)?.elemType ?? ElemType.FLOAT }];

export function tensorRules(): Map<string, ShapeRule> {
  const m = new Map<string, ShapeRule>();
  m.set('Reshape', reshape);
  m.set('Flatten', flatten);
  m.set('Transpose', transpose);
  m.set('Squeeze', squeeze);
  m.set('Unsqueeze', unsqueeze);
  m.set('Concat', concat);
  m.set('Split', split);
  m.set('Slice', slice);
  m.set('Gather', gather);
  m.set('Shape', shapeOp);
  m.set('Size', size);
  m.set('Constant', constant);
  m.set('ConstantOfShape', constantOfShape);
  m.set('Expand', expand);
  m.set('Tile', tile);
  m.set('Pad', pad);
  m.set('Resize', resize);
  m.set('Upsample', resize);
  m.set('DepthToSpace', depthToSpace);
  m.set('SpaceToDepth', depthToSpace);
  m.set('TopK', topk);
  m.set('ArgMax', argReduce);
  m.set('ArgMin', argReduce);
  for (const op of ['ReduceMean', 'ReduceSum', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL1', 'ReduceL2',
    'ReduceLogSum', 'ReduceLogSumExp', 'ReduceSumSquare']) m.set(op, reduce);
  m.set('Range', range);
  m.set('QuantizeLinear', quantizeLinear);
  m.set('DequantizeLinear', dequantizeLinear);
  return m;
}
