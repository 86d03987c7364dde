/**
 * What Yosys (0.23, `synth_xilinx -family xc7`) makes of the LabelSelect insertion list (_rtl-gen.ts), fitted
 * on the table of docs/RTL-ESTIMATES.md: per lane and kept entry a comparator of V = A+1 bits and the
 * insertion multiplexers of value, index and flag (V + IW bits, IW = index bits); lanes after the first chain
 * through the previous lane's result. No memories, no DSPs.
 */
import type { KernelNodeView, ResourceEstimate } from '../../src/index.js';
import { clog2, datatype, synthResources } from '../../src/kernel.js';

export function labelSelectSynthEstimate(labels: number, pe: number, k: number, inputDataType: string): ResourceEstimate {
  const idt = datatype(inputDataType);
  const V = idt.name === 'BIPOLAR' ? 2 : idt.bitwidth() + 1;
  const IW = clog2(labels);
  const NB = labels / pe;
  const entry = V + IW;
  const lut = 1.742 * pe * k * entry + 0.967 * (pe - 1) * k * entry + 0.774 * k * entry - 1.222 * pe * V + 9.24;
  const ff = k * (V + 2 * IW + 1) + clog2(k + 1) + (NB > 1 ? clog2(NB) + IW : 0);
  return synthResources({ LUT: Math.max(lut, 10), FF: ff });
}

export function synthEstimate(node: KernelNodeView): ResourceEstimate {
  const a = node.attrs as { Labels: number; PE: number; K: number; inputDataType: string };
  return labelSelectSynthEstimate(a.Labels, a.PE, a.K, a.inputDataType);
}
