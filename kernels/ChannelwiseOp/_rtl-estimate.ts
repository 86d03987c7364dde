/**
 * What Yosys `synth_xilinx` (xc7) makes of the generated ChannelwiseOp (_rtl-gen.ts), counted as the synthesis
 * report counts (INV cells are LUTs); fitted on the fit table's ChannelwiseOp rows (docs/RTL-ESTIMATES.md).
 * - Per lane, the Func's datapath on the W-bit two's-complement operands: add, one LUT per result bit kept on
 *   the carry chain (with one fold the constant's bits become inverters, about XV/2); mul, a DSP48E1 when the
 *   kept result is ≥ 9 bits and there are several folds, else a LUT multiplier of XV·PV LUTs (its parameter ROM
 *   adds nothing measurable with up to 8 folds), or shifts and adds by a constant (≈ kept/3) with one fold;
 *   compare, a carry chain of W/2 + 1 LUTs.
 * - The parameter ROM of C/PE words: Yosys maps it to flip-flops (the fold register moves into its read
 *   port, so the word is registered) and a select tree per bit that varies across the folds (constant bits
 *   cost nothing). LUTs per varying bit, measured by address bits: ≤ 2, folded into the add or compare LUTs;
 *   3, 0.9; 4, 4.2 (a MUXF7/MUXF8 tree of LUT6); 5, 0.8; 6, 2.2 (1.6 to 2.9 measured); doubling per further bit.
 *   A synchronous read, so block RAM where memory_libmap finds it cheaper (the kit's syncRomBlocks, as Lookup's table).
 * - The fold counter: two LUTs per bit, and one of handshake.
 */
import { datatype, numbers, resources, syncRomBlocks, type KernelNodeView } from '../../src/kernel.js';
import { channelwiseOpAttributes } from './kernel.js';
import { channelwiseWidths } from './_rtl-gen.js';

/** Bit columns of the PE·PV-bit parameter words that are not the same in every fold. */
function varyingRomBits(params: readonly number[], PE: number, PV: number, NF: number): number {
  let n = 0;
  for (let p = 0; p < PE; p++) {
    for (let b = 0; b < PV; b++) {
      const bit = (f: number) => (BigInt.asUintN(PV, BigInt(params[(f * PE + p) % params.length]!)) >> BigInt(b)) & 1n;
      for (let f = 1; f < NF; f++) if (bit(f) !== bit(0)) { n++; break; }
    }
  }
  return n;
}

/** LUTs per varying ROM bit by address bits (measured; see the header). */
function romLutsPerBit(addressBits: number): number {
  const measured = [0, 0, 0, 0.9, 4.2, 0.8, 2.2];
  return addressBits < measured.length ? measured[addressBits]! : 2.2 * 2 ** (addressBits - 6);
}

export function synthEstimate(node: KernelNodeView): Record<string, number> {
  const a = channelwiseOpAttributes.parse(node.attrs);
  const pt = node.constantInput(1);
  const pdt = datatype(a.paramDataType);
  const params = pt ? numbers(pt, 'parameters') : [pdt.min(), pdt.max()];
  const { XV, PV, RW, OB } = channelwiseWidths(a, params);
  const W = Math.max(XV, PV, RW);
  const NF = a.NumChannels / a.PE;
  const kept = Math.min(RW, OB);
  const onDsp = a.Func === 'mul' && NF > 1 && kept >= 9;
  let lane: number;
  if (a.Func === 'add') lane = NF > 1 ? kept : Math.ceil(XV / 2);
  else if (a.Func === 'mul') lane = onDsp ? 0 : NF > 1 ? XV * PV : Math.ceil(kept / 3);
  else lane = Math.ceil(W / 2) + 1;
  const addressBits = NF > 1 ? Math.ceil(Math.log2(NF)) : 0;
  const romFolded = addressBits <= 2 || (a.Func === 'mul' && !onDsp && addressBits <= 3);
  const blocks = romFolded ? 0 : syncRomBlocks(NF, a.PE * PV);
  const rom = romFolded || blocks > 0 ? 0 : romLutsPerBit(addressBits) * varyingRomBits(Array.from(params), a.PE, PV, NF);
  return resources({ LUT: Math.round(a.PE * lane + rom + 2 * addressBits + 1), DSP: onDsp ? a.PE : 0, BRAM_18K: blocks });
}
