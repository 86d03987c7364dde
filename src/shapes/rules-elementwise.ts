/** Elementwise ops: unary (same shape and type), broadcasting binary/variadic ops, comparisons. */
import { ElemType } from '../tensor/element-type.js';
import type { TensorValue } from '../tensor/tensor-value.js';
import type { ShapeContext, ShapeRule, TensorInfo } from './types.js';
import { broadcast, isStatic, numbers, propagates, sameTypeTensor, attrInt } from './util.js';

/** Output 0 like input 0. */
export const sameAsInput: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  return [x && { shape: x.shape, elemType: x.elemType }];
};

const UNARY = [
  'Abs', 'Acos', 'Acosh', 'Asin', 'Asinh', 'Atan', 'Atanh', 'Ceil', 'Celu', 'Clip', 'Cos', 'Cosh', 'Elu', 'Erf', 'Exp',
  'Floor', 'Gelu', 'HardSigmoid', 'HardSwish', 'Hardmax', 'Identity', 'LeakyRelu', 'Log', 'LogSoftmax', 'LRN', 'Mish',
  'Neg', 'Reciprocal', 'Relu', 'Round', 'Selu', 'Shrink', 'Sigmoid', 'Sign', 'Sin', 'Sinh', 'Softmax', 'Softplus',
  'Softsign', 'Sqrt', 'Tan', 'Tanh', 'ThresholdedRelu', 'InstanceNormalization', 'MeanVarianceNormalization', 'Not',
  'CumSum', 'Trilu', 'BitwiseNot',
];

const BOOL_UNARY = ['IsNaN', 'IsInf'];

/** Integer arithmetic on small constant values, so shape computations (e.g. dim * 2) stay known. */
function arith(op: string): ((a: number, b: number) => number) | undefined {
  switch (op) {
    case 'Add': case 'Sum': return (a, b) => a + b;
    case 'Sub': return (a, b) => a - b;
    case 'Mul': return (a, b) => a * b;
    case 'Div': return (a, b) => Math.trunc(a / b);
    case 'Max': return Math.max;
    case 'Min': return Math.min;
    default: return undefined;
  }
}

function foldValues(ctx: ShapeContext, shape: number[], elemType: number): TensorValue | undefined {
  const f = arith(ctx.node.opType);
  if (!f || !propagates(elemType, shape)) return undefined;
  const vals: { v: number[]; dims: number[] }[] = [];
  for (let i = 0; i < ctx.inputCount; i++) {
    const v = ctx.value(i);
    if (!v) return undefined;
    vals.push({ v: numbers(v), dims: v.dims });
  }
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Array<number>(n);
  for (let k = 0; k < n; k++) {
    let acc: number | undefined;
    for (const { v, dims } of vals) {
      // Index into a broadcast operand: drop leading dims and use 0 along size-1 dims.
      let rem = k;
      let idx = 0;
      let stride = 1;
      for (let d = shape.length - 1; d >= 0; d--) {
        const pos = rem % shape[d]!;
        rem = Math.floor(rem / shape[d]!);
        const j = d - (shape.length - dims.length);
        if (j < 0) continue;
        if (dims[j] !== 1) idx += pos * stride;
        stride *= dims[j]!;
      }
      acc = acc === undefined ? v[idx]! : f(acc, v[idx]!);
    }
    out[k] = acc!;
  }
  return sameTypeTensor(elemType, shape, out);
}

const broadcasting = (resultType?: number): ShapeRule => (ctx) => {
  const infos: (TensorInfo | undefined)[] = [];
  for (let i = 0; i < ctx.inputCount; i++) infos.push(ctx.input(i));
  const shape = broadcast(ctx.node, infos.map((x) => x?.shape));
  // Where's type comes from its value inputs; PRelu/Pow/BitShift follow input 0.
  const typeSource = ctx.node.opType === 'Where' ? infos[1] : infos[0];
  const elemType = resultType ?? typeSource?.elemType ?? infos.find((x) => x?.elemType)?.elemType;
  const out: TensorInfo = { shape, elemType };
  if (isStatic(shape) && elemType !== undefined) {
    const v = foldValues(ctx, shape, elemType);
    if (v) out.value = v;
  }
  return [out];
};

const BINARY = ['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min', 'Sum', 'Mean', 'Mod', 'PRelu', 'BitShift', 'Where',
  'BitwiseAnd', 'BitwiseOr', 'BitwiseXor'];
const COMPARE = ['Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual', 'And', 'Or', 'Xor'];

/** Cast: like input 0 with the `to` type; small integer values follow. */
const cast: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  const to = attrInt(ctx.node, 'to');
  const out: TensorInfo = { shape: x?.shape, elemType: to };
  const v = ctx.value(0);
  if (v && propagates(to, v.dims)) out.value = sameTypeTensor(to, v.dims, numbers(v).map(Math.trunc));
  return [out];
};

const castLike: ShapeRule = (ctx) => [{ shape: ctx.shape(0), elemType: ctx.input(1)?.elemType }];

export function elementwiseRules(): Map<string, ShapeRule> {
  const m = new Map<string, ShapeRule>();
  for (const op of UNARY) m.set(op, sameAsInput);
  for (const op of BOOL_UNARY) m.set(op, (ctx) => [{ shape: ctx.shape(0), elemType: ElemType.BOOL }]);
  for (const op of BINARY) m.set(op, broadcasting());
  for (const op of COMPARE) m.set(op, broadcasting(ElemType.BOOL));
  m.set('Cast', cast);
  m.set('CastLike', castLike);
  return m;
}
