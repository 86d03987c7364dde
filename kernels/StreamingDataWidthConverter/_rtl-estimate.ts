/**
 * What Yosys (0.23, `synth_xilinx -family xc7`) makes of the width converters (hdl/bs_dwc_up.v,
 * hdl/bs_dwc_down.v), fitted on the table of docs/RTL-ESTIMATES.md. An up-converter is registers and a
 * counter; a down-converter's shifting hold register costs about one LUT per bit when it is wide, two when it
 * is narrow (Yosys turns it into read multiplexers), 1.3 at ratio 2. Widths that are not multiples go through
 * both, via their least common multiple.
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

function down(width: number, ratio: number, chained: boolean): { LUT: number; FF: number } {
  const perBit = ratio === 2 ? 1.3 : !chained && width <= 100 ? 2 : 1.05;
  return { LUT: perBit * width + (perBit === 1.05 ? 8 : perBit === 2 ? 2 : 0), FF: width + clog2(ratio + 1) };
}

export function dwcSynthEstimate(inWidth: number, outWidth: number): ResourceEstimate {
  if (inWidth === outWidth) return synthResources({});
  const lcm = (inWidth * outWidth) / gcd(inWidth, outWidth);
  const parts: Array<{ LUT: number; FF: number }> = [];
  if (lcm !== inWidth) parts.push(up(inWidth, lcm / inWidth));
  if (lcm !== outWidth) parts.push(down(lcm, lcm / outWidth, lcm !== inWidth));
  return synthResources({ LUT: parts.reduce((a, p) => a + p.LUT, 0), FF: parts.reduce((a, p) => a + p.FF, 0) });
}

export function synthEstimate(node: KernelNodeView): ResourceEstimate {
  const a = dwc(node);
  return dwcSynthEstimate(a.inWidth, a.outWidth);
}
