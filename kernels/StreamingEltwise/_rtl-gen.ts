/**
 * Verilog for a two-input lane operation (StreamingEltwise Add/Sub/AbsDiff, and AddStreams, which reuses it):
 * the PE lanes of one word from each input are combined and the results leave through one output register.
 * Both inputs are taken in the same cycle, only when both are valid and the output register is free (or
 * leaves this cycle), so each input may stall independently without a word lost or repeated. One result word
 * per cycle when nothing stalls; one cycle of latency.
 */
import { BrainsmithError, type GeneratedNode, type KernelNodeView } from '../../src/index.js';
import { datatype, requireDivides } from '../../src/kernel.js';
import { elementValue, inputData, nodeModule, outputData, paddedWidth, type ElementCoding } from '../../src/kernel.js';
import { eltwiseOutputType, type streamingEltwiseAttributes } from './kernel.js';
import type { z } from '../../src/index.js';

type Attrs = z.infer<typeof streamingEltwiseAttributes>;
export type LaneOp = 'Add' | 'Sub' | 'AbsDiff';

/** The two-input lane operation a node computes: PE lanes, input and output types. */
export interface LaneOpSpec {
  name: string;
  kernel: string;
  pe: number;
  channels: number;
  op: LaneOp;
  inputTypes: [string, string];
  outputType: string;
}

export function coding(dtName: string): ElementCoding {
  const dt = datatype(dtName);
  return dt.name === 'BIPOLAR' ? 'bipolar' : dt.signed() ? 'signed' : 'unsigned';
}

/** Bits of a two's-complement value holding every element of the type. */
export function valueBits(dtName: string): number {
  const dt = datatype(dtName);
  if (dt.name === 'BIPOLAR') return 2;
  return dt.signed() ? dt.bitwidth() : dt.bitwidth() + 1;
}

/** Why RTL generation cannot handle the types (undefined: it can). */
export function laneOpProblem(types: readonly string[]): string | undefined {
  const bad = types.find((t) => !datatype(t).isInteger());
  return bad ? `RTL generation needs integer datatypes, got ${bad}` : undefined;
}

/** Width of the lane arithmetic: both operands and the result fit, plus the carry. */
export function laneBits(s: Pick<LaneOpSpec, 'inputTypes' | 'outputType'>): number {
  return Math.max(valueBits(s.inputTypes[0]), valueBits(s.inputTypes[1]), datatype(s.outputType).bitwidth()) + 1;
}

export function generateLaneOp(s: LaneOpSpec): GeneratedNode {
  const problem = laneOpProblem([...s.inputTypes, s.outputType]);
  if (problem) throw new BrainsmithError('E_HDL_UNSUPPORTED', `node '${s.name}': ${problem}`, { kind: 'input' });
  requireDivides(s.name, 'PE', s.pe, 'NumChannels', s.channels);
  const [t0, t1] = s.inputTypes;
  const A0 = datatype(t0).bitwidth();
  const A1 = datatype(t1).bitwidth();
  const O = datatype(s.outputType).bitwidth();
  const K = laneBits(s);
  const PE = s.pe;
  let b = inputData(0, PE * A0, 'a_data') + inputData(1, PE * A1, 'b_data') + outputData(PE * O, 'res');
  b += `  reg ov;\n  reg [${PE * O - 1}:0] od;\n`;
  b += '  wire take = !ov || out_V_TREADY;\n';
  b += '  assign in0_V_TREADY = in1_V_TVALID && take;\n  assign in1_V_TREADY = in0_V_TVALID && take;\n';
  b += '  wire fire = in0_V_TVALID && in1_V_TVALID && take;\n';
  const unused: string[] = [];
  const lanes: string[] = [];
  for (let p = 0; p < PE; p++) {
    b += elementValue(`x_${p}`, 'a_data', p * A0, A0, coding(t0), K);
    b += elementValue(`y_${p}`, 'b_data', p * A1, A1, coding(t1), K);
    if (s.op === 'Add') b += `  wire [${K - 1}:0] r_${p} = x_${p} + y_${p};\n`;
    else if (s.op === 'Sub') b += `  wire [${K - 1}:0] r_${p} = x_${p} - y_${p};\n`;
    else b += `  wire [${K - 1}:0] d_${p} = x_${p} - y_${p};\n  wire [${K - 1}:0] r_${p} = d_${p}[${K - 1}] ? ${K}'d0 - d_${p} : d_${p};\n`;
    lanes.push(O === 1 ? `r_${p}[0]` : `r_${p}[${O - 1}:0]`);
    if (K > O) unused.push(K - 1 === O ? `r_${p}[${O}]` : `r_${p}[${K - 1}:${O}]`);
  }
  if (unused.length) b += `  wire unused_hi = &{1'b0, ${unused.join(', ')}};\n`;
  b += `  always @(posedge ap_clk) begin
    if (!ap_rst_n) ov <= 1'b0;
    else if (take) ov <= in0_V_TVALID && in1_V_TVALID;
  end
  always @(posedge ap_clk) if (fire) od <= {${lanes.reverse().join(', ')}};
  assign out_V_TVALID = ov;
  assign res = od;
`;
  const text = nodeModule({
    name: s.name,
    inputs: [paddedWidth(PE * A0), paddedWidth(PE * A1)],
    output: paddedWidth(PE * O),
    about: [`${s.kernel}: ${s.op} of ${t0} and ${t1} into ${s.outputType}, ${s.channels} channels, PE=${PE}.`],
    body: b,
  });
  return { module: s.name, files: { [`${s.name}.v`]: text } };
}

export function eltwiseSpec(node: KernelNodeView): LaneOpSpec {
  const a = node.attrs as Attrs;
  return {
    name: node.name,
    kernel: 'StreamingEltwise',
    pe: a.PE,
    channels: a.NumChannels,
    op: a.eltwiseOp,
    inputTypes: [a.inputDataType0, a.inputDataType1],
    outputType: eltwiseOutputType(a),
  };
}

export function generateStreamingEltwise(node: KernelNodeView): GeneratedNode {
  return generateLaneOp(eltwiseSpec(node));
}
