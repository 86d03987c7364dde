/**
 * What Yosys 0.23 `synth_xilinx` (xc7) makes of a generated `$readmemh` ROM read at a counter or index
 * address, as fitted on our kernels' ROMs: a ROM whose word goes straight into a register (`registered`: a
 * synchronous read) of depth ≥ 512 goes to block RAM (RAMB36 where its width at that
 * depth fills, RAMB18 for the rest, counted in BRAM_18K); other ROMs become LUT logic, about
 * max(1, 2^(addr bits − 6)) LUTs per output bit for a varied content (constant bits cost nothing, so this
 * is an upper estimate for regular contents).
 */
import { clog2 } from './verilog.js';

/** RAMB36 / RAMB18 data width at `depth` (simple dual port widths, as Yosys maps ROMs). */
function bramWidths(depth: number): { w36: number; w18: number } {
  const table: Array<[number, number, number]> = [[512, 72, 36], [1024, 36, 18], [2048, 18, 9], [4096, 9, 4], [8192, 4, 2], [16384, 2, 1], [32768, 1, 1]];
  const row = table.find(([d]) => depth <= d) ?? [depth, 1, 1];
  return { w36: row[1], w18: row[2] };
}

export function romSynthEstimate(depth: number, bits: number, registered: boolean): { LUT: number; BRAM_18K: number } {
  if (depth <= 1) return { LUT: 0, BRAM_18K: 0 };
  if (registered && depth >= 512) {
    const { w36, w18 } = bramWidths(depth);
    const n36 = w36 > w18 ? Math.floor(bits / w36) : 0;
    const rest = bits - n36 * w36;
    const perStack = Math.ceil(depth / 32768);
    return { LUT: 0, BRAM_18K: perStack * (2 * n36 + Math.ceil(rest / w18)) };
  }
  const aw = clog2(depth);
  return { LUT: Math.round(bits * Math.max(1, 2 ** (aw - 6)) * (2 ** aw === depth || aw > 6 ? 1 : 1.6)), BRAM_18K: 0 };
}
