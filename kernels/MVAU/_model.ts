/**
 * MVAU (matrix–vector–activation unit): attributes, folding and the cost formulas its backends share
 * (finn-qonnx reference §2, notation: W/A/B weight/input/output bits, P = PE, Q = SIMD).
 */
import { z, type KernelNodeView } from '../../src/index.js';
import { bram18Count, bramEfficiency, datatype, datatypeName, flag, hwCommonAttributes, positiveInt, weightMemoryAttributes, prod, requireDivides, resources, uramCount, uramEfficiency } from '../../src/kernel.js';

export const mvauAttributes = z.looseObject({
  ...hwCommonAttributes,
  PE: positiveInt,
  SIMD: positiveInt,
  MW: positiveInt,
  MH: positiveInt,
  // FINN's MVAU default: LUT multipliers unless asked for DSPs.
  resType: z.enum(['auto', 'lut', 'dsp']).default('lut'),
  ActVal: z.number().int().default(0),
  inputDataType: datatypeName,
  weightDataType: datatypeName,
  outputDataType: datatypeName,
  accDataType: datatypeName.default('INT32'),
  binaryXnorMode: flag.default(0),
  noActivation: flag.default(0),
  numInputVectors: z.array(positiveInt).default([1]),
  ...weightMemoryAttributes,
});
export type MvauAttrs = z.infer<typeof mvauAttributes>;

export function mvau(node: KernelNodeView): MvauAttrs {
  return node.attrs as MvauAttrs;
}

/** PE must divide MH and SIMD must divide MW. */
export function checkFolding(node: KernelNodeView, a: MvauAttrs): void {
  requireDivides(node.name, 'PE', a.PE, 'MH', a.MH);
  requireDivides(node.name, 'SIMD', a.SIMD, 'MW', a.MW);
}

export interface MvauWidths {
  W: number;
  A: number;
  B: number;
  /** Weight memory depth ω = MW·MH/(P·Q). */
  wmemDepth: number;
  /** Weight memory width w = P·Q·W. */
  wmemWidth: number;
  /** Threshold memory depth MH/P. */
  tmemDepth: number;
}

export function widths(a: MvauAttrs): MvauWidths {
  const W = datatype(a.weightDataType).bitwidth();
  return {
    W,
    A: datatype(a.inputDataType).bitwidth(),
    B: datatype(a.outputDataType).bitwidth(),
    wmemDepth: (a.MW * a.MH) / (a.PE * a.SIMD),
    wmemWidth: a.PE * a.SIMD * W,
    tmemDepth: a.MH / a.PE,
  };
}

/** cycles = (MH/P)·(MW/Q)·prod(numInputVectors). */
export function mvauCycles(a: MvauAttrs): number {
  return (a.MH / a.PE) * (a.MW / a.SIMD) * prod(a.numInputVectors);
}

/** Weight-memory BRAM18 and URAM, shared by the hls and rtl backends. */
export function weightMemory(a: MvauAttrs): { BRAM_18K: number; BRAM_efficiency: number; URAM: number; URAM_efficiency: number } {
  const { W, wmemDepth: d, wmemWidth: w } = widths(a);
  const mode = a.mem_mode;
  const style = a.ram_style;
  const noBram = (mode === 'internal_decoupled' && (style === 'distributed' || style === 'ultra'))
    || (mode === 'internal_embedded' && d <= 128) || mode === 'external';
  const bram = noBram ? 0 : bram18Count(d, w);
  const useUram = (mode === 'internal_decoupled' && style === 'ultra') || (mode === 'internal_embedded' && d > 128);
  const uram = useUram ? uramCount(d, w) : 0;
  const bits = W * a.MW * a.MH;
  return { BRAM_18K: bram, BRAM_efficiency: bramEfficiency(bits, bram), URAM: uram, URAM_efficiency: uramEfficiency(bits, uram) };
}

