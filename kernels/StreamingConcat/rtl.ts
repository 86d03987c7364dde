import { defineBackend } from '../../src/index.js';
import { concatProblem, generateStreamingConcat } from './_rtl-gen.js';
import { synthEstimate } from './_rtl-estimate.js';
import type { streamingConcatAttributes } from './kernel.js';
import type { z } from '../../src/index.js';

export default defineBackend({
  name: 'StreamingConcat_rtl',
  kernel: 'StreamingConcat',
  language: 'rtl',
  description: 'RTL StreamingConcat (word counter selects the input, one output register); FINN has only an HLS StreamingConcat',
  isViable(node) {
    return concatProblem(node.attrs as z.infer<typeof streamingConcatAttributes>) === undefined;
  },
  /** FINN has no RTL StreamingConcat, so the default compile keeps its HLS choice; `--prefer rtl` picks this one. */
  isDefault() {
    return false;
  },
  /** What Yosys synth_xilinx makes of the generated RTL (see _rtl-estimate.ts). */
  estimate(node) {
    return synthEstimate(node);
  },
  generate(node) {
    return generateStreamingConcat(node);
  },
});
