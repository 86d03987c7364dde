import { defineBackend } from '../../src/index.js';
import { addStreamsInputTypes, generateAddStreams } from './_rtl-gen.js';
import { synthEstimate } from './_rtl-estimate.js';
import { laneOpProblem } from '../StreamingEltwise/_rtl-gen.js';

export default defineBackend({
  name: 'AddStreams_rtl',
  kernel: 'AddStreams',
  language: 'rtl',
  description: 'RTL AddStreams (lane adders, one output register); FINN has only an HLS AddStreams',
  isViable(node) {
    return laneOpProblem(addStreamsInputTypes(node)) === undefined;
  },
  /** FINN has no RTL AddStreams, so the default compile keeps its HLS choice; `--prefer rtl` picks this one. */
  isDefault() {
    return false;
  },
  /** What Yosys synth_xilinx makes of the generated RTL (see _rtl-estimate.ts). */
  estimate(node) {
    return synthEstimate(node);
  },
  generate(node) {
    return generateAddStreams(node);
  },
});
