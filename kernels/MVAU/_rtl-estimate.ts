/**
 * What Yosys (0.23, `synth_xilinx -family xc7`) makes of the MVAU RTL (_rtl-gen.ts): the shared estimate of
 * multiply-accumulate kernels (src/hdl/mac-estimate.ts) on the MVAU's shape: its weight and threshold ROMs from
 * the node's constants (as generated), its double input buffer, its datapath. Without constant weights the
 * accumulator is as wide as the datatypes allow and every ROM column counts.
 */
import type { KernelNodeView, ResourceEstimate } from '../../src/index.js';
import { codingOf, macSynthEstimate, synthResources, thresholdRows, thresholdWords, type MacEstimateSpec } from '../../src/kernel.js';
import { mvau, widths } from './_model.js';
import { weightWords } from './_layout.js';
import { mvauDatapath } from './_rtl-gen.js';

/** The MAC estimate's view of an MVAU node. */
export function mvauMacSpec(node: KernelNodeView): MacEstimateSpec {
  const a = mvau(node);
  const { W, A, B } = widths(a);
  const SF = a.MW / a.SIMD;
  const NF = a.MH / a.PE;
  const w = node.constantInput(1);
  const thr = a.noActivation === 1 ? undefined : node.constantInput(2);
  const d = w ? mvauDatapath(a, w) : undefined;
  const xnor = a.binaryXnorMode === 1;
  const xc = xnor ? 'unsigned' : codingOf(a.inputDataType);
  const wc = xnor ? 'unsigned' : codingOf(a.weightDataType);
  // Without weights: the widest accumulator MW products can need.
  const ACC = d?.ACC ?? Math.ceil(Math.log2(a.MW + 1)) + A + W + 1;
  const steps = a.noActivation === 1 ? 0 : thr && thr.dims.length === 2 ? thr.dims[1]! : 2 ** B - 1;
  const tw = thr && d ? thresholdWords(thresholdRows(thr, a.MH).rows, a.PE, d.lo, d.hi, ACC) : undefined;
  return {
    pe: a.PE, simd: a.SIMD, sf: SF, nf: NF, xBits: A, wBits: W, xCoding: xc, wCoding: wc,
    mode: xnor ? 'xnor' : xc === 'bipolar' && wc === 'bipolar' ? 'bipolar' : 'multiply',
    acc: ACC, outBits: B, steps,
    weights: { words: w ? weightWords(w, a).words : undefined, bits: a.PE * a.SIMD * W, depth: SF * NF },
    thresholds: steps > 0 ? { words: tw?.words, bits: a.PE * steps * ACC, depth: NF } : undefined,
    inputBuffer: true,
  };
}

export function synthEstimate(node: KernelNodeView): ResourceEstimate {
  return synthResources(macSynthEstimate(mvauMacSpec(node)));
}
