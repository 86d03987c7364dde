/**
 * Verilog for an FMPadding node: counters over (row, column, channel fold) of the padded image walk the output
 * in FINN's order; a beat in_image the image (left ≤ x < left+W, top ≤ y < top+H) forwards the next input word,
 * any other beat is a zero word. One output register: one beat per cycle, full backpressure.
 */
import { BrainsmithError, type GeneratedNode, type KernelNodeView } from '../../src/index.js';
import { clog2, datatype, inputData, nodeModule, outputData, paddedWidth } from '../../src/kernel.js';
import { fmpadding, outDims } from './_model.js';

/** A counter `name` over n states advancing when `advance`, with its `last_<name>` wire (nothing for n = 1). */
function counter(name: string, n: number, advance: string): string {
  const w = clog2(n);
  if (n === 1) return '';
  return `  reg [${w - 1}:0] ${name};
  wire last_${name} = ${name} == ${w}'d${n - 1};
  always @(posedge ap_clk) begin
    if (!ap_rst_n) ${name} <= ${w}'d0;
    else if (${advance}) ${name} <= last_${name} ? ${w}'d0 : ${name} + ${w}'d1;
  end
`;
}

/** `lo ≤ v < hi` on a counter of n states (constant when the range covers all of them). */
function inRange(v: string, n: number, lo: number, hi: number): string {
  const w = clog2(n);
  const parts: string[] = [];
  if (lo > 0) parts.push(`${v} >= ${w}'d${lo}`);
  if (hi < n) parts.push(`${v} < ${w}'d${hi}`);
  return parts.length ? `(${parts.join(' && ')})` : "1'b1";
}

export function generateFmpadding(node: KernelNodeView): GeneratedNode {
  const a = fmpadding(node);
  if (a.dynamic_mode !== 0) throw new BrainsmithError('E_HDL_UNSUPPORTED', `node '${node.name}': the rtl FMPadding does not implement dynamic_mode=1 (run-time padding over AXI-lite)`, { kind: 'input' });
  const WB = a.SIMD * datatype(a.inputDataType).bitwidth();
  const [H, W] = a.ImgDim as [number, number];
  const [top, left] = a.Padding as [number, number, number, number];
  const [OH, OW] = outDims(a);
  const CF = a.NumChannels / a.SIMD;
  let b = inputData(0, WB, 'in_data') + outputData(WB, 'out_data');
  b += `  reg out_valid;\n  reg [${WB - 1}:0] out_reg;\n`;
  b += `  wire load = ap_rst_n && (!out_valid || out_V_TREADY);\n`;
  b += `  wire in_image;\n  wire step = load && (!in_image || in0_V_TVALID);\n`;
  const last = (name: string, n: number) => (n === 1 ? "1'b1" : `last_${name}`);
  b += counter('cf', CF, 'step');
  b += counter('x', OW, `step && ${last('cf', CF)}`);
  b += counter('y', OH, `step && ${last('cf', CF)} && ${last('x', OW)}`);
  const xs = OW > 1 ? inRange('x', OW, left, left + W) : "1'b1";
  const ys = OH > 1 ? inRange('y', OH, top, top + H) : "1'b1";
  b += `  assign in_image = ${xs} && ${ys};\n`;
  b += `  assign in0_V_TREADY = load && in_image;\n`;
  b += `  always @(posedge ap_clk) begin
    if (!ap_rst_n) out_valid <= 1'b0;
    else if (step) out_valid <= 1'b1;
    else if (out_V_TREADY) out_valid <= 1'b0;
  end
  always @(posedge ap_clk) if (step) out_reg <= in_image ? in_data : ${WB}'d0;
  assign out_data = out_reg;
  assign out_V_TVALID = out_valid;
`;
  const text = nodeModule({
    name: node.name,
    inputs: [paddedWidth(WB)],
    output: paddedWidth(WB),
    about: [`FMPadding: image ${H}x${W}x${a.NumChannels} padded [top, left, bottom, right] = [${a.Padding.join(', ')}] to ${OH}x${OW}, SIMD=${a.SIMD}, ${a.inputDataType}.`],
    body: b,
  });
  return { module: node.name, files: { [`${node.name}.v`]: text } };
}
