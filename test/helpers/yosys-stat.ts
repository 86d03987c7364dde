/**
 * Resource figures from the `stat` of a Yosys `synth_xilinx` log (7-series cells), in the estimate's terms:
 * LUT = LUT1–LUT6 plus the LUTs of LUTRAM/SRL cells (inverters, which Vivado absorbs, not counted);
 * BRAM_18K = RAMB18E1 + 2·RAMB36E1; DSP = DSP48E1.
 */
const LUTRAM_LUTS: Record<string, number> = {
  RAM32M: 4, RAM64M: 4, RAM32X1D: 2, RAM64X1D: 2, RAM128X1D: 4, RAM32X1S: 1, RAM64X1S: 1, RAM128X1S: 2, RAM256X1S: 4, SRL16E: 1, SRLC32E: 1,
};

export function yosysResources(log: string): { LUT: number; BRAM_18K: number; DSP: number } {
  const stat = log.slice(log.lastIndexOf('Number of cells'));
  const cells: Record<string, number> = {};
  for (const m of stat.matchAll(/^\s+(\w+)\s+(\d+)$/gm)) cells[m[1]!] = Number(m[2]);
  let lut = 0;
  for (const [k, v] of Object.entries(cells)) {
    if (/^LUT[1-6]$/.test(k)) lut += v;
    lut += (LUTRAM_LUTS[k] ?? 0) * v;
  }
  return { LUT: lut, BRAM_18K: (cells.RAMB18E1 ?? 0) + 2 * (cells.RAMB36E1 ?? 0), DSP: cells.DSP48E1 ?? 0 };
}
