/**
 * What Yosys (0.23, `synth_xilinx -family xc7`) makes of the Thresholding RTL (_rtl-gen.ts): the threshold
 * ROM, a registered read (src/hdl/rom-estimate.ts registeredRomEstimate, from the thresholds as generated),
 * and per lane `steps` K-bit compares (the count of those that hold fits in them), weighted by a fit over the
 * table of docs/RTL-ESTIMATES.md. With one ROM word (PE = C) the thresholds are constants folded into the compares
 * (`cmpConst`). Without constant thresholds every ROM column counts.
 */
import type { KernelNodeView, ResourceEstimate } from '../../src/index.js';
import { compareBits, datatype, floatThresholdWords, registeredRomEstimate, synthResources, unknownRomWords, thresholdRows, thresholdWords } from '../../src/kernel.js';
import { thresholding } from './_model.js';

/**
 * LUT per compare bit: weighted least squares (relative error) over the 18 Thresholding rows of
 * bench/rtl-fit-table.ts (0.92; the count of the compares that hold and the control fit in it). Against
 * constants (one ROM word; no such row in the table) the MAC kernels' ratio cmpConst / cmp (0.76 / 1.09).
 */
export const THRESHOLDING_LUT_WEIGHTS: Record<string, number> = { cmp: 0.92, cmpConst: 0.64 };

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
  const rom = registeredRomEstimate(words, bits);
  const cmp = a.PE * steps * K;
  const terms = { [CF > 1 ? 'cmp' : 'cmpConst']: cmp };
  return { rom, terms, outBits: a.PE * datatype(a.outputDataType).bitwidth() };
}

export function synthEstimate(node: KernelNodeView): ResourceEstimate {
  const { rom, terms, outBits } = thresholdingTerms(node);
  const lut = Object.entries(terms).reduce((s, [k, v]) => s + (THRESHOLDING_LUT_WEIGHTS[k] ?? 0) * v, 0);
  // Registers: the ROM word and address, the output word and its valid.
  return synthResources({ LUT: rom.LUT + lut, FF: rom.FF + outBits + 1, BRAM_18K: rom.BRAM_18K });
}
