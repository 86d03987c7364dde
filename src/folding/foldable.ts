/**
 * The generic view SetFolding works on: a node with parallelism parameters (each legal at the divisors of
 * one dimension) and a cycles function. Kernels supply it through their `parallelism` and `cycles` hooks.
 */

export interface FoldParam {
  name: string;
  /** Legal values are the divisors of this size. */
  size: number;
  /** 'walk': SetFolding chooses it; 'keep': left as is; 'follow': set by the consumer that drives it. */
  mode: 'walk' | 'follow' | 'keep';
  /** Stream bits per unit counted against the width cap (undefined: uncapped). */
  widthBits?: number;
  /** After folding, the producer of input 0 gets this value in its parameter of this name. */
  drivesProducer?: string;
  /** A 0/1 value (in `values`) set to 1 when the node is still over target after this parameter's walk. */
  overTargetSwitch?: string;
  /** A 0/1 value (in `values`) of this followed parameter's node: 1 when the consumer's `whenConsumer` > 1, else 0. */
  followSwitch?: { attribute: string; whenConsumer: string };
}

export interface FoldableNode {
  name: string;
  /** In walk order. */
  params: FoldParam[];
  /** The node's current values of its parameters. */
  values: Record<string, number>;
  cycles(values: Readonly<Record<string, number>>): number;
  /** Index (in the node list) of the foldable node producing input 0, if any. */
  producer?: number;
}
