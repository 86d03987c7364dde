/**
 * What Yosys 0.23 `synth_xilinx` (xc7) makes of a generated `$readmemh` ROM read at a counter or index
 * address, as fitted on our kernels' ROMs: a ROM whose word goes straight into a register (`registered`: a
 * synchronous read) of depth ≥ 512 goes to block RAM (RAMB36 where its width at that
 * depth fills, RAMB18 for the rest, counted in BRAM_18K); other ROMs become LUT logic, about
 * max(1, 2^(addr bits − 6)) LUTs per output bit for a varied content (constant bits cost nothing, so this
 * is an upper estimate for regular contents).
 */
import { clog2 } from './verilog.js';
import { blockRamChoice, RAMB18_COST } from './streams.js';
import { seededInts } from '../util/prng.js';

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

/**
 * LUTs per 64 words of a column read at an address without the reset gate (RomResetRead 'select', the XNOR
 * weights): a function of the address bits only, 2^(aw − 6) LUT6 joined by MUXF7/F8 and, above 256 words, a
 * few LUTs more. Fitted on the table's XNOR rows of 128…512-word LUT ROMs (0.9–1.1 each, the datapath as fitted); ROMs alone, less
 * their address counter and the select's LUT per column (Yosys 0.23): random 256 × 16 0.92, random 512 × 8
 * 1.22. The gated curve's depth / 32 (2 per 64 words) over-counts them by 40%. At 64 words and fewer the
 * curve stays as fitted with the datapath weights.
 */
const UNGATED_LUT_PER_64_WORDS = 1.15;

/**
 * What Yosys 0.23 `synth_xilinx` (xc7) makes of a constant ROM read through romReadAtCounter (a registered
 * read at a registered address gated by the reset, RomResetRead 'address'), from its contents. Columns (output bits) constant over
 * every word become constants; the others either go to block RAM, when memory_libmap finds a RAMB18/RAMB36
 * shape (cost 129 / 257 per cell, widths 1…36 / 1…72 at 16K / 32K bits) cheaper than 1/64 per bit of logic,
 * or stay logic: one LUT tree per distinct varying column, a LUT6 of 5 address bits and the reset up to 32
 * words, then about depth/32 LUTs (joined by MUXF7/F8, not counted; 15% fewer below 256 words), and one FF
 * per column. Measured on random ROMs of 8…1024 words × 8…64 bits (docs/RTL-ESTIMATES.md); the address
 * register costs a few LUTs more. A one-word ROM is a constant: nothing here.
 * `wordKept`: the read word stays in its own flip-flops in front of the logic it feeds (Thresholding's
 * compares). Then a 33…64-word column is one LUT6 of the address with the reset on a MUXF7 to word 0's
 * constant (two LUT6 where ABC splits it): 1.3 LUT measured (random 64 × 32 and 64 × 64 ROMs 1.28, the
 * Thresholding C256 P4 netlist 1.23). `ungated`: the address is not gated by the reset (word 0 through a select after
 * the read), so above 64 words a column costs UNGATED_LUT_PER_64_WORDS per 64 words. In the MAC kernels Yosys merges the weight word into the products (no
 * word flip-flops in the netlist), and their datapath weights were fitted with the 1.7 of the curve above.
 */
export function registeredRomEstimate(words: readonly bigint[], bits: number, wordKept = false, ungated = false): { LUT: number; FF: number; BRAM_18K: number; columns: number } {
  const depth = words.length;
  if (depth <= 1) return { LUT: 0, FF: 0, BRAM_18K: 0, columns: 0 };
  const rows = words.map((w) => w.toString(2).padStart(bits, '0'));
  const distinct = new Set<string>();
  let varying = 0;
  for (let i = 0; i < bits; i++) {
    let col = '';
    for (const r of rows) col += r[r.length - 1 - i];
    if (col.includes('0') && col.includes('1')) {
      varying++;
      distinct.add(col);
    }
  }
  const address = 2 * clog2(depth);
  const bram = blockRamChoice(depth, varying);
  if (varying > 0 && bram.cost < (varying * depth) / 64) return { LUT: address, FF: clog2(depth), BRAM_18K: bram.BRAM_18K, columns: varying };
  return { LUT: Math.round(distinct.size * lutsPerColumn(depth, wordKept, ungated) + address), FF: distinct.size + clog2(depth), BRAM_18K: 0, columns: distinct.size };
}

/** LUTs of one distinct varying column of a ROM kept in logic (the curves of registeredRomEstimate). */
function lutsPerColumn(depth: number, wordKept: boolean, ungated: boolean): number {
  if (depth <= 32) return 1;
  if (depth <= 64 && wordKept) return 1.3;
  if (depth > 64 && ungated) return (UNGATED_LUT_PER_64_WORDS * depth) / 64;
  return depth < 256 ? (0.85 * depth) / 32 : depth / 32;
}

/** Stand-in contents for a ROM whose constants are not known yet: seeded random words, so every column varies and differs. */
export function unknownRomWords(depth: number, bits: number): bigint[] {
  const r = seededInts(depth * 7919 + bits);
  return Array.from({ length: depth }, () => {
    let w = 0n;
    for (let b = 0; b < bits; b += 16) w = (w << 16n) | BigInt(r(0, 0xffff));
    return w & ((1n << BigInt(bits)) - 1n);
  });
}

/**
 * The RAMB18s a ROM of `depth` words of `bits` read synchronously (the word registered: Lookup's table)
 * takes when Yosys's memory_libmap puts it in block RAM, its bits / 64 (the LUT6s
 * of logic it would take) above RAMB18_COST per RAMB18; else 0.
 */
export function syncRomBlocks(depth: number, bits: number): number {
  // At 512 words or fewer, the widths of a 512-word RAM.
  const blocks = romSynthEstimate(Math.max(depth, 512), bits, true).BRAM_18K;
  return depth > 1 && (depth * bits) / 64 > RAMB18_COST * blocks ? blocks : 0;
}
