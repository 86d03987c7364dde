/** The cell counts of a Yosys `synth_xilinx; stat` log (its last statistics block), as resource figures. */
export function synthStat(log: string): { LUT: number; DSP: number; BRAM_18K: number; FF: number } {
  const tail = log.slice(log.lastIndexOf('Printing statistics'));
  const cells: Record<string, number> = {};
  for (const m of tail.matchAll(/^\s+(\w+)\s+(\d+)$/gm)) cells[m[1]!] = (cells[m[1]!] ?? 0) + Number(m[2]);
  const sum = (re: RegExp) => Object.entries(cells).filter(([k]) => re.test(k)).reduce((a, [, v]) => a + v, 0);
  return { LUT: sum(/^LUT\d$/), DSP: cells.DSP48E1 ?? 0, BRAM_18K: (cells.RAMB18E1 ?? 0) + 2 * (cells.RAMB36E1 ?? 0), FF: sum(/^FD/) };
}

/**
 * Checks Yosys' cells against a `synthEstimate` of the same RTL: DSP and BRAM exact, LUT within a factor of two
 * (give or take 50 LUTs for small nodes).
 */
export function checkSynthEstimate(log: string, est: Record<string, number>, what: string): void {
  const got = synthStat(log);
  const fail = (m: string) => new Error(`${what}: ${m}`);
  if (got.DSP !== est.DSP) throw fail(`DSP: Yosys ${got.DSP}, estimate ${est.DSP}`);
  if (got.BRAM_18K !== est.BRAM_18K) throw fail(`BRAM_18K: Yosys ${got.BRAM_18K}, estimate ${est.BRAM_18K}`);
  const lut = est.LUT!;
  if (lut > 2 * got.LUT + 50 || lut < got.LUT / 2 - 50) throw fail(`LUT: Yosys ${got.LUT}, estimate ${lut}`);
}

/**
 * Threshold rows ([rows, steps], ascending) picked among the accumulator values `accs` a test's inputs produce
 * (± 1), so that every output level occurs.
 */
export function thresholdsAmong(accs: ArrayLike<number>, rows: number, steps: number, r: (lo: number, hi: number) => number): Float32Array {
  const t = new Float32Array(rows * steps);
  for (let k = 0; k < rows; k++) {
    const row = Array.from({ length: steps }, () => accs[r(0, accs.length - 1)]! + r(-1, 1));
    t.set(row.sort((p, q) => p - q), k * steps);
  }
  return t;
}
