import { getAttribute, getFloat, getInt, getInts, getTensor, hasAttribute } from '../../ir/attributes.js';
import { ElemType } from '../../tensor/element-type.js';
import { tensorFromProto, type TensorValue } from '../../tensor/tensor-value.js';
import type { OpContext, OpImpl } from '../types.js';
import {
  allocData, broadcastIndex, broadcastShape, execError, fromF64, gatherData, intsOf, normAxis, numbersOf, product,
  stridesOf, unsupported, withDims,
} from '../values.js';

/** Ops that move data without arithmetic: reshapes, transposes, slicing, gathering, concatenation, padding. */

function req(inputs: readonly (TensorValue | undefined)[], i: number, ctx: OpContext): TensorValue {
  const t = inputs[i];
  if (t === undefined) throw execError(ctx.node, `input ${i} is missing`);
  return t;
}

function int64Tensor(values: readonly number[], dims: readonly number[] = [values.length]): TensorValue {
  return { elemType: ElemType.INT64, dims: dims.slice(), data: BigInt64Array.from(values, (v) => BigInt(v)) };
}

const reshape: OpImpl = (inputs, ctx) => {
  const x = req(inputs, 0, ctx);
  const allowZero = getInt(ctx.node, 'allowzero', 0) === 1;
  const spec = ctx.opset >= 5 ? intsOf(req(inputs, 1, ctx)) : getInts(ctx.node, 'shape');
  const n = product(x.dims);
  const dims = spec.map((d, i) => (d === 0 && !allowZero ? x.dims[i]! : d));
  const inferred = dims.indexOf(-1);
  if (inferred >= 0) {
    const known = product(dims.filter((_, i) => i !== inferred));
    dims[inferred] = known === 0 ? 0 : n / known;
  }
  if (product(dims) !== n || dims.some((d) => !Number.isInteger(d) || d < 0)) {
    throw execError(ctx.node, `cannot reshape [${x.dims.join(', ')}] to [${spec.join(', ')}]`);
  }
  return [withDims(x, dims)];
};

const flatten: OpImpl = (inputs, ctx) => {
  const x = req(inputs, 0, ctx);
  const r = x.dims.length;
  let axis = getInt(ctx.node, 'axis', 1);
  if (axis < 0) axis += r;
  if (axis < 0 || axis > r) throw execError(ctx.node, `axis ${axis} is out of range for rank ${r}`);
  return [withDims(x, [product(x.dims, 0, axis), product(x.dims, axis)])];
};

export function transposeTensor(x: TensorValue, perm: readonly number[]): TensorValue {
  const r = x.dims.length;
  const outDims = perm.map((p) => x.dims[p]!);
  const inStrides = stridesOf(x.dims);
  const n = product(x.dims);
  const idx = new Int32Array(n);
  const pStrides = perm.map((p) => inStrides[p]!);
  const counter = new Array<number>(r).fill(0);
  let off = 0;
  for (let i = 0; i < n; i++) {
    idx[i] = off;
    for (let d = r - 1; d >= 0; d--) {
      counter[d]!++;
      off += pStrides[d]!;
      if (counter[d]! < outDims[d]!) break;
      off -= pStrides[d]! * outDims[d]!;
      counter[d] = 0;
    }
  }
  return { elemType: x.elemType, dims: outDims, data: gatherData(x, idx) };
}

const transpose: OpImpl = (inputs, ctx) => {
  const x = req(inputs, 0, ctx);
  const r = x.dims.length;
  const perm = hasAttribute(ctx.node, 'perm') ? getInts(ctx.node, 'perm') : Array.from({ length: r }, (_, i) => r - 1 - i);
  if (perm.length !== r) throw execError(ctx.node, `perm has ${perm.length} entries for rank ${r}`);
  return [transposeTensor(x, perm.map((p) => normAxis(ctx.node, p, r)))];
};

/** Axes from the attribute (older opsets) or the second input (opset 13 on for Squeeze/Unsqueeze). */
function axesOf(inputs: readonly (TensorValue | undefined)[], ctx: OpContext, inputFrom: number): number[] | undefined {
  if (ctx.opset >= inputFrom) return inputs[1] === undefined ? undefined : intsOf(inputs[1]);
  return hasAttribute(ctx.node, 'axes') ? getInts(ctx.node, 'axes') : undefined;
}

