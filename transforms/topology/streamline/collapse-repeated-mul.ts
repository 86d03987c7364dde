import { defineTransform } from '../../../src/index.js';
import { collapseRepeated } from '../_lib/collapse.js';

/** Mul(Mul(x, a), b) → Mul(x, a·b) when the inner product feeds only the outer Mul. */
export default defineTransform({
  name: 'CollapseRepeatedMul',
  stage: 'topology',
  description: 'Merge two consecutive Muls by constants into one',
  apply: (model) => collapseRepeated(model, 'Mul', (a, b) => a * b),
});
