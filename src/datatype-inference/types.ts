import type { DataType } from '../datatype/datatype.js';
import type { Node } from '../ir/node.js';
import type { TensorValue } from '../tensor/tensor-value.js';

/** What a datatype rule sees of one node. */
export interface DatatypeContext {
  readonly node: Node;
  /** DataType of input i: its annotation, else FLOAT32 (as FINN reads unannotated tensors); undefined when omitted. */
  input(i: number): DataType | undefined;
  /** Value of input i when it is an initializer. */
  value(i: number): TensorValue | undefined;
  /** ONNX element type of output i, when declared. */
  outputElemType(i: number): number | undefined;
  /** Static shape of input i, when known. */
  shape(i: number): readonly (number | string)[] | undefined;
  /** QONNX allow_scaledint_dtypes: scaled quantizer outputs become SCALEDINT<b> instead of FLOAT32. */
  readonly allowScaledInt: boolean;
  readonly inputCount: number;
}

/** DataType of each output; undefined leaves that output's annotation as it is. */
export type DatatypeRule = (ctx: DatatypeContext) => (DataType | undefined)[];

/** Rules for nodes outside the built-in tables (hardware ops of kernel plugins). `domain` is normalized. */
export type DatatypeResolver = (node: Node, domain: string) => DatatypeRule | undefined;
