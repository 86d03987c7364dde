/**
 * What Yosys `synth_xilinx` makes of the generated Lookup (_rtl-gen.ts): the table ROM (block RAM from 512
 * rows, the output register absorbed, else LUT logic; src/hdl/rom-estimate.ts), the index range check and the
 * output register's control.
 */
import { clog2, datatype, resources, romSynthEstimate, type KernelNodeView } from '../../src/kernel.js';
import { lookupAttributes } from './kernel.js';

export function synthEstimate(node: KernelNodeView): Record<string, number> {
  const a = lookupAttributes.parse(node.attrs);
  const rom = romSynthEstimate(a.NumEmbeddings, a.EmbeddingDim * datatype(a.EmbeddingType).bitwidth(), true);
  // With block RAM the range check and the address multiplexer remain in LUTs (about two per address bit).
  const control = rom.BRAM_18K > 0 ? 2 * clog2(a.NumEmbeddings) + 4 : 2;
  return resources({ LUT: rom.LUT + control, BRAM_18K: rom.BRAM_18K });
}
