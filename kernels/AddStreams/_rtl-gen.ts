/**
 * Verilog for an AddStreams node: the two-input lane operation of StreamingEltwise with op Add (one word from
 * each input per cycle, sums through an output register; see kernels/StreamingEltwise/_rtl-gen.ts).
 */
import { BrainsmithError, smallestDataType, type GeneratedNode, type KernelNodeView } from '../../src/index.js';
import { datatype } from '../../src/kernel.js';
import { generateLaneOp, laneOpProblem, type LaneOpSpec } from '../StreamingEltwise/_rtl-gen.js';
import type { addStreamsAttributes } from './kernel.js';
import type { z } from '../../src/index.js';

type Attrs = z.infer<typeof addStreamsAttributes>;

/** The datatypes of the two inputs (inputDataTypes, or the older single inputDataType). */
export function addStreamsInputTypes(node: KernelNodeView): [string, string] {
  const a = node.attrs as Attrs;
  const t = a.inputDataTypes ?? (a.inputDataType ? [a.inputDataType, a.inputDataType] : undefined);
  if (!t) throw new BrainsmithError('E_KERNEL_ATTR', `node '${node.name}': AddStreams needs inputDataTypes (or inputDataType)`, { kind: 'input' });
  return [t[0]!, t[1]!];
}

/** The lane operation of the node; its inputs must be integers (laneOpProblem). */
export function addStreamsSpec(node: KernelNodeView): LaneOpSpec {
  const a = node.attrs as Attrs;
  const t = addStreamsInputTypes(node);
  const problem = laneOpProblem(t);
  if (problem) throw new BrainsmithError('E_HDL_UNSUPPORTED', `node '${node.name}': ${problem}`, { kind: 'input' });
  const [t0, t1] = [datatype(t[0]), datatype(t[1])];
  const out = smallestDataType(t0.min() + t1.min(), t0.max() + t1.max()).name;
  return { name: node.name, kernel: 'AddStreams', pe: a.PE, channels: a.NumChannels, op: 'Add', inputTypes: t, outputType: out };
}

export function generateAddStreams(node: KernelNodeView): GeneratedNode {
  return generateLaneOp(addStreamsSpec(node));
}
