/**
 * Verilog for a LabelSelect node (top-K label indices, as `execute`: highest value first, equal values in
 * ascending label order). A sorted list of K (value, label) entries takes the PE values of each input word
 * through a chain of PE insertions; a value enters ahead of the first entry it is strictly greater than, so
 * earlier labels win ties. After the last word of a frame the K labels move to an output buffer and leave one
 * per beat while the next frame already streams in.
 */
import { BrainsmithError, smallestDataType, type GeneratedNode, type KernelNodeView } from '../../src/index.js';
import { datatype, requireDivides } from '../../src/kernel.js';
import { clog2, elementValue, foldCounter, inputData, nodeModule, outputData, paddedWidth, type ElementCoding } from '../../src/kernel.js';
import type { labelSelectAttributes } from './kernel.js';
import type { z } from '../../src/index.js';

type Attrs = z.infer<typeof labelSelectAttributes>;

function coding(dtName: string): ElementCoding {
  const dt = datatype(dtName);
  return dt.name === 'BIPOLAR' ? 'bipolar' : dt.signed() ? 'signed' : 'unsigned';
}

export function generateLabelSelect(node: KernelNodeView): GeneratedNode {
  const a = node.attrs as Attrs;
  requireDivides(node.name, 'PE', a.PE, 'Labels', a.Labels);
  const idt = datatype(a.inputDataType);
  if (!idt.isInteger()) throw new BrainsmithError('E_HDL_UNSUPPORTED', `node '${node.name}': RTL generation needs an integer inputDataType, got ${a.inputDataType}`, { kind: 'input' });
  const odt = a.outputDataType ? datatype(a.outputDataType) : smallestDataType(0, a.Labels - 1);
  const { Labels: L, PE, K } = a;
  if (K > L) throw new BrainsmithError('E_HDL_PARAM', `node '${node.name}': K=${K} exceeds Labels=${L}`, { kind: 'input' });
  const A = idt.bitwidth();
  const V = idt.name === 'BIPOLAR' ? 2 : A + 1;
  const IW = clog2(L);
  const OB = odt.bitwidth();
  if (OB < IW || odt.signed()) throw new BrainsmithError('E_HDL_PARAM', `node '${node.name}': outputDataType ${odt.name} cannot hold label ${L - 1}`, { kind: 'input' });
  const NB = L / PE;
  const CW = clog2(K + 1);

  let b = inputData(0, PE * A, 'in_data') + outputData(OB, 'out_data');
  b += `  reg [${CW - 1}:0] ocnt;\n`;
  b += `  wire pop = out_V_TVALID && out_V_TREADY;\n`;
  b += `  assign out_V_TVALID = ocnt != ${CW}'d0;\n`;
  b += `  wire push;\n`;
  if (NB > 1) b += foldCounter('beat', NB, 'push');
  const lastBeat = NB === 1 ? "1'b1" : `beat == ${clog2(NB)}'d${NB - 1}`;
  const firstBeat = NB === 1 ? "1'b1" : `beat == ${clog2(NB)}'d0`;
  b += `  wire last_beat = ${lastBeat};\n  wire first_beat = ${firstBeat};\n`;
  if (NB > 1) {
    // First label of the current word: beat·PE.
    b += `  reg [${IW - 1}:0] base;\n  always @(posedge ap_clk) begin\n    if (!ap_rst_n) base <= ${IW}'d0;\n`;
    b += `    else if (push) base <= last_beat ? ${IW}'d0 : base + ${IW}'d${PE};\n  end\n`;
  }
  b += `  assign in0_V_TREADY = !last_beat || ocnt == ${CW}'d0 || (ocnt == ${CW}'d1 && out_V_TREADY);\n`;
  b += '  assign push = in0_V_TVALID && in0_V_TREADY;\n';
  // The kept list: registers, read as empty at the first beat of a frame.
  for (let j = 0; j < K; j++) {
    b += `  reg [${V - 1}:0] val_${j};\n  reg [${IW - 1}:0] idx_${j};\n  reg ok_${j};\n`;
    b += `  wire [${V - 1}:0] s0_val_${j} = val_${j};\n  wire [${IW - 1}:0] s0_idx_${j} = idx_${j};\n  wire s0_ok_${j} = ok_${j} && !first_beat;\n`;
  }
  // Stage p+1 = stage p with lane p inserted.
  for (let p = 0; p < PE; p++) {
    const s = `s${p}`;
    const n = `s${p + 1}`;
    b += elementValue(`x_${p}`, 'in_data', p * A, A, coding(a.inputDataType), V);
    const lab = NB === 1 ? `${IW}'d${p}` : p === 0 ? 'base' : `base + ${IW}'d${p}`;
    b += `  wire [${IW - 1}:0] lab_${p} = ${lab};\n`;
    for (let j = 0; j < K; j++) {
      b += `  wire gt_${p}_${j} = !${s}_ok_${j} || ($signed(x_${p}) > $signed(${s}_val_${j}));\n`;
    }
    for (let j = 0; j < K; j++) {
      const prev = j === 0 ? null : j - 1;
      const take = prev === null ? `gt_${p}_0` : `gt_${p}_${j} && !gt_${p}_${prev}`;
      const shift = prev === null ? null : `gt_${p}_${prev}`;
      const pick = (field: string, fresh: string): string =>
        shift === null ? `${take} ? ${fresh} : ${s}_${field}_${j}` : `${shift} ? ${s}_${field}_${prev} : ${take} ? ${fresh} : ${s}_${field}_${j}`;
      b += `  wire [${V - 1}:0] ${n}_val_${j} = ${pick('val', `x_${p}`)};\n`;
      b += `  wire [${IW - 1}:0] ${n}_idx_${j} = ${pick('idx', `lab_${p}`)};\n`;
      b += `  wire ${n}_ok_${j} = ${shift === null ? `${take} || ${s}_ok_${j}` : `${shift} ? ${s}_ok_${prev} : (${take} || ${s}_ok_${j})`};\n`;
    }
  }
  const f = `s${PE}`;
  b += '  always @(posedge ap_clk) if (push) begin\n';
  for (let j = 0; j < K; j++) b += `    val_${j} <= ${f}_val_${j};\n    idx_${j} <= ${f}_idx_${j};\n    ok_${j} <= ${f}_ok_${j};\n`;
  b += '  end\n';
  // Output buffer: labels leave from entry 0.
  for (let j = 0; j < K; j++) b += `  reg [${IW - 1}:0] out_${j};\n`;
  b += `  always @(posedge ap_clk) begin
    if (!ap_rst_n) ocnt <= ${CW}'d0;
    else if (push && last_beat) ocnt <= ${CW}'d${K};
    else if (pop) ocnt <= ocnt - ${CW}'d1;
  end
  always @(posedge ap_clk) begin
    if (push && last_beat) begin
${Array.from({ length: K }, (_, j) => `      out_${j} <= ${f}_idx_${j};`).join('\n')}
    end else if (pop) begin
${Array.from({ length: K - 1 }, (_, j) => `      out_${j} <= out_${j + 1};`).join('\n')}
    end
  end
  assign out_data = ${widen('out_0', IW, OB)};
`;
  const text = nodeModule({
    name: node.name,
    inputs: [paddedWidth(PE * A)],
    output: paddedWidth(OB),
    about: [`LabelSelect: top ${K} of ${L} labels, PE=${PE}, ${idt.name} values, ${odt.name} labels.`],
    body: b,
  });
  return { module: node.name, files: { [`${node.name}.v`]: text } };
}

function widen(sig: string, from: number, to: number): string {
  return from === to ? sig : `{${to - from}'d0, ${sig}}`;
}
