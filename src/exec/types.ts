import type { TensorValue } from '../tensor/tensor-value.js';
import type { Node } from '../ir/node.js';
import type { Model } from '../ir/model.js';

/** Tensors by name. */
export type TensorMap = Map<string, TensorValue>;

/** What an op implementation sees besides its inputs. */
export interface OpContext {
  node: Node;
  model: Model;
  /** Opset version imported for the node's (normalized) domain; 0 when none is imported. */
  opset: number;
}

/**
 * Reference semantics of one op: output tensors from input tensors. Omitted optional inputs (empty names)
 * arrive as undefined; outputs the node does not name may be left undefined.
 */
export type OpImpl = (inputs: readonly (TensorValue | undefined)[], ctx: OpContext) =>
  (TensorValue | undefined)[] | Promise<(TensorValue | undefined)[]>;

/** Finds an implementation for a node, or undefined; kernel plugins are reached through one of these. */
export type OpResolver = (node: Node, model: Model) => OpImpl | undefined;

export interface ExecuteOptions {
  /** Keep every intermediate tensor in the result (verification, debugging). Default false. */
  keepIntermediates?: boolean;
  /** Tried before the built-in ops, in order (e.g. kernel plugins' `execute`). */
  resolvers?: OpResolver[];
  /**
   * Ops with no native implementation run through onnxruntime-node in a child process (its crashes cannot
   * take the compiler down): 'onnxruntime' (default) or 'none' (then such an op is an error naming it).
   */
  fallback?: 'onnxruntime' | 'none';
}

export interface ExecuteResult {
  /** The graph outputs, by name. */
  outputs: TensorMap;
  /** Every tensor computed, when keepIntermediates was set. */
  intermediates?: TensorMap;
  /** Op types (domain:opType) that were run through the fallback rather than natively. */
  delegated: string[];
}