const squeeze: OpImpl = (inputs, ctx) => {
  const x = req(inputs, 0, ctx);
  const r = x.dims.length;
  const axes = axesOf(inputs, ctx, 13);
  const drop = new Set(axes === undefined ? x.dims.flatMap((d, i) => (d === 1 ? [i] : [])) : axes.map((a) => normAxis(ctx.node, a, r)));
  for (const a of drop) if (x.dims[a] !== 1) throw execError(ctx.node, `cannot squeeze axis ${a} of size ${x.dims[a]}`);
  return [withDims(x, x.dims.filter((_, i) => !drop.has(i)))];
};

const unsqueeze: OpImpl = (inputs, ctx) => {
  const x = req(inputs, 0, ctx);
  const axes = axesOf(inputs, ctx, 13) ?? [];
  const r = x.dims.length + axes.length;
  const ins = new Set(axes.map((a) => normAxis(ctx.node, a, r)));
  const dims: number[] = [];
  let k = 0;
  for (let i = 0; i < r; i++) dims.push(ins.has(i) ? 1 : x.dims[k++]!);
  return [withDims(x, dims)];
};

/** Copies blocks: out = concatenation along `axis` of the given tensors (same container type). */
function concatTensors(ctx: OpContext, parts: readonly TensorValue[], axis: number): TensorValue {
  const first = parts[0]!;
  const dims = first.dims.slice();
  dims[axis] = parts.reduce((s, p) => s + p.dims[axis]!, 0);
  const outer = product(dims, 0, axis);
  const inner = product(dims, axis + 1);
  const n = product(dims);
  const out = Array.isArray(first.data) ? new Array<string>(n) : allocData(first.elemType, n);
  let colOff = 0;
  for (const p of parts) {
    if (p.dims.length !== dims.length || p.dims.some((d, i) => i !== axis && d !== dims[i])) {
      throw execError(ctx.node, `cannot concatenate [${p.dims.join(', ')}] with [${first.dims.join(', ')}] on axis ${axis}`);
    }
    const block = p.dims[axis]! * inner;
    const rowLen = dims[axis]! * inner;
    for (let o = 0; o < outer; o++) {
      const src = p.data as ArrayLike<unknown> & { subarray?: (a: number, b: number) => ArrayLike<unknown> };
      if (Array.isArray(out)) {
        for (let j = 0; j < block; j++) out[o * rowLen + colOff + j] = (p.data as string[])[o * block + j]!;
      } else {
        (out as Float32Array).set(src.subarray!(o * block, o * block + block) as Float32Array, o * rowLen + colOff);
      }
    }
    colOff += block;
  }
  return { elemType: first.elemType, dims, data: out };
}

const concat: OpImpl = (inputs, ctx) => {
  const parts = inputs.filter((t): t is TensorValue => t !== undefined);
  if (parts.length === 0) throw execError(ctx.node, 'needs at least one input');
  const axis = normAxis(ctx.node, getInt(ctx.node, 'axis', 0), parts[0]!.dims.length);
  // Empty inputs take part only through their shape.
  return [concatTensors(ctx, parts, axis)];
};

/** Elements [start, start+len) along `axis`. */
function sliceAxis(x: TensorValue, axis: number, start: number, len: number): TensorValue {
  const outer = product(x.dims, 0, axis);
  const inner = product(x.dims, axis + 1);
  const dims = x.dims.slice();
  dims[axis] = len;
  const idx = new Int32Array(outer * len * inner);
  let k = 0;
  for (let o = 0; o < outer; o++) {
    const base = (o * x.dims[axis]! + start) * inner;
    for (let j = 0; j < len * inner; j++) idx[k++] = base + j;
  }
  return { elemType: x.elemType, dims, data: gatherData(x, idx) };
}

const split: OpImpl = (inputs, ctx) => {
  const x = req(inputs, 0, ctx);
  const axis = normAxis(ctx.node, getInt(ctx.node, 'axis', 0), x.dims.length);
  const outputs = ctx.node.outputs.length;
  let sizes: number[] | undefined;
  if (ctx.opset >= 13) sizes = inputs[1] === undefined ? undefined : intsOf(inputs[1]);
  else if (hasAttribute(ctx.node, 'split')) sizes = getInts(ctx.node, 'split');
  else if (inputs[1] !== undefined) sizes = intsOf(inputs[1]);
  const total = x.dims[axis]!;
  if (sizes === undefined) {
    const parts = hasAttribute(ctx.node, 'num_outputs') ? getInt(ctx.node, 'num_outputs') : outputs;
    const chunk = Math.ceil(total / parts);
    sizes = Array.from({ length: parts }, (_, i) => Math.max(0, Math.min(chunk, total - i * chunk)));
  }
  if (sizes.reduce((a, b) => a + b, 0) !== total) throw execError(ctx.node, `split sizes [${sizes.join(', ')}] do not add up to ${total}`);
  const out: TensorValue[] = [];
  let start = 0;
  for (const s of sizes) {
    out.push(sliceAxis(x, axis, start, s));
    start += s;
  }
  return out;
};

