/** Verilog for a StreamingFIFO node: bs_fifo (hdl/bs_fifo.v) of the node's depth over the padded stream width. */
import type { GeneratedNode, KernelNodeView } from '../../src/index.js';
import { nodeModule, paddedWidth } from '../../src/kernel.js';
import { fifo, fifoWidth } from './_model.js';

export function generateStreamingFifo(node: KernelNodeView): GeneratedNode {
  const a = fifo(node);
  const w = paddedWidth(fifoWidth(a));
  const body = `  bs_fifo #(.WIDTH(${w}), .DEPTH(${a.depth})) fifo (
    .clk(ap_clk), .rst_n(ap_rst_n),
    .in_data(in0_V_TDATA), .in_valid(in0_V_TVALID), .in_ready(in0_V_TREADY),
    .out_data(out_V_TDATA), .out_valid(out_V_TVALID), .out_ready(out_V_TREADY));
`;
  const text = nodeModule({
    name: node.name,
    inputs: [w],
    output: w,
    about: [`StreamingFIFO: depth ${a.depth}, ${w}-bit words (${a.dataType} × ${a.folded_shape.at(-1)}, padded).`],
    body,
  });
  // The count register and write handshake of bs_fifo, probed by FIFO sizing's simulation.
  return { module: node.name, files: { [`${node.name}.v`]: text }, libraries: ['hdl/bs_fifo.v'], occupancy: { count: 'fifo.count', push: 'fifo.push' } };
}
