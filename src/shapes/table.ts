import { QONNX_GENERAL_DOMAIN } from '../ir/domains.js';
import { elementwiseRules } from './rules-elementwise.js';
import { nnRules } from './rules-nn.js';
import { qonnxRules } from './rules-qonnx.js';
import { tensorRules } from './rules-tensor.js';
import type { ShapeRule } from './types.js';

let onnx: Map<string, ShapeRule> | undefined;
let qonnx: Map<string, ShapeRule> | undefined;

/** Built-in rules by normalized domain ('' is ONNX) and op type. */
export function builtinShapeRule(domain: string, opType: string): ShapeRule | undefined {
  if (domain === '' || domain === 'ai.onnx') {
    onnx ??= new Map([...elementwiseRules(), ...tensorRules(), ...nnRules()]);
    return onnx.get(opType);
  }
  if (domain === QONNX_GENERAL_DOMAIN) {
    qonnx ??= qonnxRules();
    return qonnx.get(opType);
  }
  return undefined;
}

/** Op types with a built-in rule, per domain (for reports and tests). */
export function builtinShapeOps(): { onnx: string[]; qonnx: string[] } {
  builtinShapeRule('', '');
  builtinShapeRule(QONNX_GENERAL_DOMAIN, '');
  return { onnx: [...onnx!.keys()].sort(), qonnx: [...qonnx!.keys()].sort() };
}
