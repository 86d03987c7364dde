// NCHW ⇄ NHWC helpers shared by the lowering transforms.
import { getInts, isStandardDomain, type Dim, type Graph, type Node } from '../index.js';

export const TO_NHWC = [0, 2, 3, 1];
export const TO_NCHW = [0, 3, 1, 2];

export const permute = <T>(dims: readonly T[], perm: readonly number[]): T[] => perm.map((p) => dims[p]!);

/** The perm of a standard Transpose (default: reversed axes, needs the rank). */
export function permOf(node: Node, rank?: number): number[] | undefined {
  if (node.opType !== 'Transpose' || !isStandardDomain(node.domain)) return undefined;
  const p = getInts(node, 'perm', []);
  if (p.length) return p;
  return rank === undefined ? undefined : Array.from({ length: rank }, (_, i) => rank - 1 - i);
}

export const samePerm = (a: readonly number[] | undefined, b: readonly number[]): boolean =>
  a !== undefined && a.length === b.length && a.every((v, i) => v === b[i]);

/** Adds Transpose(x, perm) before `ref`, declaring the permuted shape; returns its output. */
export function addTranspose(graph: Graph, ref: Node, x: string, perm: readonly number[], name: string, after = false): string {
  const out = graph.uniqueTensorName(`${name}_out`);
  const proto = { op_type: 'Transpose', name, input: [x], output: [out], attribute: [{ name: 'perm', type: 7, ints: [...perm] }] };
  if (after) graph.insertAfter(ref, proto);
  else graph.insertBefore(ref, proto);
  const shape = graph.getShape(x);
  if (shape) graph.setShape(out, permute<Dim>(shape, perm), graph.getElemType(x));
  const dt = graph.getDatatypeName(x);
  if (dt) graph.setDatatypeName(out, dt);
  return out;
}
