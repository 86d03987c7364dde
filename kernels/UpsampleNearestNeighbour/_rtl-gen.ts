/**
 * Verilog for an UpsampleNearestNeighbour node (OFMDim ≥ IFMDim): output pixel (y, x) is input pixel
 * (⌊y·I/O⌋, ⌊x·I/O⌋) (1D: rows only), as `execute`. Two row buffers of IFM pixels (one word of C channels each):
 * input row r fills buffer r mod 2 while the output walks the rows it needs from the other, so the input runs
 * at most one row ahead of the output. The source row and column advance by Bresenham steps (no division). An
 * output pixel leaves once its source pixel has arrived; the next frame's input starts after the last output
 * pixel. One output word per cycle.
 */
import { BrainsmithError, type GeneratedNode, type KernelNodeView } from '../../src/index.js';
import { clog2, counterSink, datatype, inputData, nestedCounters, nodeModule, outputData, slotOutputRegister, paddedWidth } from '../../src/kernel.js';
import type { z } from '../../src/index.js';
import type { upsampleAttributes } from './kernel.js';

type Attrs = z.infer<typeof upsampleAttributes>;

/** Row width in and out, rows in and out, word bits and buffer words. */
export function upsampleShape(a: Attrs): { iw: number; ow: number; ih: number; oh: number; bits: number; depth: number } {
  const oneD = a.DimMode === 1;
  const iw = oneD ? 1 : a.IFMDim;
  return { iw, ow: oneD ? 1 : a.OFMDim, ih: a.IFMDim, oh: a.OFMDim, bits: a.NumChannels * datatype(a.inputDataType).bitwidth(), depth: (a.IFMDim > 1 ? 2 : 1) * iw };
}

/**
 * The source index s = ⌊o·I/O⌋ of a walking output index o (O ≥ I): `reg <name>` and its remainder, advanced
 * on `step`, restarted on `restart`. I = 1 gives a constant 0.
 */
function source(name: string, I: number, O: number, step: string, restart: string): string {
  if (I === 1) return '';
  const sw = clog2(I);
  if (I === O) {
    return `  reg [${sw - 1}:0] ${name};
  always @(posedge ap_clk) begin
    if (!ap_rst_n) ${name} <= ${sw}'d0;
    else if (${step}) ${name} <= ${restart} ? ${sw}'d0 : ${name} + ${sw}'d1;
  end
`;
  }
  // O > I: the remainder advances by I each step; a carry past O moves the source on by one.
  const rw = clog2(O + I);
  return `  reg [${sw - 1}:0] ${name};
  reg [${rw - 1}:0] ${name}_rem;
  wire [${rw - 1}:0] ${name}_next = ${name}_rem + ${rw}'d${I};
  wire ${name}_carry = ${name}_next >= ${rw}'d${O};
  always @(posedge ap_clk) begin
    if (!ap_rst_n || (${step} && ${restart})) begin
      ${name} <= ${sw}'d0;
      ${name}_rem <= ${rw}'d0;
    end else if (${step}) begin
      ${name} <= ${name}_carry ? ${name} + ${sw}'d1 : ${name};
      ${name}_rem <= ${name}_carry ? ${name}_next - ${rw}'d${O} : ${name}_next;
    end
  end
`;
}

export function generateUpsample(node: KernelNodeView): GeneratedNode {
  const a = node.attrs as Attrs;
  const { iw, ow, ih, oh, bits: WW, depth } = upsampleShape(a);
  if (oh < ih) throw new BrainsmithError('E_HDL_UNSUPPORTED', `node '${node.name}': RTL upsampling needs OFMDim ≥ IFMDim, got ${oh} < ${ih}`, { kind: 'input' });
  let b = inputData(0, WW, 'in_data') + outputData(WW, 'out_data');
  b += '  wire slot;\n  wire push;\n  wire emit;\n  reg in_done;\n';
  // Input side: column ix, row iy of the pixel to come.
  const inDims = [{ name: 'ix', n: iw }, { name: 'iy', n: ih }];
  b += nestedCounters(inDims, 'push');
  // Output side: column ox, row oy; their source column sx and row sy.
  const outDims = [{ name: 'ox', n: ow }, { name: 'oy', n: oh }];
  b += nestedCounters(outDims, 'emit');
  b += source('sx', iw, ow, 'emit', 'ox_last');
  b += source('sy', ih, oh, 'emit && ox_last', 'oy_last');
  b += counterSink('last', [...inDims, ...outDims].map((d) => `${d.name}_last`));
  const rowW = clog2(ih);
  const colW = clog2(iw);
  // Buffer r mod 2 is free once the output has left row r − 2: r ≤ sy + 1.
  const room = ih === 1 ? "1'b1" : `{1'b0, iy} <= {1'b0, sy} + ${rowW + 1}'d1`;
  b += `  assign in0_V_TREADY = !in_done && ${room};\n  assign push = in0_V_TVALID && in0_V_TREADY;\n`;
  b += `  always @(posedge ap_clk) begin
    if (!ap_rst_n) in_done <= 1'b0;
    else if (emit && ox_last && oy_last) in_done <= 1'b0;
    else if (push && ix_last && iy_last) in_done <= 1'b1;
  end
`;
  // The source pixel has arrived: the whole frame is in, or its row is behind the input, or its column is.
  const terms = ['in_done'];
  if (ih > 1) terms.push('iy > sy');
  if (iw > 1) terms.push(ih > 1 ? '(iy == sy && ix > sx)' : 'ix > sx');
  b += `  wire avail = ${terms.join(' || ')};\n  assign emit = slot && avail;\n`;
  const AW = clog2(depth);
  const addr = (bank: string, col: string): string => {
    const c = iw === 1 ? '' : AW === colW ? col : `{${AW - colW}'d0, ${col}}`;
    if (ih === 1) return c || `${AW}'d0`;
    const off = `(${bank}[0] ? ${AW}'d${iw} : ${AW}'d0)`;
    return c ? `${off} + ${c}` : off;
  };
  if (ih > 1 && rowW > 1) b += `  wire unused_rows = &{1'b0, iy[${rowW - 1}:1], sy[${rowW - 1}:1]};\n`;
  b += `  reg [${WW - 1}:0] rows [0:${depth - 1}];\n`;
  b += `  always @(posedge ap_clk) if (push) rows[${addr('iy', 'ix')}] <= in_data;\n`;
  b += slotOutputRegister(WW, 'emit', `rows[${addr('sy', 'sx')}]`);
  const text = nodeModule({
    name: node.name,
    inputs: [paddedWidth(WW)],
    output: paddedWidth(WW),
    about: [`UpsampleNearestNeighbour (${a.DimMode === 1 ? '1D' : '2D'}): ${a.IFMDim} -> ${a.OFMDim}, ${a.NumChannels} channels, ${a.inputDataType}.`],
    body: b,
  });
  return { module: node.name, files: { [`${node.name}.v`]: text } };
}
