/**
 * VVAU (vector–vector–activation unit, the depthwise-conv MVAU): attributes, folding and cost formulas
 * shared by its backends (finn-qonnx reference §2; P = PE over Channels, Q = SIMD over kh·kw).
 */
import { z, type KernelNodeView } from '../../src/index.js';
import { bramEfficiency, datatype, datatypeName, flag, hwCommonAttributes, positiveInt, weightMemoryAttributes, requireDivides, uramCount, uramEfficiency } from '../../src/kernel.js';

export const vvauAttributes = z.looseObject({
  ...hwCommonAttributes,
  PE: positiveInt.default(1),
  SIMD: positiveInt.default(1),
  /** Output image [H, W]. */
  Dim: z.array(positiveInt).length(2),
  Channels: positiveInt,
  Kernel: z.array(positiveInt).length(2),
  resType: z.enum(['auto', 'lut', 'dsp']).default('auto'),
  ActVal: z.number().int().default(0),
  inputDataType: datatypeName,
  weightDataType: datatypeName,
  outputDataType: datatypeName,
  accDataType: datatypeName.default('INT32'),
  noActivation: flag.default(0),
  ...weightMemoryAttributes,
});
export type VvauAttrs = z.infer<typeof vvauAttributes>;

/** PE must divide Channels and SIMD must divide kh·kw. */
export function vvau(node: KernelNodeView): VvauAttrs {
  const a = node.attrs as VvauAttrs;
  requireDivides(node.name, 'PE', a.PE, 'Channels', a.Channels);
  requireDivides(node.name, 'SIMD', a.SIMD, 'kernel size kh·kw', kernelSize(a));
  return a;
}

export function kernelSize(a: VvauAttrs): number {
  return a.Kernel[0]! * a.Kernel[1]!;
}

/** cycles = (C·kh·kw/P/Q)·H·W. */
export function vvauCycles(a: VvauAttrs): number {
  return ((a.Channels * kernelSize(a)) / a.PE / a.SIMD) * a.Dim[0]! * a.Dim[1]!;
}

export function widths(a: VvauAttrs): { W: number; A: number; B: number; wmemDepth: number; wmemWidth: number; tmemDepth: number } {
  const W = datatype(a.weightDataType).bitwidth();
  return {
    W,
    A: datatype(a.inputDataType).bitwidth(),
    B: datatype(a.outputDataType).bitwidth(),
    wmemDepth: (kernelSize(a) * a.Channels) / a.PE / a.SIMD,
    wmemWidth: a.PE * a.SIMD * W,
    tmemDepth: a.Channels / a.PE,
  };
}

/** FINN's VVAU BRAM table: the MVAU thresholds with width divisors 4, 8, 16, 32. */
export function vvauBram18(depth: number, width: number): number {
  const c = Math.ceil;
  if (width === 1) return c(depth / 16384);
  if (width === 2) return c(depth / 8192);
  if (width <= 4) return c(depth / 4096) * c(width / 4);
  if (width <= 9) return c(depth / 2048) * c(width / 8);
  if (width <= 18 || depth > 512) return c(depth / 1024) * c(width / 16);
  return c(depth / 512) * c(width / 32);
}

/** Weight memory: BRAM 0 for decoupled distributed/ultra, embedded ω ≤ 128, external, or auto with ω ≤ 128. */
export function weightMemory(a: VvauAttrs): { BRAM_18K: number; BRAM_efficiency: number; URAM: number; URAM_efficiency: number } {
  const { W, wmemDepth: d, wmemWidth: w } = widths(a);
  const mode = a.mem_mode;
  const style = a.ram_style;
  const noBram = (mode === 'internal_decoupled' && (style === 'distributed' || style === 'ultra'))
    || (mode === 'internal_embedded' && d <= 128) || mode === 'external' || (style === 'auto' && d <= 128);
  const bram = noBram ? 0 : vvauBram18(d, w);
  const useUram = (mode === 'internal_decoupled' && style === 'ultra') || (mode === 'internal_embedded' && d > 128);
  const uram = useUram ? uramCount(d, w) : 0;
  const bits = W * a.Channels * kernelSize(a);
  return { BRAM_18K: bram, BRAM_efficiency: bramEfficiency(bits, bram), URAM: uram, URAM_efficiency: uramEfficiency(bits, uram) };
}

/** Accumulator LUT width: min(acc bits, ceil(α + log2(1 + 2^−α) + 1)), α = log2(kh·kw) + W + A − 1 − signed(input). */
export function accumulatorBits(a: VvauAttrs): number {
  const { W, A } = widths(a);
  const alpha = Math.log2(kernelSize(a)) + W + A - 1 - (datatype(a.inputDataType).signed() ? 1 : 0);
  return Math.min(datatype(a.accDataType).bitwidth(), Math.ceil(alpha + Math.log2(1 + 2 ** -alpha) + 1));
}

/** The MVAU rtl conditions (no thresholds, signed weights ≤ 8 bits, input ≤ 8 bits or INT9) on a Versal part. */
export function rtlPossible(node: KernelNodeView, a: VvauAttrs): boolean {
  const wdt = datatype(a.weightDataType);
  const idt = datatype(a.inputDataType);
  if (!node.target?.versal) return false;
  if (a.noActivation !== 1) return false;
  if (!wdt.isInteger() || !idt.isInteger() || !wdt.signed() || wdt.bitwidth() > 8) return false;
  return idt.bitwidth() <= 8 || idt.name === 'INT9';
}
