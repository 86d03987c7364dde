/**
 * From Yosys `stat` to FINN's post_synth_resources.json keys (what FINN reads from Vivado's hierarchical
 * utilization report): `LUT`, `SRL`, `FF`, `BRAM_36K`, `BRAM_18K`, `URAM`, `DSP`.
 *
 * Counting rule (Vivado's "Total LUTs" = logic LUTs + LUTRAM + SRL):
 * - LUT: every LUT1..LUT6 (and INV, which Vivado places as a LUT1), plus the LUT sites of each LUTRAM cell
 *   (RAM32X1S/RAM64X1S/RAM16X1S 1, RAM32X1D/RAM64X1D/RAM128X1S 2, RAM128X1D/RAM256X1S/RAM32M/RAM64M 4,
 *   RAM32M16/RAM64M8/RAM512X1S 8), plus every SRL (an SRL occupies one LUT).
 * - SRL: SRL16E, SRLC16E, SRLC32E.
 * - FF: FDRE, FDSE, FDCE, FDPE (and their _1 variants), LDCE, LDPE.
 * - BRAM_36K: RAMB36E1/E2, FIFO36E1/E2; BRAM_18K: RAMB18E1/E2, FIFO18E1/E2 (FINN keeps the two apart).
 * - URAM: URAM288 (and URAM288_BASE); DSP: DSP48E1, DSP48E2, DSP58.
 * CARRY4/CARRY8, MUXF7/F8/F9 and I/O or clock buffers are not counted (Vivado lists them elsewhere).
 */

export const SYNTH_KEYS = ['LUT', 'SRL', 'FF', 'BRAM_36K', 'BRAM_18K', 'URAM', 'DSP'] as const;
export type SynthKey = (typeof SYNTH_KEYS)[number];
export type SynthResources = Record<SynthKey, number>;

/** LUT sites of each LUTRAM primitive. */
export const LUTRAM_SITES: Readonly<Record<string, number>> = {
  RAM16X1S: 1, RAM32X1S: 1, RAM64X1S: 1, RAM16X1D: 2, RAM32X1D: 2, RAM64X1D: 2, RAM128X1S: 2,
  RAM128X1D: 4, RAM256X1S: 4, RAM256X1D: 8, RAM512X1S: 8, RAM32M: 4, RAM64M: 4, RAM32M16: 8, RAM64M8: 8,
  ROM32X1: 1, ROM64X1: 1, ROM128X1: 2, ROM256X1: 4,
};

const SRL = new Set(['SRL16E', 'SRLC16E', 'SRLC32E', 'SRL16', 'SRLC16']);
const FF = /^(FD[RSCP]E(_1)?|FD[RSCP]?(_1)?|LD[CP]E)$/;
const BRAM36 = new Set(['RAMB36E1', 'RAMB36E2', 'FIFO36E1', 'FIFO36E2']);
const BRAM18 = new Set(['RAMB18E1', 'RAMB18E2', 'FIFO18E1', 'FIFO18E2']);
const URAM = new Set(['URAM288', 'URAM288_BASE']);
const DSP = new Set(['DSP48E1', 'DSP48E2', 'DSP58']);

export function emptyResources(): SynthResources {
  return { LUT: 0, SRL: 0, FF: 0, BRAM_36K: 0, BRAM_18K: 0, URAM: 0, DSP: 0 };
}

/** FINN's keys from a cell count per cell type. */
export function resourcesOfCells(cells: Readonly<Record<string, number>>): SynthResources {
  const r = emptyResources();
  for (const [type, n] of Object.entries(cells)) {
    if (/^LUT[1-6]$/.test(type) || type === 'INV') r.LUT += n;
    else if (LUTRAM_SITES[type] !== undefined) r.LUT += n * LUTRAM_SITES[type]!;
    else if (SRL.has(type)) {
      r.SRL += n;
      r.LUT += n;
    } else if (FF.test(type)) r.FF += n;
    else if (BRAM36.has(type)) r.BRAM_36K += n;
    else if (BRAM18.has(type)) r.BRAM_18K += n;
    else if (URAM.has(type)) r.URAM += n;
    else if (DSP.has(type)) r.DSP += n;
  }
  return r;
}

/**
 * Cell counts by type from the last `stat` printed in a Yosys log (after `synth_xilinx -flatten` the design is
 * one module). Undefined when the log holds no statistics.
 */
export function parseStatCells(log: string): Record<string, number> | undefined {
  const lines = log.split(/\r?\n/);
  let start = -1;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (/^\s*Number of cells:\s*\d+/.test(lines[i]!)) {
      start = i;
      break;
    }
  }
  if (start < 0) return undefined;
  const cells: Record<string, number> = {};
  for (let i = start + 1; i < lines.length; i++) {
    const m = /^\s+(\$?[A-Za-z_][\w$]*)\s+(\d+)\s*$/.exec(lines[i]!);
    if (!m) break;
    cells[m[1]!] = (cells[m[1]!] ?? 0) + Number(m[2]);
  }
  return cells;
}

/** Sums resources (for totals). */
export function addResources(a: SynthResources, b: Readonly<Partial<SynthResources>>): SynthResources {
  const r = { ...a };
  for (const k of SYNTH_KEYS) r[k] += b[k] ?? 0;
  return r;
}
