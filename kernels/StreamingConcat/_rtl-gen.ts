/**
 * Verilog for a StreamingConcat node, in FINN's element order (execute): for every pixel, the C_0/SIMD words
 * of input 0, then the C_1/SIMD words of input 1, and so on (SIMD divides every C_i, so no word mixes two
 * inputs). A counter over the words of one pixel selects the input that may move; its words pass through one
 * output register (elements widened when outputDataType is wider than inputDataType). Only the selected input
 * sees TREADY, so the others may stall or run ahead freely. One word per cycle when nothing stalls.
 */
import { BrainsmithError, type GeneratedNode, type KernelNodeView } from '../../src/index.js';
import { clog2, datatype, elementValue, inputData, nodeModule, outputData, paddedWidth, requireDivides } from '../../src/kernel.js';
import { coding } from '../StreamingEltwise/_rtl-gen.js';
import type { streamingConcatAttributes } from './kernel.js';
import type { z } from '../../src/index.js';

type Attrs = z.infer<typeof streamingConcatAttributes>;

/** Why RTL generation cannot handle the node (undefined: it can). */
export function concatProblem(a: Attrs): string | undefined {
  const idt = datatype(a.inputDataType);
  const odt = datatype(a.outputDataType ?? a.inputDataType);
  if (idt.name === odt.name) return undefined;
  if (!idt.isInteger() || !odt.isInteger()) return `RTL generation converts only between integer datatypes (${idt.name} → ${odt.name})`;
  if (odt.name === 'BIPOLAR' || odt.min() > idt.min() || odt.max() < idt.max()) return `outputDataType ${odt.name} cannot hold every ${idt.name} value`;
  if (!odt.signed() && idt.signed()) return `outputDataType ${odt.name} cannot hold every ${idt.name} value`;
  return undefined;
}

export function generateStreamingConcat(node: KernelNodeView): GeneratedNode {
  const a = node.attrs as Attrs;
  a.ChannelsPerStream.forEach((c, i) => requireDivides(node.name, 'SIMD', a.SIMD, `ChannelsPerStream[${i}]`, c));
  const problem = concatProblem(a);
  if (problem) throw new BrainsmithError('E_HDL_UNSUPPORTED', `node '${node.name}': ${problem}`, { kind: 'input' });
  const S = a.SIMD;
  const idt = a.inputDataType;
  const odt = a.outputDataType ?? idt;
  const A = datatype(idt).bitwidth();
  const O = datatype(odt).bitwidth();
  const words = a.ChannelsPerStream.map((c) => c / S);
  const T = words.reduce((x, y) => x + y, 0);
  const CW = clog2(T);
  const M = words.length;
  let b = outputData(S * O, 'res');
  b += `  reg ov;\n  reg [${S * O - 1}:0] od;\n  wire take = !ov || out_V_TREADY;\n`;
  b += `  wire [${M - 1}:0] sel;\n  wire [${M - 1}:0] ivalid = {${Array.from({ length: M }, (_, i) => `in${M - 1 - i}_V_TVALID`).join(', ')}};\n`;
  b += '  wire fire = |(sel & ivalid) && take;\n';
  if (T > 1) {
    b += `  reg [${CW - 1}:0] w;\n  always @(posedge ap_clk) begin\n    if (!ap_rst_n) w <= ${CW}'d0;\n`;
    b += `    else if (fire) w <= w == ${CW}'d${T - 1} ? ${CW}'d0 : w + ${CW}'d1;\n  end\n`;
  }
  let start = 0;
  const mux: string[] = [];
  words.forEach((n, i) => {
    const end = start + n;
    const conds: string[] = [];
    if (T > 1 && start > 0) conds.push(`w >= ${CW}'d${start}`);
    if (T > 1 && end < T) conds.push(`w < ${CW}'d${end}`);
    b += `  assign sel[${i}] = ${conds.length ? conds.join(' && ') : "1'b1"};\n`;
    b += `  assign in${i}_V_TREADY = sel[${i}] && take;\n`;
    b += inputData(i, S * A, `d${i}`);
    if (odt === idt) {
      b += `  wire [${S * O - 1}:0] e${i} = d${i};\n`;
    } else {
      // The output type holds every input value, so O bits suffice (zero- or sign-extension).
      const lanes: string[] = [];
      for (let p = 0; p < S; p++) {
        b += elementValue(`x${i}_${p}`, `d${i}`, p * A, A, coding(idt), O);
        lanes.push(`x${i}_${p}`);
      }
      b += `  wire [${S * O - 1}:0] e${i} = {${lanes.reverse().join(', ')}};\n`;
    }
    mux.push(`{${S * O}{sel[${i}]}} & e${i}`);
    start = end;
  });
  b += `  always @(posedge ap_clk) begin
    if (!ap_rst_n) ov <= 1'b0;
    else if (take) ov <= |(sel & ivalid);
  end
  always @(posedge ap_clk) if (fire) od <= ${mux.join(' | ')};
  assign out_V_TVALID = ov;
  assign res = od;
`;
  const text = nodeModule({
    name: node.name,
    inputs: words.map(() => paddedWidth(S * A)),
    output: paddedWidth(S * O),
    about: [`StreamingConcat: channels ${a.ChannelsPerStream.join(' + ')} of ${idt} into ${odt}, SIMD=${S}.`],
    body: b,
  });
  return { module: node.name, files: { [`${node.name}.v`]: text } };
}
