/**
 * Verilog for a DuplicateStreams node: one input word is held in a register with one pending bit per output;
 * each output k shows the word while its bit is set and clears it on its handshake. A new input word is taken
 * only when every output has taken the held one (or takes it in this cycle), so an output that stalls holds
 * back the input but never makes another output lose or repeat a word. One word per cycle when no output
 * stalls; one cycle of latency.
 */
import type { GeneratedNode, KernelNodeView } from '../../src/index.js';
import { banner, datatype, inputData, paddedWidth, requireDivides, verilogIdentifier } from '../../src/kernel.js';
import type { duplicateStreamsAttributes } from './kernel.js';
import type { z } from '../../src/index.js';

type Attrs = z.infer<typeof duplicateStreamsAttributes>;

export function generateDuplicateStreams(node: KernelNodeView): GeneratedNode {
  const a = node.attrs as Attrs;
  requireDivides(node.name, 'PE', a.PE, 'NumChannels', a.NumChannels);
  const N = a.NumOutputStreams;
  const W = a.PE * datatype(a.inputDataType).bitwidth();
  const P = paddedWidth(W);
  const ports = ['  input  wire ap_clk', '  input  wire ap_rst_n', `  input  wire [${P - 1}:0] in0_V_TDATA`, '  input  wire in0_V_TVALID', '  output wire in0_V_TREADY'];
  for (let k = 0; k < N; k++) ports.push(`  output wire [${P - 1}:0] out${k}_V_TDATA`, `  output wire out${k}_V_TVALID`, `  input  wire out${k}_V_TREADY`);
  const ready = Array.from({ length: N }, (_, k) => `out${N - 1 - k}_V_TREADY`).join(', ');
  let b = inputData(0, W, 'in_data');
  b += `  reg [${W - 1}:0] held;\n  reg [${N - 1}:0] pending;\n`;
  b += `  wire [${N - 1}:0] oready = {${ready}};\n`;
  b += `  assign in0_V_TREADY = &(~pending | oready);\n`;
  b += '  wire push = in0_V_TVALID && in0_V_TREADY;\n';
  b += `  always @(posedge ap_clk) begin
    if (!ap_rst_n) pending <= ${N}'d0;
    else if (push) pending <= {${N}{1'b1}};
    else pending <= pending & ~oready;
  end
  always @(posedge ap_clk) if (push) held <= in_data;
`;
  const pad = P > W ? `{${P - W}'b0, held}` : 'held';
  for (let k = 0; k < N; k++) b += `  assign out${k}_V_TDATA = ${pad};\n  assign out${k}_V_TVALID = pending[${k}];\n`;
  const about = [`DuplicateStreams: ${N} copies of a ${a.inputDataType} stream, ${a.NumChannels} channels, PE=${a.PE}.`];
  const text = `${banner(node.name, about)}module ${verilogIdentifier(node.name)} (\n${ports.join(',\n')}\n);\n${b.trimEnd()}\nendmodule\n`;
  return { module: node.name, files: { [`${node.name}.v`]: text } };
}
