/**
 * What Yosys synth_xilinx makes of the StreamingMaxPool RTL: per lane a max lane (compare and select), the
 * running-maximum buffer (a register for one word, else LUTRAM or, when its address is a register, possibly
 * BRAM) and the counters.
 */
import type { KernelNodeView, z } from '../../src/index.js';
import { counterBits, datatype, maxLaneLuts, memoryResources, resources } from '../../src/kernel.js';
import type { streamingMaxPoolAttributes } from './kernel.js';
import { maxPoolShape } from './_rtl-gen.js';

export function synthEstimate(node: KernelNodeView): Record<string, number> {
  const a = node.attrs as z.infer<typeof streamingMaxPoolAttributes>;
  const { lanes, folds, depth, bits } = maxPoolShape(a);
  const [H, W] = a.ImgDim as [number, number];
  const [kh, kw] = a.PoolDim as [number, number];
  const mem = memoryResources(depth, bits, a.PoolDim[0] === 1 || folds === 1);
  const control = 21 + 1.5 * counterBits([folds, W, H, kw, kh]) + (depth > 1 && kh > 1 ? 1.5 * counterBits([depth]) : 0);
  return resources({ LUT: Math.round(1.05 * lanes * maxLaneLuts(datatype(a.dataType).bitwidth()) + mem.LUT + control), BRAM_18K: mem.BRAM_18K });
}
