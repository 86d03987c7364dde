/**
 * Per-op DataType rules (QONNX InferDataTypes semantics, finn-qonnx reference §4/§5):
 * - quantizers: integer types when scale is 1 and zero point 0, else FLOAT32 (SCALEDINT<b> when allowed);
 * - MultiThreshold: the value set out_scale·{0..steps}+out_bias (out_dtype when it holds it);
 * - data movement (Reshape, Transpose, MaxPool, Im2Col, ...): the input's type;
 * - MatMul/Gemm/Conv: as FINN, INT32 for integer inputs (UINT32 when all unsigned), FLOAT32 otherwise;
 * - Add/Sub/Mul of integer operands: the smallest type holding the interval of results (range analysis);
 * - anything else: FLOAT32 (or the integer type matching an integer ONNX element type).
 */
import { DataTypes, tryParseDataType } from '../datatype/registry.js';
import { smallestDataType, smallestDataTypeFor } from '../datatype/smallest.js';
import type { DataType } from '../datatype/datatype.js';
import { getAttribute, getFloat, getString } from '../ir/attributes.js';
import { QONNX_GENERAL_DOMAIN } from '../ir/domains.js';
import { ElemType } from '../tensor/element-type.js';
import { tensorToNumbers, type TensorValue } from '../tensor/tensor-value.js';
import { attrInt } from '../shapes/util.js';
import type { DatatypeContext, DatatypeRule } from './types.js';

const F32 = DataTypes.FLOAT32;

function allEqual(v: TensorValue | undefined, x: number): boolean {
  if (!v) return false;
  const n = tensorToNumbers(v);
  for (let i = 0; i < n.length; i++) if (n[i] !== x) return false;
  return true;
}

function scalar(v: TensorValue | undefined): number | undefined {
  if (!v) return undefined;
  const n = tensorToNumbers(v);
  return n.length === 1 ? n[0] : undefined;
}

/** Integer type of `bits` for a quantizer, or the scaled/float fallback. */
function quantizerType(ctx: DatatypeContext, bits: number | undefined, signed: boolean, scaleIdx: number, zeroIdx: number | undefined): DataType {
  if (bits === undefined || !Number.isInteger(bits) || bits < 1) return F32;
  const zeroOk = zeroIdx === undefined || allEqual(ctx.value(zeroIdx), 0);
  if (zeroOk && allEqual(ctx.value(scaleIdx), 1)) {
    if (bits === 1) return signed ? DataTypes.BIPOLAR : DataTypes.BINARY;
    return signed ? DataTypes.INT(bits) : DataTypes.UINT(bits);
  }
  if (zeroOk && ctx.allowScaledInt) return DataTypes.SCALEDINT(bits);
  return F32;
}

const quant: DatatypeRule = (ctx) => [quantizerType(ctx, scalar(ctx.value(3)), attrInt(ctx.node, 'signed', 1) === 1, 1, 2)];

const bipolarQuant: DatatypeRule = (ctx) => {
  if (allEqual(ctx.value(1), 1)) return [DataTypes.BIPOLAR];
  return [ctx.allowScaledInt ? DataTypes.SCALEDINT(1) : F32];
};

/** Trunc v1 (X, scale, zeropt, in_bw, out_bw) is signed; v2 adds out_scale before out_bw and a `signed` attribute. */
const trunc: DatatypeRule = (ctx) => {
  const v2 = ctx.inputCount >= 6;
  const bits = scalar(ctx.value(v2 ? 5 : 4));
  const signed = attrInt(ctx.node, 'signed', 1) === 1;
  if (v2 && !allEqual(ctx.value(4), 1)) return [ctx.allowScaledInt && bits ? DataTypes.SCALEDINT(bits) : F32];
  return [quantizerType(ctx, bits, signed, 1, 2)];
};

