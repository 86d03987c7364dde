/**
 * What Yosys `synth_xilinx` (xc7) makes of the generated VVAU (_rtl-gen.ts): the shared estimate of
 * multiply-accumulate kernels (src/hdl/mac-estimate.ts) on the VVAU's shape: weight and threshold ROMs from the
 * node's constants (as generated), SIMD taps × PE channels per cycle, no input buffer (every input word is
 * read once). Without constant weights the accumulator is as wide as the datatypes allow.
 */
import { codingOf, macSynthEstimate, synthResources, thresholdRows, thresholdWords, type KernelNodeView, type MacEstimateSpec } from '../../src/kernel.js';
import { kernelSize, vvau } from './_model.js';
import { vvauAccumulatorRange, vvauDatapath, vvauWeightWords } from './_rtl-gen.js';

/** The MAC estimate's view of a VVAU node. */
export function vvauMacSpec(node: KernelNodeView): MacEstimateSpec {
  const a = vvau(node);
  const w = node.constantInput(1);
  const K = kernelSize(a);
  // Without the weights, the accumulator range from the datatypes' extremes.
  const range = w ? vvauAccumulatorRange(w, a) : { lo: -(2 ** 15), hi: 2 ** 15 };
  const { A, W, OB, ACC } = vvauDatapath(a, range);
  const thr = a.noActivation === 1 ? undefined : node.constantInput(2);
  const steps = a.noActivation === 1 ? 0 : thr && thr.dims.length === 2 ? thr.dims[1]! : 2 ** OB - 1;
  const tw = thr ? thresholdWords(thresholdRows(thr, a.Channels).rows, a.PE, range.lo, range.hi, ACC) : undefined;
  const xc = codingOf(a.inputDataType);
  const wc = codingOf(a.weightDataType);
  const SF = K / a.SIMD;
  const NF = a.Channels / a.PE;
  return {
    pe: a.PE, simd: a.SIMD, sf: SF, nf: NF, xBits: A, wBits: W, xCoding: xc, wCoding: wc,
    mode: 'multiply', acc: ACC, outBits: OB, steps,
    weights: { words: w ? vvauWeightWords(w, a).words : undefined, bits: a.PE * a.SIMD * W, depth: SF * NF },
    thresholds: steps > 0 ? { words: tw?.words, bits: a.PE * steps * ACC, depth: NF } : undefined,
    inputBuffer: false,
  };
}

export function synthEstimate(node: KernelNodeView): Record<string, number> {
  return synthResources(macSynthEstimate(vvauMacSpec(node)));
}
