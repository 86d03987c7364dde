/**
 * What Yosys `synth_xilinx` makes of the generated Lookup (_rtl-gen.ts): the table ROM, its word registered
 * (a synchronous read), in block RAM or LUT logic as Yosys's memory_libmap finds cheaper, the index range
 * check and the output register's control.
 * - Block RAM when the ROM's bits / 64 (the LUT6s it would take) exceed 129 per RAMB18 it needs (Yosys's cost
 *   of a RAMB18; a RAMB36 is about two): the rule that separates every Lookup of the fit table (256×32 bits in
 *   LUTs, 300×64 in two RAMB18, docs/RTL-ESTIMATES.md). From 512 words this is always block RAM.
 * - Otherwise LUT logic (src/hdl/rom-estimate.ts).
 */
import { clog2, datatype, resources, romSynthEstimate, syncRomBlocks, type KernelNodeView } from '../../src/kernel.js';
import { lookupAttributes } from './kernel.js';

export function synthEstimate(node: KernelNodeView): Record<string, number> {
  const a = lookupAttributes.parse(node.attrs);
  const bits = a.EmbeddingDim * datatype(a.EmbeddingType).bitwidth();
  const blocks = syncRomBlocks(a.NumEmbeddings, bits);
  const rom = blocks > 0 ? { LUT: 0, BRAM_18K: blocks } : romSynthEstimate(a.NumEmbeddings, bits, false);
  // With block RAM the range check and the address multiplexer remain in LUTs (about two per address bit).
  const control = rom.BRAM_18K > 0 ? 2 * clog2(a.NumEmbeddings) + 4 : 2;
  return resources({ LUT: rom.LUT + control, BRAM_18K: rom.BRAM_18K });
}