const multiThreshold: DatatypeRule = (ctx) => {
  const outType = getAttribute(ctx.node, 'out_dtype') ? getString(ctx.node, 'out_dtype') : undefined;
  const scale = getFloat(ctx.node, 'out_scale', 1);
  const bias = getFloat(ctx.node, 'out_bias', 0);
  const tshape = ctx.shape(1);
  const steps = tshape?.[tshape.length - 1];
  if (typeof steps !== 'number') return [undefined];
  const values: number[] = [];
  for (let c = 0; c <= steps; c++) values.push(scale * c + bias);
  if (values.some((v) => !Number.isInteger(v))) return [F32];
  if (outType) {
    const declared = tryParseDataType(outType);
    if (declared && values.every((v) => declared.allowed(v))) return [declared];
  }
  return [smallestDataTypeFor(values)];
};

/** The input's type (data movement and selection ops). */
const passThrough: DatatypeRule = (ctx) => [ctx.input(0)];

/** Concat/Max/Min of several tensors: one type when they agree, else the smallest holding all ranges. */
const union: DatatypeRule = (ctx) => {
  const types: DataType[] = [];
  for (let i = 0; i < ctx.inputCount; i++) {
    const t = typeOrConstant(ctx, i);
    if (!t) continue;
    types.push(t);
  }
  if (types.length === 0) return [F32];
  if (types.every((t) => t.equals(types[0]!))) return [types[0]];
  if (!types.every((t) => t.isInteger())) return [F32];
  return [smallestDataType(Math.min(...types.map((t) => t.min())), Math.max(...types.map((t) => t.max())))];
};

/** An input's type; a constant's type comes from its values (integer-valued constants count as integers). */
function typeOrConstant(ctx: DatatypeContext, i: number): DataType | undefined {
  const v = ctx.value(i);
  if (v) {
    const n = tensorToNumbers(v);
    return n.length === 0 ? undefined : smallestDataTypeFor(n);
  }
  return ctx.input(i);
}

/** Value interval of a tensor: the constant's extremes or its type's bounds; undefined unless integer. */
function interval(ctx: DatatypeContext, i: number): [number, number] | undefined {
  const v = ctx.value(i);
  if (v) {
    // Float weights are read in place (no float64 copy of a large tensor); other types go through the conversion.
    const n = v.elemType === ElemType.FLOAT || v.elemType === ElemType.DOUBLE ? (v.data as Float32Array | Float64Array) : tensorToNumbers(v);
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = 0; k < n.length; k++) {
      const x = n[k]!;
      if (!Number.isInteger(x)) return undefined;
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    return n.length ? [lo, hi] : undefined;
  }
  const t = ctx.input(i);
  return t && t.isInteger() ? [t.min(), t.max()] : undefined;
}

const arithmetic = (op: 'Add' | 'Sub' | 'Mul'): DatatypeRule => (ctx) => {
  // Float data (the common case) needs no look at the constant operand, which may be large.
  const a = interval(ctx, 0);
  if (!a) return [F32];
  const b = interval(ctx, 1);
  if (!b) return [F32];
  let lo: number;
  let hi: number;
  if (op === 'Add') [lo, hi] = [a[0] + b[0], a[1] + b[1]];
  else if (op === 'Sub') [lo, hi] = [a[0] - b[1], a[1] - b[0]];
  else {
    const p = [a[0] * b[0], a[0] * b[1], a[1] * b[0], a[1] * b[1]];
    [lo, hi] = [Math.min(...p), Math.max(...p)];
  }
  if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi)) return [F32];
  // BIPOLAR·BIPOLAR stays BIPOLAR (the interval [-1,1] would say TERNARY).
  if (op === 'Mul' && ctx.input(0)?.kind === 'bipolar' && (ctx.input(1)?.kind === 'bipolar' || allPlusMinusOne(ctx.value(1)))) return [DataTypes.BIPOLAR];
  return [smallestDataType(lo, hi)];
};

function allPlusMinusOne(v: TensorValue | undefined): boolean {
  if (!v) return false;
  return tensorToNumbers(v).every((x) => x === 1 || x === -1);
}