/** Slice (opset 10 on: starts/ends/axes/steps inputs; before: attributes). */
const slice: OpImpl = (inputs, ctx) => {
  const x = req(inputs, 0, ctx);
  const r = x.dims.length;
  let starts: number[]; let ends: number[]; let axes: number[] | undefined; let steps: number[] | undefined;
  if (ctx.opset >= 10) {
    starts = intsOf(req(inputs, 1, ctx));
    ends = intsOf(req(inputs, 2, ctx));
    axes = inputs[3] === undefined ? undefined : intsOf(inputs[3]);
    steps = inputs[4] === undefined ? undefined : intsOf(inputs[4]);
  } else {
    starts = getInts(ctx.node, 'starts');
    ends = getInts(ctx.node, 'ends');
    axes = hasAttribute(ctx.node, 'axes') ? getInts(ctx.node, 'axes') : undefined;
  }
  axes ??= starts.map((_, i) => i);
  const begin = new Array<number>(r).fill(0);
  const step = new Array<number>(r).fill(1);
  const count = x.dims.slice();
  axes.forEach((a0, i) => {
    const a = normAxis(ctx.node, a0, r);
    const d = x.dims[a]!;
    const st = steps?.[i] ?? 1;
    if (st === 0) throw execError(ctx.node, 'slice step 0');
    let s = starts[i]!;
    let e = ends[i]!;
    if (s < 0) s += d;
    if (e < 0) e += d;
    if (st > 0) {
      s = Math.max(0, Math.min(s, d));
      e = Math.max(0, Math.min(e, d));
      count[a] = Math.max(0, Math.ceil((e - s) / st));
    } else {
      s = Math.max(-1, Math.min(s, d - 1));
      e = Math.max(-1, Math.min(e, d - 1));
      count[a] = Math.max(0, Math.ceil((s - e) / -st));
    }
    begin[a] = s;
    step[a] = st;
  });
  const strides = stridesOf(x.dims);
  const n = product(count);
  const idx = new Int32Array(n);
  const c = new Array<number>(r).fill(0);
  for (let i = 0; i < n; i++) {
    let off = 0;
    for (let d = 0; d < r; d++) off += (begin[d]! + c[d]! * step[d]!) * strides[d]!;
    idx[i] = off;
    for (let d = r - 1; d >= 0; d--) {
      if (++c[d]! < count[d]!) break;
      c[d] = 0;
    }
  }
  return [{ elemType: x.elemType, dims: count, data: gatherData(x, idx) }];
};

const gather: OpImpl = (inputs, ctx) => {
  const x = req(inputs, 0, ctx);
  const ind = req(inputs, 1, ctx);
  const axis = normAxis(ctx.node, getInt(ctx.node, 'axis', 0), x.dims.length);
  const indices = numbersOf(ind);
  const outer = product(x.dims, 0, axis);
  const inner = product(x.dims, axis + 1);
  const d = x.dims[axis]!;
  const dims = [...x.dims.slice(0, axis), ...ind.dims, ...x.dims.slice(axis + 1)];
  const m = indices.length;
  const idx = new Int32Array(outer * m * inner);
  let k = 0;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      let t = indices[j]!;
      if (t < 0) t += d;
      if (t < 0 || t >= d) throw execError(ctx.node, `index ${indices[j]} is out of range for axis of size ${d}`);
      const base = (o * d + t) * inner;
      for (let q = 0; q < inner; q++) idx[k++] = base + q;
    }
  }
  return [{ elemType: x.elemType, dims, data: gatherData(x, idx) }];
};

const shape: OpImpl = (inputs, ctx) => {
  const x = req(inputs, 0, ctx);
  const r = x.dims.length;
  let start = getInt(ctx.node, 'start', 0);
  let end = hasAttribute(ctx.node, 'end') ? getInt(ctx.node, 'end') : r;
  if (start < 0) start += r;
  if (end < 0) end += r;
  start = Math.max(0, Math.min(start, r));
  end = Math.max(0, Math.min(end, r));
  return [int64Tensor(x.dims.slice(start, Math.max(start, end)))];
};

const size: OpImpl = (inputs, ctx) => [int64Tensor([product(req(inputs, 0, ctx).dims)], [])];

const identity: OpImpl = (inputs, ctx) => [req(inputs, 0, ctx)];

