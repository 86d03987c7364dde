/**
 * Memory primitive counts shared by the cost models (finn-qonnx reference §2): the BRAM18 table used for
 * weight memories and FIFOs, URAM counts and the efficiencies FINN reports.
 */

/** BRAM18 blocks for a memory `depth` words deep and `width` bits wide (FINN's aspect-ratio table). */
export function bram18Count(depth: number, width: number): number {
  if (depth <= 0 || width <= 0) return 0;
  const c = Math.ceil;
  if (width === 1) return c(depth / 16384);
  if (width === 2) return c(depth / 8192);
  if (width <= 4) return c(depth / 4096) * c(width / 4);
  if (width <= 9) return c(depth / 2048) * c(width / 9);
  if (width <= 18 || depth > 512) return c(depth / 1024) * c(width / 18);
  return c(depth / 512) * c(width / 36);
}

/** URAM blocks (72 × 4096) for a memory `depth` deep and `width` wide. */
export function uramCount(depth: number, width: number): number {
  if (depth <= 0 || width <= 0) return 0;
  return Math.ceil(width / 72) * Math.ceil(depth / 4096);
}

/** Share of the allocated BRAM18 bits that hold data; 1 when nothing is allocated (as FINN reports it). */
export function bramEfficiency(bits: number, bram18: number): number {
  return bram18 === 0 ? 1 : bits / (bram18 * 36 * 512);
}

/** Share of the allocated URAM bits that hold data; 1 when nothing is allocated. */
export function uramEfficiency(bits: number, uram: number): number {
  return uram === 0 ? 1 : bits / (uram * 72 * 4096);
}

export { divisors } from '../util/divisors.js';

/** A resource record with FINN's keys in FINN's order; anything not given is 0 (efficiencies 1). */
export function resources(r: Partial<Record<'BRAM_18K' | 'BRAM_efficiency' | 'LUT' | 'URAM' | 'URAM_efficiency' | 'DSP', number>>): Record<string, number> {
  return {
    BRAM_18K: r.BRAM_18K ?? 0,
    BRAM_efficiency: r.BRAM_efficiency ?? 1,
    LUT: r.LUT ?? 0,
    URAM: r.URAM ?? 0,
    URAM_efficiency: r.URAM_efficiency ?? 1,
    DSP: r.DSP ?? 0,
  };
}

/**
 * A synthesis prediction (a backend's `synthEstimate`) with the keys of FINN's post_synth_resources.json, in
 * its order: LUT (logic, LUTRAM sites and SRLs, as Vivado's "Total LUTs"), SRL, FF, BRAM_36K, BRAM_18K, URAM,
 * DSP; anything not given is 0. LUT is rounded to a whole number.
 */
export function synthResources(r: Partial<Record<'LUT' | 'SRL' | 'FF' | 'BRAM_36K' | 'BRAM_18K' | 'URAM' | 'DSP', number>>): Record<string, number> {
  return {
    LUT: Math.round(r.LUT ?? 0),
    SRL: r.SRL ?? 0,
    FF: Math.round(r.FF ?? 0),
    BRAM_36K: r.BRAM_36K ?? 0,
    BRAM_18K: r.BRAM_18K ?? 0,
    URAM: r.URAM ?? 0,
    DSP: r.DSP ?? 0,
  };
}
