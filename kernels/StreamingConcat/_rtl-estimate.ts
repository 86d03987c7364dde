/**
 * What Yosys `synth_xilinx` makes of the generated StreamingConcat (measured with Yosys 0.23, counted as the
 * synthesis report counts; fitted on the fit table's StreamingConcat rows, docs/RTL-ESTIMATES.md):
 * - the input select feeding the output register, per data bit a function of the M input bits and the word
 *   counter's bits (the one-hot selects are its range compares): one LUT6 while that is ≤ 6 inputs, then about
 *   one more per 3 inputs (2 for 7–8, 3 for 10 measured); widened output bits are copies of the input's (no LUT);
 * - the word counter, its range compares and the handshake: about clog2(words per pixel) + 3 per input + 2.
 * No BRAM, URAM or DSP.
 */
import type { KernelNodeView } from '../../src/index.js';
import { clog2, datatype, resources } from '../../src/kernel.js';
import type { streamingConcatAttributes } from './kernel.js';
import type { z } from '../../src/index.js';

export function synthEstimate(node: KernelNodeView): Record<string, number> {
  const a = node.attrs as z.infer<typeof streamingConcatAttributes>;
  const M = a.ChannelsPerStream.length;
  const words = a.ChannelsPerStream.reduce((s, c) => s + c / a.SIMD, 0);
  const bits = a.SIMD * datatype(a.inputDataType).bitwidth();
  const selectInputs = M + clog2(words);
  const lutsPerBit = Math.max(1, Math.ceil((selectInputs - 3) / 3));
  return resources({ LUT: bits * lutsPerBit + clog2(words) + 3 * M + 2 });
}