const cast: OpImpl = (inputs, ctx) => {
  const x = req(inputs, 0, ctx);
  const to = getInt(ctx.node, 'to');
  if (getInt(ctx.node, 'saturate', 1) === 0) throw unsupported(ctx.node, 'unsupported attribute saturate=0');
  if (Array.isArray(x.data) || to === ElemType.STRING) throw unsupported(ctx.node, 'casts from or to STRING are not supported');
  if (to === x.elemType) return [x];
  const intTarget = to !== ElemType.BOOL && !isFloatCode(to);
  const src = numbersOf(x);
  if (intTarget && isFloatCode(x.elemType)) {
    const t = new Float64Array(src.length);
    for (let i = 0; i < src.length; i++) t[i] = Number.isFinite(src[i]!) ? Math.trunc(src[i]!) : 0;
    return [fromF64(to, x.dims, t)];
  }
  if (x.data instanceof BigInt64Array && (to === ElemType.INT64 || to === ElemType.UINT64)) {
    const out = to === ElemType.INT64 ? BigInt64Array.from(x.data) : BigUint64Array.from(x.data, (v) => BigInt.asUintN(64, v));
    return [{ elemType: to, dims: x.dims.slice(), data: out }];
  }
  if (isNarrowFloat(to)) throw unsupported(ctx.node, 'casts to 8-bit and 4-bit float formats are not supported');
  return [fromF64(to, x.dims, src)];
};

function isFloatCode(t: number): boolean {
  return t === ElemType.FLOAT || t === ElemType.DOUBLE || t === ElemType.FLOAT16 || t === ElemType.BFLOAT16 || isNarrowFloat(t);
}

function isNarrowFloat(t: number): boolean {
  return (t >= ElemType.FLOAT8E4M3FN && t <= ElemType.FLOAT8E5M2FNUZ) || t === ElemType.FLOAT4E2M1 || t === ElemType.FLOAT8E8M0;
}

const constant: OpImpl = (_inputs, ctx) => {
  const node = ctx.node;
  if (hasAttribute(node, 'value')) return [tensorFromProto(getTensor(node, 'value'))];
  if (hasAttribute(node, 'value_float')) return [fromF64(ElemType.FLOAT, [], [getFloat(node, 'value_float')])];
  if (hasAttribute(node, 'value_floats')) {
    const v = getAttribute(node, 'value_floats')!.floats ?? [];
    return [fromF64(ElemType.FLOAT, [v.length], v)];
  }
  if (hasAttribute(node, 'value_int')) return [int64Tensor([getInt(node, 'value_int')], [])];
  if (hasAttribute(node, 'value_ints')) return [int64Tensor(getInts(node, 'value_ints'))];
  throw unsupported(node, 'only value, value_float(s) and value_int(s) attributes are supported');
};

const constantOfShape: OpImpl = (inputs, ctx) => {
  const dims = intsOf(req(inputs, 0, ctx));
  const v = hasAttribute(ctx.node, 'value')
    ? tensorFromProto(getTensor(ctx.node, 'value'))
    : { elemType: ElemType.FLOAT, dims: [1], data: new Float32Array(1) };
  const n = product(dims);
  const out = allocData(v.elemType, n);
  (out as Float32Array).fill((v.data as Float32Array)[0]!);
  return [{ elemType: v.elemType, dims, data: out }];
};

const expand: OpImpl = (inputs, ctx) => {
  const x = req(inputs, 0, ctx);
  const dims = broadcastShape(ctx.node, [x.dims, intsOf(req(inputs, 1, ctx))]);
  const idx = broadcastIndex(x.dims, dims);
  if (idx === undefined) return [withDims(x, dims)];
  return [{ elemType: x.elemType, dims, data: gatherData(x, idx) }];
};

const tile: OpImpl = (inputs, ctx) => {
  const x = req(inputs, 0, ctx);
  const reps = intsOf(req(inputs, 1, ctx));
  const r = x.dims.length;
  const dims = x.dims.map((d, i) => d * reps[i]!);
  const n = product(dims);
  const inStrides = stridesOf(x.dims);
  const idx = new Int32Array(n);
  const c = new Array<number>(r).fill(0);
  for (let i = 0; i < n; i++) {
    let off = 0;
    for (let d = 0; d < r; d++) off += (c[d]! % x.dims[d]!) * inStrides[d]!;
    idx[i] = off;
    for (let d = r - 1; d >= 0; d--) {
      if (++c[d]! < dims[d]!) break;
      c[d] = 0;
    }
  }
  return [{ elemType: x.elemType, dims, data: gatherData(x, idx) }];
};

