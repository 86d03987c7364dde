/**
 * What Yosys (0.23, `synth_xilinx -family xc7`) makes of the Thresholding RTL (_rtl-gen.ts): the threshold
 * ROM, a registered read whose word stays in flip-flops (src/hdl/rom-estimate.ts registeredRomEstimate, from
 * the thresholds as generated), and per lane `steps` K-bit compares (the count of those that hold fits in
 * them), weighted by a fit over the table of docs/RTL-ESTIMATES.md. With one ROM word (PE = C) the thresholds
 * are constants folded into the compares (`cmpConst`). Without constant thresholds every ROM column counts.
 */
import type { KernelNodeView, ResourceEstimate } from '../../src/index.js';
import { compareBits, countChainBits, datatype, floatThresholdWords, registeredRomEstimate, synthResources, unknownRomWords, thresholdRows, thresholdWords, weightedTerms } from '../../src/kernel.js';
import { thresholding } from './_model.js';

/**
 * LUT per compare bit and per compare: weighted least squares (relative error) over the 18 Thresholding rows
 * of bench/rtl-fit-table.ts with a threshold ROM: 1.47 per bit less 6.3 per compare, so a K-bit compare costs
 * 1.47 (K − 4.3) (about its high K − 4 bits: the narrow compares of INT8/UINT8 inputs cost less per bit than
 * the INT12/INT16 ones, where a single per-bit weight was 10–18% off both ways). Against constants (one ROM
 * word, PE = C; 7 rows, 5 of them FLOAT32 quantizers of 15 to 255 steps, `rtl-fit-weights.js rows.json
 * thresholding cmpConst compareConst countConst --minimax`): 0.29 per compare bit, 0.95 per compare and 1.04
 * per bit of each lane's count chain. The count is the larger part at 255 steps (GTSRB's first quantizer).
 */
export const THRESHOLDING_LUT_WEIGHTS: Record<string, number> = { cmp: 1.47, compare: -6.3, cmpConst: 0.291, compareConst: 0.95, countConst: 1.037 };

/** The ROM estimate and the datapath's cell-count terms (before weighting). */
export function thresholdingTerms(node: KernelNodeView): { rom: ReturnType<typeof registeredRomEstimate>; terms: Record<string, number>; outBits: number } {
  const a = thresholding(node);
  const idt = datatype(a.inputDataType);
  const float = a.inputDataType === 'FLOAT32';
  const K = float ? 32 : compareBits(idt.min(), idt.max());
  const thr = node.constantInput(1);
  const steps = thr && thr.dims.length === 2 ? thr.dims[1]! : a.numSteps;
  const CF = a.NumChannels / a.PE;
  const bits = a.PE * steps * K;
  let words: readonly bigint[];
  if (thr) {
    const { rows } = thresholdRows(thr, a.NumChannels);
    words = (float ? floatThresholdWords(rows, a.PE) : thresholdWords(rows, a.PE, idt.min(), idt.max())).words;
  } else words = unknownRomWords(CF, bits);
  const rom = registeredRomEstimate(words, bits, true);
  const compares = a.PE * steps;
  // Against constants (one word, PE = C) the per-lane count of the compares that hold is apart: a chain of
  // `steps` increments (countChainBits), the larger part at many steps.
  const terms: Record<string, number> = CF > 1
    ? { cmp: compares * K, compare: compares }
    : { cmpConst: compares * K, compareConst: compares, countConst: a.PE * countChainBits(steps) };
  return { rom, terms, outBits: a.PE * datatype(a.outputDataType).bitwidth() };
}

export function synthEstimate(node: KernelNodeView): ResourceEstimate {
  const { rom, terms, outBits } = thresholdingTerms(node);
  const lut = weightedTerms(terms, THRESHOLDING_LUT_WEIGHTS);
  // Registers: the ROM word and address, the output word and its valid.
  return synthResources({ LUT: rom.LUT + lut, FF: rom.FF + outBits + 1, BRAM_18K: rom.BRAM_18K });
}
