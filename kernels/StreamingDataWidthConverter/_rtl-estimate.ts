/**
 * What Yosys (0.23, `synth_xilinx -family xc7`) makes of the width converters (hdl/bs_dwc_up.v,
 * hdl/bs_dwc_down.v), fitted on the table of docs/RTL-ESTIMATES.md. An up-converter is registers and a
 * counter; a down-converter's shifting hold register costs by its ratio, not its width (measured: ratios 4 to
 * 15, a 3- or 4-bit count, cost ~1.9 LUT per bit, two LUT6 and a MUXF7 each, as ABC folds the push/pop control
 * into every bit; ratio 3 and ratios from 16 about one per bit; ratio 2 1.3). Widths that are not multiples go
 * through both, via their least common multiple.
 */
import type { KernelNodeView, ResourceEstimate } from '../../src/index.js';
import { clog2, synthResources } from '../../src/kernel.js';
import { dwc } from './_model.js';

function gcd(x: number, y: number): number {
  return y === 0 ? x : gcd(y, x % y);
}

function up(iw: number, ratio: number): { LUT: number; FF: number } {
  return { LUT: 3 * clog2(ratio) + 2, FF: iw * (2 * ratio - 1) + clog2(ratio) + 1 };
}

function down(width: number, ratio: number): { LUT: number; FF: number } {
  if (ratio === 2) return { LUT: 1.3 * width, FF: width + 2 };
  const folded = ratio >= 4 && ratio < 16;
  return { LUT: folded ? 1.9 * width + 6 : 1.05 * width + 8, FF: width + clog2(ratio + 1) };
}

export function dwcSynthEstimate(inWidth: number, outWidth: number): ResourceEstimate {
  if (inWidth === outWidth) return synthResources({});
  const lcm = (inWidth * outWidth) / gcd(inWidth, outWidth);
  const parts: Array<{ LUT: number; FF: number }> = [];
  if (lcm !== inWidth) parts.push(up(inWidth, lcm / inWidth));
  if (lcm !== outWidth) parts.push(down(lcm, lcm / outWidth));
  return synthResources({ LUT: parts.reduce((a, p) => a + p.LUT, 0), FF: parts.reduce((a, p) => a + p.FF, 0) });
}

export function synthEstimate(node: KernelNodeView): ResourceEstimate {
  const a = dwc(node);
  return dwcSynthEstimate(a.inWidth, a.outWidth);
}
