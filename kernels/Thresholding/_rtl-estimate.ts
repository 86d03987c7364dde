/**
 * What Yosys (0.23, `synth_xilinx -family xc7`) makes of the Thresholding RTL (_rtl-gen.ts): a first linear
 * fit over the table of docs/RTL-ESTIMATES.md, in the product of lanes, steps and compare bits (P·T·K) and the
 * threshold ROM (P·T·K bits × C/P words). It does NOT yet meet the 15% target on every configuration (Yosys
 * folds the constant threshold ROM into the comparators in ways this form does not follow): see the doc.
 * The ROMs stay in LUTs on the table, so no BRAM is predicted.
 */
import type { KernelNodeView, ResourceEstimate } from '../../src/index.js';
import { compareBits, datatype, synthResources } from '../../src/kernel.js';
import { thresholding } from './_model.js';

/** Constant ROMs deeper than 512 words and larger than 16 Kbit go to RAMB36E1s on the table; others stay in LUTs. */
function romBlockRams(depth: number, width: number): number {
  if (depth <= 512 || depth * width <= 16384) return 0;
  return Math.min(...[[9, 4096], [18, 2048], [36, 1024], [72, 512]].map(([w, d]) => Math.ceil(width / w!) * Math.ceil(depth / d!)));
}

export function thresholdingSynthEstimate(channels: number, pe: number, inputDataType: string, steps: number): ResourceEstimate {
  const idt = datatype(inputDataType);
  const K = compareBits(idt.min(), idt.max());
  const CF = channels / pe;
  const cmp = pe * steps * K;
  const bram = romBlockRams(CF, cmp);
  return synthResources({ LUT: 0.739 * cmp + (bram ? 0 : 0.056 * cmp * CF) + 24, BRAM_36K: bram, FF: pe * Math.ceil(Math.log2(steps + 1)) + Math.ceil(Math.log2(CF + 1)) + 1 });
}

export function synthEstimate(node: KernelNodeView): ResourceEstimate {
  const a = thresholding(node);
  const thr = node.constantInput(1);
  const steps = thr && thr.dims.length === 2 ? thr.dims[1]! : a.numSteps;
  return thresholdingSynthEstimate(a.NumChannels, a.PE, a.inputDataType, steps);
}
