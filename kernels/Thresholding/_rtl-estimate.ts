/**
 * What Yosys (0.23, `synth_xilinx -family xc7`) makes of the Thresholding RTL (_rtl-gen.ts): the threshold
 * ROM, a registered read whose word stays in flip-flops (src/hdl/rom-estimate.ts registeredRomEstimate, from
 * the thresholds as generated), and per lane `steps` K-bit compares (the count of those that hold fits in
 * them), weighted by a fit over the table of docs/RTL-ESTIMATES.md. With one ROM word (PE = C) the thresholds
 * are constants folded into the compares (`cmpConst`). Without constant thresholds every ROM column counts.
 */
import type { KernelNodeView, ResourceEstimate } from '../../src/index.js';
import { compareBits, datatype, floatThresholdWords, registeredRomEstimate, synthResources, unknownRomWords, thresholdRows, thresholdWords } from '../../src/kernel.js';
import { thresholding } from './_model.js';

/**
 * LUT per compare bit and per compare: weighted least squares (relative error) over the 18 Thresholding rows
 * of bench/rtl-fit-table.ts with a threshold ROM: 1.47 per bit less 6.3 per compare, so a K-bit compare costs
 * 1.47 (K − 4.3) (about its high K − 4 bits: the narrow compares of INT8/UINT8 inputs cost less per bit than
 * the INT12/INT16 ones, where a single per-bit weight was 10–18% off both ways). Against constants (one ROM
 * word, PE = C) 0.66 of that: the two such rows (C16 P16 INT8, C8 P8 INT12).
 */
export const THRESHOLDING_LUT_WEIGHTS: Record<string, number> = { cmp: 1.47, compare: -6.3, cmpConst: 0.66 * 1.47, compareConst: 0.66 * -6.3 };

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
  const terms: Record<string, number> = CF > 1 ? { cmp: compares * K, compare: compares } : { cmpConst: compares * K, compareConst: compares };
  return { rom, terms, outBits: a.PE * datatype(a.outputDataType).bitwidth() };
}

export function synthEstimate(node: KernelNodeView): ResourceEstimate {
  const { rom, terms, outBits } = thresholdingTerms(node);
  const lut = Object.entries(terms).reduce((s, [k, v]) => s + (THRESHOLDING_LUT_WEIGHTS[k] ?? 0) * v, 0);
  // Registers: the ROM word and address, the output word and its valid.
  return synthResources({ LUT: rom.LUT + lut, FF: rom.FF + outBits + 1, BRAM_18K: rom.BRAM_18K });
}