const pad: OpImpl = (inputs, ctx) => {
  const x = req(inputs, 0, ctx);
  const r = x.dims.length;
  const mode = ctx.node.attributes.find((a) => a.name === 'mode')?.s;
  const modeName = mode ? new TextDecoder().decode(mode) : 'constant';
  let pads: number[];
  let value = 0;
  let axes: number[] | undefined;
  if (ctx.opset >= 11) {
    pads = intsOf(req(inputs, 1, ctx));
    if (inputs[2] !== undefined && inputs[2].data.length > 0) value = Number((inputs[2].data as ArrayLike<number | bigint>)[0]!);
    if (inputs[3] !== undefined) axes = intsOf(inputs[3]).map((a) => normAxis(ctx.node, a, r));
  } else {
    pads = getInts(ctx.node, ctx.opset >= 2 ? 'pads' : 'paddings');
    value = getFloat(ctx.node, 'value', 0);
  }
  const before = new Array<number>(r).fill(0);
  const after = new Array<number>(r).fill(0);
  const ax = axes ?? Array.from({ length: r }, (_, i) => i);
  ax.forEach((a, i) => {
    before[a] = pads[i]!;
    after[a] = pads[i + ax.length]!;
  });
  const dims = x.dims.map((d, i) => d + before[i]! + after[i]!);
  const n = product(dims);
  const inStrides = stridesOf(x.dims);
  const src = numbersOf(x);
  const out = new Float64Array(n);
  const c = new Array<number>(r).fill(0);
  for (let i = 0; i < n; i++) {
    let off = 0;
    let inside = true;
    for (let d = 0; d < r; d++) {
      let p = c[d]! - before[d]!;
      const size = x.dims[d]!;
      if (p < 0 || p >= size) {
        if (modeName === 'constant') { inside = false; break; }
        if (modeName === 'edge') p = p < 0 ? 0 : size - 1;
        else if (modeName === 'reflect') {
          const period = 2 * (size - 1);
          if (period === 0) p = 0;
          else { p = ((p % period) + period) % period; if (p >= size) p = period - p; }
        } else if (modeName === 'wrap') p = ((p % size) + size) % size;
        else throw unsupported(ctx.node, `unsupported attribute mode=${modeName}`);
      }
      off += p * inStrides[d]!;
    }
    out[i] = inside ? src[off]! : value;
    for (let d = r - 1; d >= 0; d--) {
      if (++c[d]! < dims[d]!) break;
      c[d] = 0;
    }
  }
  return [fromF64(x.elemType, dims, out)];
};

const range: OpImpl = (inputs, ctx) => {
  const start = Number(req(inputs, 0, ctx).data[0]);
  const limit = Number(req(inputs, 1, ctx).data[0]);
  const delta = Number(req(inputs, 2, ctx).data[0]);
  const n = Math.max(0, Math.ceil((limit - start) / delta));
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = start + i * delta;
  return [fromF64(inputs[0]!.elemType, [n], out)];
};

const depthToSpaceLike = (toSpace: boolean): OpImpl => (inputs, ctx) => {
  const x = req(inputs, 0, ctx);
  const b = getInt(ctx.node, 'blocksize');
  const [n, c, h, w] = x.dims as [number, number, number, number];
  if (toSpace) {
    const crd = ctx.node.attributes.find((a) => a.name === 'mode')?.s;
    const mode = crd ? new TextDecoder().decode(crd) : 'DCR';
    const tmp = mode === 'DCR'
      ? transposeTensor(withDims(x, [n, b, b, c / (b * b), h, w]), [0, 3, 4, 1, 5, 2])
      : transposeTensor(withDims(x, [n, c / (b * b), b, b, h, w]), [0, 1, 4, 2, 5, 3]);
    return [withDims(tmp, [n, c / (b * b), h * b, w * b])];
  }
  const tmp = transposeTensor(withDims(x, [n, c, h / b, b, w / b, b]), [0, 3, 5, 1, 2, 4]);
  return [withDims(tmp, [n, c * b * b, h / b, w / b])];
};

export const SHAPE_OPS: Record<string, OpImpl> = {
  Reshape: reshape,
  Flatten: flatten,
  Transpose: transpose,
  Squeeze: squeeze,
  Unsqueeze: unsqueeze,
  Concat: concat,
  Split: split,
  Slice: slice,
  Gather: gather,
  Shape: shape,
  Size: size,
  Identity: identity,
  Cast: cast,
  Constant: constant,
  ConstantOfShape: constantOfShape,
  Expand: expand,
  Tile: tile,
  Pad: pad,
  Range: range,
  DepthToSpace: depthToSpaceLike(true),
  SpaceToDepth: depthToSpaceLike(false),
};
