/**
 * Verilog for a DownSampler node: the input streams D×D pixels (1D: D) of C/SIMD words; a pixel whose row and
 * column are multiples of Stride passes to the output register, every other word is consumed and dropped.
 * Phase counters (mod Stride) beside the row/column counters avoid a division. One input word per cycle.
 */
import type { GeneratedNode, KernelNodeView } from '../../src/index.js';
import { clog2, counterSink, datatype, inputData, nestedCounters, nodeModule, outputData, slotOutputRegister, paddedWidth, requireDivides } from '../../src/kernel.js';
import type { z } from '../../src/index.js';
import type { downSamplerAttributes } from './kernel.js';

type Attrs = z.infer<typeof downSamplerAttributes>;

/** A phase counter mod `s` that advances on `step` and restarts on `restart` (both sampled with `step`). */
function phase(name: string, s: number, step: string, restart: string): string {
  if (s === 1) return `  wire ${name}_zero = 1'b1;\n`;
  const w = clog2(s);
  return `  reg [${w - 1}:0] ${name};
  wire ${name}_zero = ${name} == ${w}'d0;
  always @(posedge ap_clk) begin
    if (!ap_rst_n) ${name} <= ${w}'d0;
    else if (${step}) ${name} <= (${restart} || ${name} == ${w}'d${s - 1}) ? ${w}'d0 : ${name} + ${w}'d1;
  end
`;
}

export function generateDownSampler(node: KernelNodeView): GeneratedNode {
  const a = node.attrs as Attrs;
  requireDivides(node.name, 'SIMD', a.SIMD, 'NumChannels', a.NumChannels);
  const A = datatype(a.inputDataType).bitwidth();
  const W = a.SIMD * A;
  const NF = a.NumChannels / a.SIMD;
  const D = a.ImgDim;
  const S = a.Stride;
  const twoD = a.is1D === 0;
  let b = inputData(0, W, 'in_data') + outputData(W, 'out_data');
  b += '  wire slot;\n  wire keep;\n';
  b += '  assign in0_V_TREADY = !keep || slot;\n  wire push = in0_V_TVALID && in0_V_TREADY;\n';
  if (S === 1) b += "  assign keep = 1'b1;\n";
  else {
    const dims = [{ name: 'fold', n: NF }, { name: 'col', n: D }, ...(twoD ? [{ name: 'row', n: D }] : [])];
    b += nestedCounters(dims, 'push');
    b += phase('col_ph', S, 'push && fold_last', 'col_last');
    if (twoD) b += phase('row_ph', S, 'push && fold_last && col_last', 'row_last');
    b += `  assign keep = col_ph_zero${twoD ? ' && row_ph_zero' : ''};\n`;
    b += counterSink('last', dims.map((d) => `${d.name}_last`));
  }
  b += slotOutputRegister(W, 'push && keep', 'in_data');
  const text = nodeModule({
    name: node.name,
    inputs: [paddedWidth(W)],
    output: paddedWidth(W),
    about: [`DownSampler: ${twoD ? `${D}x${D}` : `${D}`} pixels, ${a.NumChannels} channels, SIMD=${a.SIMD}, stride ${S}, ${a.inputDataType}.`],
    body: b,
  });
  return { module: node.name, files: { [`${node.name}.v`]: text } };
}
