/**
 * Verilog for a GlobalAccPool node: per frame, H·W pixels of C/PE words; each PE lane adds its value to the
 * accumulator of its channel (C/PE words of PE sums: a register for one fold, else a memory read and written
 * at the fold's address). The first pixel starts the sums; during the last pixel each sum goes out through the
 * output register instead. One input word per cycle; the output overlaps the last pixel.
 */
import { BrainsmithError, smallestDataType, type GeneratedNode, type KernelNodeView } from '../../src/index.js';
import { counterSink, datatype, elementValue, inputData, nestedCounters, nodeModule, outputData, slotOutputRegister, paddedWidth, prod, requireDivides, type ElementCoding } from '../../src/kernel.js';
import type { z } from '../../src/index.js';
import type { globalAccPoolAttributes } from './kernel.js';

type Attrs = z.infer<typeof globalAccPoolAttributes>;

function coding(dtName: string): ElementCoding {
  const dt = datatype(dtName);
  return dt.name === 'BIPOLAR' ? 'bipolar' : dt.signed() ? 'signed' : 'unsigned';
}

/** Pixels per frame and the output (sum) width. */
export function accPoolShape(a: Attrs): { pixels: number; outBits: number } {
  const t = datatype(a.inputDataType);
  const pixels = prod(a.numInputVectors.slice(1));
  return { pixels, outBits: smallestDataType(t.min() * pixels, t.max() * pixels).bitwidth() };
}

export function generateGlobalAccPool(node: KernelNodeView): GeneratedNode {
  const a = node.attrs as Attrs;
  requireDivides(node.name, 'PE', a.PE, 'NumChannels', a.NumChannels);
  const t = datatype(a.inputDataType);
  if (!t.isInteger()) throw new BrainsmithError('E_HDL_UNSUPPORTED', `node '${node.name}': RTL generation needs an integer inputDataType, got ${a.inputDataType}`, { kind: 'input' });
  const { pixels, outBits: OB } = accPoolShape(a);
  const PE = a.PE;
  const NF = a.NumChannels / PE;
  const A = t.bitwidth();
  const cod = coding(a.inputDataType);
  if (OB < (cod === 'bipolar' ? 2 : A)) throw new BrainsmithError('E_HDL_UNSUPPORTED', `node '${node.name}': a ${OB}-bit sum of ${a.inputDataType}`, { kind: 'input' });
  const WW = PE * OB;
  let b = inputData(0, PE * A, 'in_data') + outputData(WW, 'out_data');
  b += '  wire slot;\n  wire push;\n';
  b += nestedCounters([{ name: 'fold', n: NF }, { name: 'pix', n: pixels }], 'push');
  b += '  assign in0_V_TREADY = !pix_last || slot;\n  assign push = in0_V_TVALID && in0_V_TREADY;\n';
  b += counterSink('last', ['fold_last']);
  if (pixels === 1) b += '';
  else if (NF === 1) b += `  reg [${WW - 1}:0] acc;\n  wire [${WW - 1}:0] acc_rd = acc;\n`;
  else b += `  reg [${WW - 1}:0] acc [0:${NF - 1}];\n  wire [${WW - 1}:0] acc_rd = acc[fold];\n`;
  const sums: string[] = [];
  for (let p = 0; p < PE; p++) {
    const v = cod === 'bipolar' ? Math.max(OB, 2) : OB;
    b += elementValue(`x_${p}`, 'in_data', p * A, A, cod, v);
    // The first pixel adds to zero: the gate folds into the adder's LUTs.
    const add = `(acc_rd[${(p + 1) * OB - 1}:${p * OB}] & {${OB}{pix != 0}}) + x_${p}`;
    b += `  wire [${OB - 1}:0] s_${p} = ${pixels === 1 ? `x_${p}` : add};\n`;
    sums.unshift(`s_${p}`);
  }
  b += `  wire [${WW - 1}:0] sum = {${sums.join(', ')}};\n`;
  if (pixels > 1) b += `  always @(posedge ap_clk) if (push) acc${NF === 1 ? '' : '[fold]'} <= sum;\n`;
  b += slotOutputRegister(WW, 'push && pix_last', 'sum');
  const text = nodeModule({
    name: node.name,
    inputs: [paddedWidth(PE * A)],
    output: paddedWidth(WW),
    about: [`GlobalAccPool: ${a.NumChannels} channels, PE=${PE}, ${pixels} pixels per frame, ${a.inputDataType} -> ${OB}-bit sums.`],
    body: b,
  });
  return { module: node.name, files: { [`${node.name}.v`]: text } };
}
