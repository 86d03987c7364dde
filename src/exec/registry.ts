import { normalizeDomain, normalizeNodeDomain, ONNX_DOMAIN, QONNX_GENERAL_DOMAIN } from '../ir/domains.js';
import type { Node } from '../ir/node.js';
import type { OpImpl } from './types.js';
import { ELEMENTWISE_OPS } from './ops/elementwise.js';
import { MATMUL_OPS } from './ops/matmul.js';
import { SHAPE_OPS } from './ops/shape-ops.js';
import { NN_OPS } from './ops/nn.js';
import { REDUCE_OPS } from './ops/reduce.js';
import { QONNX_OPS } from './ops/qonnx.js';

/** The built-in (native TypeScript) op implementations, by normalized domain and op type. */
const TABLES: ReadonlyMap<string, Readonly<Record<string, OpImpl>>> = new Map([
  [ONNX_DOMAIN, { ...ELEMENTWISE_OPS, ...MATMUL_OPS, ...SHAPE_OPS, ...NN_OPS, ...REDUCE_OPS }],
  [QONNX_GENERAL_DOMAIN, QONNX_OPS],
]);

/** The native implementation of an op, or undefined. `domain` is normalized first. */
export function nativeOp(domain: string, opType: string): OpImpl | undefined {
  const table = TABLES.get(normalizeDomain(domain));
  return table !== undefined && Object.hasOwn(table, opType) ? table[opType] : undefined;
}

export function nativeOpForNode(node: Node): OpImpl | undefined {
  return nativeOp(normalizeNodeDomain(node), node.opType);
}

/** Every natively implemented op as `domain:opType` ('' domain written as `onnx`). */
export function nativeOpNames(): string[] {
  const out: string[] = [];
  for (const [domain, table] of TABLES) for (const op of Object.keys(table)) out.push(`${domain || 'onnx'}:${op}`);
  return out.sort();
}
