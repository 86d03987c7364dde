import type { Node } from '../ir/node.js';
import type { Dim } from '../ir/shape.js';
import type { TensorValue } from '../tensor/tensor-value.js';

/**
 * What shape inference knows about a tensor: its shape (undefined: unknown rank), its element type
 * (TensorProto.DataType; undefined: unknown) and, for small integer tensors that are computable without the
 * graph inputs (shape arithmetic such as Shape → Gather → Unsqueeze → Concat), its value.
 */
export interface TensorInfo {
  shape?: Dim[];
  elemType?: number;
  value?: TensorValue;
}

/** What a rule sees of one node. */
export interface ShapeContext {
  readonly node: Node;
  /** Opset version imported for the node's (normalized) domain; 0 when none is imported. */
  readonly opset: number;
  /** Known facts of input i; undefined for an omitted optional input or a tensor nothing is known about. */
  input(i: number): TensorInfo | undefined;
  /** Shape of input i, when its rank is known. */
  shape(i: number): Dim[] | undefined;
  /** Value of input i when it is an initializer or a propagated constant. */
  value(i: number): TensorValue | undefined;
  /** Number of input slots the node has (omitted optional ones included). */
  readonly inputCount: number;
}

/** Facts about each output of the node, in order; undefined entries (or a short list) mean unknown. */
export type ShapeRule = (ctx: ShapeContext) => (TensorInfo | undefined)[];

/**
 * Finds a rule for a node outside the built-in tables (hardware ops of kernel plugins), or undefined.
 * `domain` is the node's normalized domain.
 */
export type ShapeResolver = (node: Node, domain: string) => ShapeRule | undefined;
