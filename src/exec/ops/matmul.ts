import { getFloat, getInt } from '../../ir/attributes.js';
import { ElemType } from '../../tensor/element-type.js';
import type { TensorValue } from '../../tensor/tensor-value.js';
import type { OpContext, OpImpl } from '../types.js';
import { broadcastF64, broadcastShape, execError, fromF64, numbersOf, product, unsupported } from '../values.js';

/** Matrix products, accumulated in float64 and rounded once into the output type. */

function req(inputs: readonly (TensorValue | undefined)[], i: number, ctx: OpContext): TensorValue {
  const t = inputs[i];
  if (t === undefined) throw execError(ctx.node, `input ${i} is missing`);
  return t;
}

/** out[m×n] += a[m×k] · b[k×n] (row-major slices at the given offsets). i-k-j order keeps b's rows hot. */
function gemmInto(
  a: ArrayLike<number>, aOff: number, b: ArrayLike<number>, bOff: number, out: Float64Array, oOff: number,
  m: number, k: number, n: number,
): void {
  for (let i = 0; i < m; i++) {
    const orow = oOff + i * n;
    const arow = aOff + i * k;
    for (let p = 0; p < k; p++) {
      const av = a[arow + p]!;
      if (av === 0) continue;
      const brow = bOff + p * n;
      for (let j = 0; j < n; j++) out[orow + j]! += av * b[brow + j]!;
    }
  }
}

/** numpy.matmul semantics: 1-D operands gain and then lose a dimension; batch dims broadcast. */
export function matmulTensors(ctx: OpContext, A: TensorValue, B: TensorValue, outType = A.elemType): TensorValue {
  if (A.dims.length === 0 || B.dims.length === 0) throw execError(ctx.node, 'MatMul operands must not be scalars');
  const aDims = A.dims.length === 1 ? [1, A.dims[0]!] : A.dims;
  const bDims = B.dims.length === 1 ? [B.dims[0]!, 1] : B.dims;
  const m = aDims[aDims.length - 2]!;
  const k = aDims[aDims.length - 1]!;
  const k2 = bDims[bDims.length - 2]!;
  const n = bDims[bDims.length - 1]!;
  if (k !== k2) throw execError(ctx.node, `MatMul shapes [${A.dims.join(', ')}] and [${B.dims.join(', ')}] do not match`);
  const batch = broadcastShape(ctx.node, [aDims.slice(0, -2), bDims.slice(0, -2)]);
  const bb = product(batch);
  // Operands whose batch part already has the full batch size are read in place; others are broadcast.
  const a = product(aDims.slice(0, -2)) === bb ? numbersOf(A) : broadcastF64({ ...A, dims: aDims }, [...batch, m, k]);
  const b = product(bDims.slice(0, -2)) === bb ? numbersOf(B) : broadcastF64({ ...B, dims: bDims }, [...batch, k, n]);
  const out = new Float64Array(bb * m * n);
  for (let t = 0; t < bb; t++) gemmInto(a, t * m * k, b, t * k * n, out, t * m * n, m, k, n);
  const dims = [...batch];
  if (A.dims.length !== 1) dims.push(m);
  if (B.dims.length !== 1) dims.push(n);
  return fromF64(outType, dims, out);
}

const matmul: OpImpl = (inputs, ctx) => [matmulTensors(ctx, req(inputs, 0, ctx), req(inputs, 1, ctx))];

function transpose2d(v: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = v[i * cols + j]!;
  return out;
}

const gemm: OpImpl = (inputs, ctx) => {
  const A = req(inputs, 0, ctx);
  const B = req(inputs, 1, ctx);
  const C = inputs[2];
  if (A.dims.length !== 2 || B.dims.length !== 2) throw unsupported(ctx.node, 'Gemm operands must be 2-D');
  const alpha = getFloat(ctx.node, 'alpha', 1);
  const beta = getFloat(ctx.node, 'beta', 1);
  const tA = getInt(ctx.node, 'transA', 0) === 1;
  const tB = getInt(ctx.node, 'transB', 0) === 1;
  const [ar, ac] = A.dims as [number, number];
  const [br, bc] = B.dims as [number, number];
  const a = tA ? transpose2d(numbersOf(A), ar, ac) : numbersOf(A);
  const b = tB ? transpose2d(numbersOf(B), br, bc) : numbersOf(B);
  const m = tA ? ac : ar;
  const k = tA ? ar : ac;
  const k2 = tB ? bc : br;
  const n = tB ? br : bc;
  if (k !== k2) throw execError(ctx.node, `Gemm shapes [${A.dims.join(', ')}] and [${B.dims.join(', ')}] do not match`);
  const out = new Float64Array(m * n);
  gemmInto(a, 0, b, 0, out, 0, m, k, n);
  // Each step rounded to the output type, as MatMul, Mul and Add compute it one op at a time: lowering a Gemm
  // (GemmToMatMul) then leaves outputs bit-identical.
  const toOut = A.elemType === ElemType.FLOAT ? Math.fround : (v: number) => v;
  if (alpha !== 1) for (let i = 0; i < out.length; i++) out[i] = toOut(out[i]!) * alpha;
  if (C !== undefined && beta !== 0) {
    const c = broadcastF64(C, [m, n]);
    for (let i = 0; i < out.length; i++) out[i] = toOut(out[i]!) + toOut(beta * c[i]!);
  }
  return [fromF64(A.elemType, [m, n], out)];
};

export const MATMUL_OPS: Record<string, OpImpl> = { MatMul: matmul, Gemm: gemm };
