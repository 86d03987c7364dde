import { defineBackend } from '../../src/index.js';
import { generateStreamingEltwise, laneOpProblem } from './_rtl-gen.js';
import { synthEstimate } from './_rtl-estimate.js';
import type { streamingEltwiseAttributes } from './kernel.js';
import type { z } from '../../src/index.js';

export default defineBackend({
  name: 'StreamingEltwise_rtl',
  kernel: 'StreamingEltwise',
  language: 'rtl',
  description: 'RTL StreamingEltwise (Add, Sub, AbsDiff lanes, one output register); FINN has only an HLS StreamingEltwise',
  isViable(node) {
    const a = node.attrs as z.infer<typeof streamingEltwiseAttributes>;
    return laneOpProblem([a.inputDataType0, a.inputDataType1]) === undefined;
  },
  /** FINN has no RTL StreamingEltwise, so the default compile keeps its HLS choice; `--prefer rtl` picks this one. */
  isDefault() {
    return false;
  },
  /** What Yosys synth_xilinx makes of the generated RTL (see _rtl-estimate.ts). */
  estimate(node) {
    return synthEstimate(node);
  },
  generate(node) {
    return generateStreamingEltwise(node);
  },
});
