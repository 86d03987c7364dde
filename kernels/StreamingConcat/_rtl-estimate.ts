/**
 * What Yosys `synth_xilinx` makes of the generated StreamingConcat (measured with Yosys 0.23): the one-hot
 * input select feeding the output register takes one LUT6 per data bit for up to three inputs, two for four to
 * six (ceil(M/3)); widened output bits are copies of the input's (no LUT); the word counter, its range
 * compares and the handshake about clog2(words per pixel) + 2·M + 2. No BRAM, URAM or DSP.
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
  return resources({ LUT: bits * Math.ceil(M / 3) + clog2(words) + 2 * M + 2 });
}
