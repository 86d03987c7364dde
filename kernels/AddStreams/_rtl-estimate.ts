/** What Yosys `synth_xilinx` makes of the generated AddStreams: the lane adders of StreamingEltwise's estimate. */
import type { KernelNodeView } from '../../src/index.js';
import { resources } from '../../src/kernel.js';
import { laneOpLuts } from '../StreamingEltwise/_rtl-estimate.js';
import { addStreamsSpec } from './_rtl-gen.js';

export function synthEstimate(node: KernelNodeView): Record<string, number> {
  return resources({ LUT: laneOpLuts(addStreamsSpec(node)) });
}
