/**
 * What Yosys `synth_xilinx` makes of the generated Lookup (_rtl-gen.ts): the table ROM as LUT logic (each
 * output bit a function of the address), the range check, the output register.
 */
import { clog2, datatype, resources, type KernelNodeView } from '../../src/kernel.js';
import { lookupAttributes } from './kernel.js';

export function synthEstimate(node: KernelNodeView): Record<string, number> {
  const a = lookupAttributes.parse(node.attrs);
  const OB = a.EmbeddingDim * datatype(a.EmbeddingType).bitwidth();
  const AW = clog2(a.NumEmbeddings);
  const perBit = AW <= 6 ? 1 : 2 ** (AW - 6) + Math.ceil((2 ** (AW - 6) - 1) / 4);
  return resources({ LUT: OB * perBit + 1 });
}