/** Accumulator LUT width: min(acc bits, ceil(α + log2(1 + 2^−α) + 1)), α = log2(MW) + W + A − 1 − signed(input). */
export function accumulatorBits(a: MvauAttrs, fanIn: number): number {
  const { W, A } = widths(a);
  const alpha = Math.log2(fanIn) + W + A - 1 - (datatype(a.inputDataType).signed() ? 1 : 0);
  const est = Math.ceil(alpha + Math.log2(1 + 2 ** -alpha) + 1);
  return Math.min(datatype(a.accDataType).bitwidth(), est);
}

/** True when the weights avoid the most negative value of their type (−2^(W−1)). */
export function narrowRangeWeights(node: KernelNodeView, a: MvauAttrs): boolean {
  const w = node.constantInput(1);
  if (!w) return false;
  const min = datatype(a.weightDataType).min();
  const data = w.data;
  for (let i = 0; i < data.length; i++) if (Number(data[i]) === min) return false;
  return true;
}

/**
 * FINN's _mvu_rtl_possible: no embedded thresholds, not XNOR, signed weights of ≤ 8 bits, input ≤ 8 bits
 * (or INT9), and narrow-range weights on DSP48E1.
 */
export function rtlPossible(node: KernelNodeView, a: MvauAttrs): boolean {
  const wdt = datatype(a.weightDataType);
  const idt = datatype(a.inputDataType);
  if (a.noActivation !== 1 || a.binaryXnorMode === 1) return false;
  if (!wdt.isInteger() || !idt.isInteger() || !wdt.signed() || wdt.bitwidth() > 8) return false;
  if (idt.bitwidth() > 8 && idt.name !== 'INT9') return false;
  if ((node.target?.dspFamily ?? 'DSP48E2') === 'DSP48E1' && !narrowRangeWeights(node, a)) return false;
  return true;
}

/**
 * The leading (vector) axes of an MVAU input: its own when the last axis is MW; otherwise, when the total
 * size is prod(numInputVectors)·MW (a CNV→FC transition whose Flatten was removed, e.g. [1,3,3,36] with
 * MW = 324), numInputVectors, with the batch axis taken from the input when it holds N such frames.
 * Undefined when neither fits.
 */
export function inputVectors(dims: readonly number[], a: MvauAttrs): number[] | undefined {
  if (dims.length > 0 && dims[dims.length - 1] === a.MW) return dims.slice(0, -1);
  const total = dims.reduce((p, v) => p * v, 1);
  if (total === prod(a.numInputVectors) * a.MW) return [...a.numInputVectors];
  const n = dims[0];
  const perFrame = prod(a.numInputVectors.slice(1)) * a.MW;
  return n !== undefined && dims.length > 1 && total === n * perFrame ? [n, ...a.numInputVectors.slice(1)] : undefined;
}

/** FINN's LUT-based MVAU estimate (the hls formula): LUT = int(300 + 1.1·P·(mult + adder + acc + thr + comp) + c2). */
export function lutMvauEstimate(a: MvauAttrs): Record<string, number> {
  const { W, A, B, wmemDepth, tmemDepth } = widths(a);
  const P = a.PE;
  const Q = a.SIMD;
  const mult = a.resType === 'dsp' ? 0 : Q * (2 * Math.ceil((W + A) / 6) - 1) * (W + A);
  const adder = (W + A) * (2 * Q - 1);
  const acc = accumulatorBits(a, a.MW);
  const thresholdsInLut = a.noActivation === 0 && a.ram_style_thresholds === 'distributed';
  const thr = thresholdsInLut ? (2 ** B - 1) * acc * Math.ceil(tmemDepth / 64) : 0;
  const comp = thresholdsInLut ? (2 ** B - 1) * acc : 0;
  const weightsInLut = (a.mem_mode === 'internal_decoupled' && a.ram_style === 'distributed') || (a.mem_mode === 'internal_embedded' && wmemDepth <= 128);
  const c2 = weightsInLut ? P * Q * W * Math.ceil(wmemDepth / 64) : 0;
  const lut = Math.trunc(300 + 1.1 * P * (mult + adder + acc + thr + comp) + c2);
  const dsp = a.resType === 'dsp' ? P * Q * Math.ceil((W + A) / 48) : 0;
  return resources({ ...weightMemory(a), LUT: lut, DSP: dsp });
}
