import { defineBackend } from '../../src/index.js';
import { bramEfficiency, datatype, resources, uramEfficiency } from '../../src/kernel.js';
import { thresholding, type ThresholdingAttrs } from './_model.js';
import { generateThresholding } from './_rtl-gen.js';
import { synthEstimate } from './_rtl-estimate.js';

type MemClass = 'URAM' | 'BRAM' | 'LUTRAM';
/** Primitive aspect ratios (width × depth) per class. */
const PRIMITIVES: Record<MemClass, Array<[number, number]>> = {
  URAM: [[72, 4096], [36, 8192], [18, 16384], [9, 32768]],
  BRAM: [[36, 512], [18, 1024], [9, 2048]],
  LUTRAM: [[1, 64]],
};

/** The least-waste mapping of a width×depth memory onto the primitives of the allowed classes. */
export function mapMemory(width: number, depth: number, classes: readonly MemClass[]): { cls: MemClass; count: number } {
  let best: { cls: MemClass; count: number; waste: number } | undefined;
  for (const cls of classes) {
    for (const [pw, pd] of PRIMITIVES[cls]) {
      const count = Math.ceil(width / pw) * Math.ceil(depth / pd);
      const waste = count * pw * pd - width * depth;
      if (!best || waste < best.waste) best = { cls, count, waste };
    }
  }
  return { cls: best!.cls, count: best!.count };
}

/** Memory class forced by the depth triggers (0 = unset), else every class competes. */
function classesFor(a: ThresholdingAttrs, depth: number): MemClass[] {
  if (a.depth_trigger_uram === 0 && a.depth_trigger_bram === 0) return ['URAM', 'BRAM', 'LUTRAM'];
  if (a.depth_trigger_uram > 0 && depth >= a.depth_trigger_uram) return ['URAM'];
  if (a.depth_trigger_bram > 0 && depth >= a.depth_trigger_bram) return ['BRAM'];
  return ['LUTRAM'];
}

export default defineBackend({
  name: 'Thresholding_rtl',
  kernel: 'Thresholding',
  language: 'rtl',
  description: 'RTL thresholding (binary-search tree of threshold memories)',
  isViable() {
    return true;
  },
  /** Per PE, B memories of (wbits × (C/P)·2^x), x = 0..B−1, each on its least-waste primitive; totals ×P. */
  estimate(node) {
    const a = thresholding(node);
    const B = datatype(a.outputDataType).bitwidth();
    const wbits = datatype(a.weightDataType).bitwidth();
    const totals: Record<MemClass, number> = { URAM: 0, BRAM: 0, LUTRAM: 0 };
    const bits: Record<MemClass, number> = { URAM: 0, BRAM: 0, LUTRAM: 0 };
    for (let x = 0; x < B; x++) {
      const depth = (a.NumChannels / a.PE) * 2 ** x;
      const m = mapMemory(wbits, depth, classesFor(a, depth));
      totals[m.cls] += m.count * a.PE;
      bits[m.cls] += wbits * depth * a.PE;
    }
    return resources({
      BRAM_18K: totals.BRAM,
      BRAM_efficiency: bramEfficiency(bits.BRAM, totals.BRAM),
      LUT: totals.LUTRAM,
      URAM: totals.URAM,
      URAM_efficiency: uramEfficiency(bits.URAM, totals.URAM),
    });
  },
  /** What Yosys makes of our RTL (docs/RTL-ESTIMATES.md); `estimate` keeps FINN's formulas. */
  synthEstimate(node) {
    return synthEstimate(node);
  },
  generate(node) {
    return generateThresholding(node);
  },
});
