// FINN's tensor_sparsity annotation on MatMul weights lowered from a depthwise convolution:
// {"dw": {"kernel_shape": [kh, kw]}}. Brainsmith writes JSON; FINN writes the Python dict literal
// ({'dw': {'kernel_shape': [3, 3]}}), which reads the same once its quotes and tuple brackets are swapped.
import { BrainsmithError, TENSOR_SPARSITY_KEY, type Graph } from '../../../src/index.js';

function parseLiteral(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return JSON.parse(text.replace(/'/g, '"').replace(/\(/g, '[').replace(/\)/g, ']').replace(/,\s*\]/g, ']'));
  }
}

/**
 * The depthwise kernel shape [kh, kw] the weight tensor's sparsity annotation declares; undefined when the
 * tensor has no annotation or one without a "dw" entry. A malformed annotation is an input error.
 */
export function depthwiseKernelOf(graph: Graph, tensor: string): [number, number] | undefined {
  const text = graph.getAnnotation(tensor, TENSOR_SPARSITY_KEY);
  if (text === undefined) return undefined;
  const bad = (why: string): BrainsmithError =>
    new BrainsmithError('E_ANNOTATION_INVALID', `tensor '${tensor}': tensor_sparsity ${JSON.stringify(text)} ${why}`, { kind: 'input' });
  let value: unknown;
  try {
    value = parseLiteral(text);
  } catch {
    throw bad('is not a JSON or Python dict literal');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad('is not a dict');
  const dw = (value as Record<string, unknown>)['dw'];
  if (dw === undefined) return undefined;
  const k = typeof dw === 'object' && dw !== null ? (dw as Record<string, unknown>)['kernel_shape'] : undefined;
  if (!Array.isArray(k) || k.length !== 2 || !k.every((v) => Number.isInteger(v) && (v as number) > 0)) {
    throw bad('has no "dw" kernel_shape of two positive integers');
  }
  return [k[0] as number, k[1] as number];
}
