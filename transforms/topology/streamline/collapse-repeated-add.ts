import { defineTransform } from '../../../src/index.js';
import { collapseRepeated } from '../_lib/collapse.js';

/** Add(Add(x, a), b) → Add(x, a+b) when the inner sum feeds only the outer Add. */
export default defineTransform({
  name: 'CollapseRepeatedAdd',
  stage: 'topology',
  description: 'Merge two consecutive Adds of constants into one',
  apply: (model) => collapseRepeated(model, 'Add', (a, b) => a + b),
});
