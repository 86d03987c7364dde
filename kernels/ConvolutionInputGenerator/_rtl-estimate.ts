/**
 * What Yosys 0.23 `synth_xilinx` (7-series cells) makes of the Verilog of _rtl-gen.ts: a pure prediction from
 * the generator's plan, fitted on native Yosys runs (docs/RTL-KERNELS.md lists them; LUT within ~15%).
 *
 * - Buffer (D words of W bits, P read ports): LUTRAM when ram_style is distributed (and, as Yosys decides,
 *   auto up to 64 words; ultra is auto on 7-series parts), else BRAM. LUTRAM: RAM32M (2 bits × 3 read ports, 4 LUTs) for D ≤ 32, else
 *   RAM64M (1 bit × 3 read ports, 4 LUTs) per 64-word bank; one port alone gets 3 (6) bits of a primitive.
 *   BRAM: per read port ceil(W/w)·ceil(D/16384) BRAM18 with w = 36/18/9/4/2/1 for D ≤ 512/…/16384.
 * - Logic LUTs: 9 + the output buffer (one LUT per output bit) + 0.7·P·(address width) + 2·(counter bits)
 *   + 4.6·W·P·(banks−1)/banks for the LUTRAM bank read multiplexers.
 * - Inverters (INV cells, which the synthesis report counts as LUTs and Vivado later absorbs): 1.6 per counter
 *   bit (the counters' increments and compares) + 1.4 per extra read port (its address offset); fitted on the
 *   fit table's SWG rows (docs/RTL-ESTIMATES.md). No DSP, no URAM (7-series Yosys has none).
 */
import type { KernelNodeView, ResourceEstimate } from '../../src/index.js';
import { clog2, resources } from '../../src/kernel.js';
import { ramWidthFor, swg } from './_model.js';
import { swgPlan } from './_rtl-gen.js';

/** LUTRAM primitives (4 LUTs each) for `ports` read ports of `width` bits over `depth` words. */
function lutramPrimitives(width: number, depth: number, ports: number): number {
  const bitsPerPort = depth <= 32 ? 2 : 1;
  const banks = depth <= 32 ? 1 : Math.ceil(depth / 64);
  const full = Math.floor(ports / 3);
  const rest = ports % 3;
  // A primitive gives bitsPerPort bits to each of 3 ports, or 3·bitsPerPort bits to a single port.
  const perBank = full * Math.ceil(width / bitsPerPort) + (rest === 0 ? 0 : Math.ceil((rest * width) / (3 * bitsPerPort)));
  return perBank * banks;
}

export function synthEstimate(node: KernelNodeView): ResourceEstimate {
  const a = swg(node);
  const plan = swgPlan(a);
  const { width: W, depth: D, ports } = plan;
  const P = ports.length;
  const style = a.ram_style;
  const lutram = style === 'distributed' || (style !== 'block' && D <= 64);
  const maxDelta = Math.max(plan.deltaX, plan.deltaRow, plan.deltaFrame);
  const counterBits = clog2(D) + (clog2(D + maxDelta + 1) + 1) + clog2(plan.span + 1) +
    plan.levels.reduce((s, l) => s + clog2(l.count), 0) + (plan.ow > 1 ? clog2(plan.ow) : 0) + (plan.oh > 1 ? clog2(plan.oh) : 0);
  const banks = lutram && D > 32 ? Math.ceil(D / 64) : 1;
  const logic = 9 + W * P + 0.7 * P * clog2(2 * D + 1) + 2 * counterBits + (banks > 1 ? (4.6 * W * P * (banks - 1)) / banks : 0);
  const inverters = Math.round(1.6 * counterBits + 1.4 * (P - 1));
  const bram = lutram ? 0 : P * Math.ceil(W / ramWidthFor(D)) * Math.ceil(D / 16384);
  return resources({ LUT: Math.round(logic) + inverters + (lutram ? 4 * lutramPrimitives(W, D, P) : 0), BRAM_18K: bram });
}
