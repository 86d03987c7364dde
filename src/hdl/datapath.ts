/**
 * Arithmetic on stream elements in generated Verilog, shared by the kernels that multiply or add elements
 * (MVAU, VVAU, ChannelwiseOp): how a datatype's bits read as a number, and widening them to two's complement.
 */
import { parseDataType } from '../datatype/index.js';
import type { ElementCoding } from './verilog.js';

/** The coding of datatype `dtName`'s elements: BIPOLAR, signed (two's complement) or unsigned. */
export function codingOf(dtName: string): ElementCoding {
  const dt = parseDataType(dtName);
  return dt.name === 'BIPOLAR' ? 'bipolar' : dt.signed() ? 'signed' : 'unsigned';
}

/** Width of a `bits`-bit element of `coding` read as a two's-complement value (BIPOLAR: 2, unsigned: bits + 1). */
export function valueBits(coding: ElementCoding, bits: number): number {
  return coding === 'bipolar' ? 2 : coding === 'signed' ? bits : bits + 1;
}

/**
 * `expr` (an element of `from` bits and `coding`; `bit(i)` selects its bit i) as a `to`-bit two's-complement
 * expression (to ≥ valueBits(coding, from)).
 */
export function extendElement(expr: string, bit: (i: number) => string, from: number, coding: ElementCoding, to: number): string {
  if (coding === 'bipolar') return to === 2 ? `{~${bit(0)}, 1'b1}` : `{{${to - 1}{~${bit(0)}}}, 1'b1}`;
  if (to === from) return expr;
  return coding === 'unsigned' ? `{${to - from}'d0, ${expr}}` : `{{${to - from}{${bit(from - 1)}}}, ${expr}}`;
}

/** `expr` of `from` bits, sign-extended with bit `sign` to `to` bits. */
export function signExtend(expr: string, sign: string, from: number, to: number): string {
  return to === from ? expr : `{{${to - from}{${sign}}}, ${expr}}`;
}
