/**
 * Verilog for a StreamingDataWidthConverter node, any pair of widths: an up-converter when the output width
 * is a multiple of the input width, a down-converter in the opposite case, otherwise both chained through
 * the least common multiple of the two (FINN's rule, reference §2.9). Libraries: hdl/bs_dwc_up.v, hdl/bs_dwc_down.v.
 */
import type { GeneratedNode, KernelNodeView } from '../../src/index.js';
import { inputData, nodeModule, outputData, paddedWidth } from '../../src/kernel.js';
import { dwc } from './_model.js';

function gcd(x: number, y: number): number {
  return y === 0 ? x : gcd(y, x % y);
}

const ports = (inData: string, inValid: string, inReady: string, outData: string, outValid: string, outReady: string): string =>
  `.clk(ap_clk), .rst_n(ap_rst_n),\n    .in_data(${inData}), .in_valid(${inValid}), .in_ready(${inReady}),\n    .out_data(${outData}), .out_valid(${outValid}), .out_ready(${outReady})`;

export function generateDwc(node: KernelNodeView): GeneratedNode {
  const a = dwc(node);
  const iw = a.inWidth;
  const ow = a.outWidth;
  const lcm = (iw * ow) / gcd(iw, ow);
  let body = inputData(0, iw, 'in_data') + outputData(ow, 'out_data');
  let how: string;
  const libraries: string[] = [];
  if (lcm !== iw) libraries.push('hdl/bs_dwc_up.v');
  if (lcm !== ow) libraries.push('hdl/bs_dwc_down.v');
  if (iw === ow) {
    how = 'equal widths: a wire';
    body += "  wire unused_clock = &{1'b0, ap_clk, ap_rst_n};\n";
    body += '  assign out_data = in_data;\n  assign out_V_TVALID = in0_V_TVALID;\n  assign in0_V_TREADY = out_V_TREADY;\n';
  } else if (lcm === ow) {
    how = `up-converter, ${ow / iw} words in per word out`;
    body += `  bs_dwc_up #(.IW(${iw}), .RATIO(${ow / iw})) up (\n    ${ports('in_data', 'in0_V_TVALID', 'in0_V_TREADY', 'out_data', 'out_V_TVALID', 'out_V_TREADY')});\n`;
  } else if (lcm === iw) {
    how = `down-converter, ${iw / ow} words out per word in`;
    body += `  bs_dwc_down #(.OW(${ow}), .RATIO(${iw / ow})) down (\n    ${ports('in_data', 'in0_V_TVALID', 'in0_V_TREADY', 'out_data', 'out_V_TVALID', 'out_V_TREADY')});\n`;
  } else {
    how = `up-converter to ${lcm} bits (×${lcm / iw}), then down-converter (÷${lcm / ow})`;
    body += `  wire [${lcm - 1}:0] mid_data;\n  wire mid_valid;\n  wire mid_ready;\n`;
    body += `  bs_dwc_up #(.IW(${iw}), .RATIO(${lcm / iw})) up (\n    ${ports('in_data', 'in0_V_TVALID', 'in0_V_TREADY', 'mid_data', 'mid_valid', 'mid_ready')});\n`;
    body += `  bs_dwc_down #(.OW(${ow}), .RATIO(${lcm / ow})) down (\n    ${ports('mid_data', 'mid_valid', 'mid_ready', 'out_data', 'out_V_TVALID', 'out_V_TREADY')});\n`;
  }
  const text = nodeModule({
    name: node.name,
    inputs: [paddedWidth(iw)],
    output: paddedWidth(ow),
    about: [`StreamingDataWidthConverter: ${iw} -> ${ow} bits (${a.dataType}); ${how}.`],
    body,
  });
  return { module: node.name, files: { [`${node.name}.v`]: text }, libraries };
}
