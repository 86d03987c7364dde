// The QONNX quantizers (Quant/IntQuant and BipolarQuant) as plain numbers: their parameters read from a node
// and their exact per-element semantics (finn-qonnx.md §5), used to fold weights and to place thresholds.
import {
  DataTypes, QONNX_GENERAL_DOMAIN, getInt, getString, normalizeDomain, type DataType, type Graph, type Node,
} from '../../../../src/index.js';
import { nodeError, readInitializer, type FloatTensor } from './tensors.js';

export type RoundingMode = 'ROUND' | 'CEIL' | 'FLOOR' | 'UP' | 'DOWN' | 'HALF_UP' | 'HALF_DOWN';
const ROUNDING_MODES: readonly string[] = ['ROUND', 'CEIL', 'FLOOR', 'UP', 'DOWN', 'HALF_UP', 'HALF_DOWN'];
const f32 = Math.fround;

/** Round half to even, what numpy's round does. */
export function roundHalfEven(v: number): number {
  if (!Number.isFinite(v)) return v;
  const f = Math.floor(v);
  const d = v - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

export function roundWith(mode: RoundingMode, v: number): number {
  switch (mode) {
    case 'ROUND':
      return roundHalfEven(v);
    case 'CEIL':
      return Math.ceil(v);
    case 'FLOOR':
      return Math.floor(v);
    case 'UP':
      return Math.sign(v) * Math.ceil(Math.abs(v));
    case 'DOWN':
      return Math.trunc(v);
    case 'HALF_UP':
      return Math.sign(v) * Math.floor(Math.abs(v) + 0.5);
    case 'HALF_DOWN':
      return Math.sign(v) * Math.ceil(Math.abs(v) - 0.5);
  }
}

/** A Quant or BipolarQuant node with its constant parameters. */
export interface Quantizer {
  node: Node;
  kind: 'Quant' | 'BipolarQuant';
  /** True for BipolarQuant and for a signed 1-bit Quant: output is ±scale. */
  bipolar: boolean;
  bitwidth: number;
  signed: boolean;
  narrow: boolean;
  rounding: RoundingMode;
  scale: FloatTensor;
  zeroPoint: FloatTensor;
  /** Integer range of the rounded value (−1..1 for bipolar, where 0 never occurs). */
  minInt: number;
  maxInt: number;
}

export function isQuantizerNode(node: Node): boolean {
  return (node.opType === 'Quant' || node.opType === 'IntQuant' || node.opType === 'BipolarQuant')
    && normalizeDomain(node.domain) === QONNX_GENERAL_DOMAIN;
}

const SCALAR_ZERO: FloatTensor = { dims: [], data: new Float64Array([0]) };

/**
 * Reads the quantizer's parameters; they must be initializers. Returns undefined (the caller leaves the node
 * alone) when a parameter is computed at run time; throws for parameters no quantizer can have.
 */
export function readQuantizer(graph: Graph, node: Node): Quantizer | undefined {
  const bipolarOp = node.opType === 'BipolarQuant';
  const scale = readInitializer(graph, node.inputs[1] ?? '');
  if (!scale) return undefined;
  if (bipolarOp) {
    return {
      node, kind: 'BipolarQuant', bipolar: true, bitwidth: 1, signed: true, narrow: false, rounding: 'ROUND',
      scale, zeroPoint: SCALAR_ZERO, minInt: -1, maxInt: 1,
    };
  }
  const zeroPoint = readInitializer(graph, node.inputs[2] ?? '');
  const bw = readInitializer(graph, node.inputs[3] ?? '');
  if (!zeroPoint || !bw) return undefined;
  if (bw.data.length !== 1) throw nodeError(node, `bit width must be a scalar, got shape [${bw.dims.join(', ')}]`);
  const bitwidth = bw.data[0]!;
  // Integers up to 52 bits stay exact in float64 arithmetic.
  if (!Number.isInteger(bitwidth) || bitwidth < 1 || bitwidth > 52) {
    throw nodeError(node, `bit width must be an integer in 1..52 for conversion, got ${bitwidth}`);
  }
  const signed = getInt(node, 'signed', 1) !== 0;
  // QONNX's code defaults narrow to 1 (its docs say 0); the executor follows the code.
  const narrow = getInt(node, 'narrow', 1) !== 0;
  const rounding = getString(node, 'rounding_mode', 'ROUND').toUpperCase();
  if (!ROUNDING_MODES.includes(rounding)) throw nodeError(node, `unknown rounding_mode '${rounding}'`);
  const bipolar = bitwidth === 1 && signed;
  const minInt = bipolar ? -1 : signed ? -(2 ** (bitwidth - 1)) + (narrow ? 1 : 0) : 0;
  const maxInt = bipolar ? 1 : signed ? 2 ** (bitwidth - 1) - 1 : 2 ** bitwidth - 1 - (narrow ? 1 : 0);
  return {
    node, kind: 'Quant', bipolar, bitwidth, signed, narrow, rounding: rounding as RoundingMode, scale, zeroPoint, minInt, maxInt,
  };
}

/** The integer DataType of the rounded value: BIPOLAR, BINARY, INTb or UINTb. */
export function integerDataType(q: Quantizer): DataType {
  if (q.bipolar) return DataTypes.BIPOLAR;
  return q.signed ? DataTypes.INT(q.bitwidth) : DataTypes.UINT(q.bitwidth);
}

/**
 * The rounded integer for input x with scale s and zero point z (before rescaling): the quantizer's output is
 * (integerOf(x) − z)·s. Float32 arithmetic at every step, as numpy (QONNX's reference) and the executor do, so
 * inputs on rounding boundaries land where they land there; clamp before rounding.
 */
export function integerOf(q: Quantizer, x: number, s: number, z: number): number {
  if (q.kind === 'BipolarQuant') return x >= 0 ? 1 : -1;
  const v = f32(f32(x / s) + z);
  if (q.bipolar) return v >= 0 ? 1 : -1;
  const c = v < q.minInt ? q.minInt : v > q.maxInt ? q.maxInt : v;
  return roundWith(q.rounding, c) + 0; // no −0 among the integers

}

/** The quantizer's output value, as a float32 (what the executor stores). */
export function quantize(q: Quantizer, x: number, s: number, z: number): number {
  return valueOfInteger(q, integerOf(q, x, s, z), s, z);
}

/** quantize() from the integer integerOf() gave. */
export function valueOfInteger(q: Quantizer, k: number, s: number, z: number): number {
  if (q.kind === 'BipolarQuant') return f32(k * s);
  return f32(f32(k - z) * s);
}
