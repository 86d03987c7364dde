/** The cell counts of a Yosys `synth_xilinx; stat` log (its last statistics block), as resource figures. */
export function synthStat(log: string): { LUT: number; DSP: number; BRAM_18K: number; FF: number } {
  const tail = log.slice(log.lastIndexOf('Printing statistics'));
  const cells: Record<string, number> = {};
  for (const m of tail.matchAll(/^\s+(\w+)\s+(\d+)$/gm)) cells[m[1]!] = (cells[m[1]!] ?? 0) + Number(m[2]);
  const sum = (re: RegExp) => Object.entries(cells).filter(([k]) => re.test(k)).reduce((a, [, v]) => a + v, 0);
  return { LUT: sum(/^LUT\d$/), DSP: cells.DSP48E1 ?? 0, BRAM_18K: (cells.RAMB18E1 ?? 0) + 2 * (cells.RAMB36E1 ?? 0), FF: sum(/^FD/) };
}
