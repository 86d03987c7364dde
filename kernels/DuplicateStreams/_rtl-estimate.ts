/**
 * What Yosys `synth_xilinx` makes of the generated DuplicateStreams (measured with Yosys 0.23): the held word
 * is flip-flops with a clock enable, so only the pending bits and the input TREADY take LUTs, about two per
 * output plus one. No BRAM, URAM or DSP.
 */
import type { KernelNodeView } from '../../src/index.js';
import { resources } from '../../src/kernel.js';
import type { duplicateStreamsAttributes } from './kernel.js';
import type { z } from '../../src/index.js';

export function synthEstimate(node: KernelNodeView): Record<string, number> {
  const a = node.attrs as z.infer<typeof duplicateStreamsAttributes>;
  return resources({ LUT: 2 * a.NumOutputStreams + 1 });
}
