/**
 * What Yosys synth_xilinx makes of the DownSampler RTL: the data path is the output register only (flip-flops
 * with enable), so the LUTs are the counters' and the keep logic (fit: 11.7 + 1.42 per counter bit).
 */
import type { KernelNodeView, z } from '../../src/index.js';
import { counterBits, resources } from '../../src/kernel.js';
import type { downSamplerAttributes } from './kernel.js';

export function synthEstimate(node: KernelNodeView): Record<string, number> {
  const a = node.attrs as z.infer<typeof downSamplerAttributes>;
  if (a.Stride === 1) return resources({ LUT: 4 });
  const twoD = a.is1D === 0;
  const bits = counterBits([a.NumChannels / a.SIMD, a.ImgDim, twoD ? a.ImgDim : 1, a.Stride, twoD ? a.Stride : 1]);
  return resources({ LUT: Math.round(11.7 + 1.42 * bits) });
}