/** FINN/QONNX: integer MAC results are INT32 (UINT32 when every input is unsigned); scaled ints SCALEDINT<32>. */
const mac: DatatypeRule = (ctx) => {
  const types: DataType[] = [];
  // As FINN: annotations only; an unannotated (float) weight makes the result FLOAT32.
  for (let i = 0; i < ctx.inputCount; i++) if (ctx.node.inputs[i]) types.push(ctx.input(i) ?? F32);
  if (types.every((t) => t.isInteger())) return [types.every((t) => !t.signed()) ? DataTypes.UINT(32) : DataTypes.INT(32)];
  if (ctx.allowScaledInt && types.every((t) => t.isInteger() || t.kind === 'scaledint')) return [DataTypes.SCALEDINT(32)];
  return [F32];
};

/** Relu of an integer type: the non-negative part of its range. */
const relu: DatatypeRule = (ctx) => {
  const t = ctx.input(0);
  if (!t || !t.isInteger()) return [F32];
  if (!t.signed()) return [t];
  return [smallestDataType(0, Math.max(0, t.max()))];
};

const topK: DatatypeRule = (ctx) => [ctx.input(0), DataTypes.INT(64)];

const PASS_THROUGH = ['Reshape', 'Transpose', 'Flatten', 'Squeeze', 'Unsqueeze', 'Identity', 'MaxPool', 'GlobalMaxPool',
  'Slice', 'Gather', 'Split', 'Dropout', 'DepthToSpace', 'SpaceToDepth', 'Tile', 'Expand', 'Resize', 'Upsample'];

let onnx: Map<string, DatatypeRule> | undefined;
let qonnx: Map<string, DatatypeRule> | undefined;

export function builtinDatatypeRule(domain: string, opType: string): DatatypeRule | undefined {
  if (domain === '' || domain === 'ai.onnx') {
    if (!onnx) {
      onnx = new Map<string, DatatypeRule>();
      for (const op of PASS_THROUGH) onnx.set(op, passThrough);
      for (const op of ['Concat', 'Max', 'Min']) onnx.set(op, union);
      onnx.set('Add', arithmetic('Add'));
      onnx.set('Sub', arithmetic('Sub'));
      onnx.set('Mul', arithmetic('Mul'));
      for (const op of ['MatMul', 'Gemm', 'Conv']) onnx.set(op, mac);
      onnx.set('Relu', relu);
      onnx.set('TopK', topK);
    }
    return onnx.get(opType);
  }
  if (domain === QONNX_GENERAL_DOMAIN) {
    if (!qonnx) {
      qonnx = new Map<string, DatatypeRule>([
        ['Quant', quant], ['IntQuant', quant], ['BipolarQuant', bipolarQuant], ['Trunc', trunc],
        ['MultiThreshold', multiThreshold], ['Im2Col', passThrough], ['MaxPoolNHWC', passThrough],
        ['XnorPopcountMatMul', () => [DataTypes.UINT(32)]],
        ['QuantAvgPool2d', (ctx) => {
          const bits = attrInt(ctx.node, 'obits');
          return [attrInt(ctx.node, 'signed', 0) === 1 ? DataTypes.INT(bits) : DataTypes.UINT(bits)];
        }],
      ]);
    }
    return qonnx.get(opType);
  }
  return undefined;
}

/** Default for standard ops without a rule: the integer type of an integer element type, else FLOAT32. */
export function defaultDatatype(elemType: number | undefined): DataType {
  switch (elemType) {
    case ElemType.BOOL: return DataTypes.BINARY;
    case ElemType.INT8: return DataTypes.INT(8);
    case ElemType.UINT8: return DataTypes.UINT(8);
    case ElemType.INT16: return DataTypes.INT(16);
    case ElemType.UINT16: return DataTypes.UINT(16);
    case ElemType.INT32: return DataTypes.INT(32);
    case ElemType.UINT32: return DataTypes.UINT(32);
    case ElemType.INT64: return DataTypes.INT(64);
    case ElemType.UINT64: return DataTypes.UINT(64);
    default: return F32;
  }
}
