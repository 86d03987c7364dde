/**
 * Verilog for a Thresholding node: PE lanes per word, each comparing its value with all of its channel's
 * thresholds in parallel and counting (hardware form of `execute`). Thresholds sit in a ROM of C/PE words
 * (layout in src/hdl/thresholds.ts), read by a fold counter that advances per input word. One word per
 * cycle, one cycle of latency (the output register), full backpressure.
 * FLOAT32 inputs (a network's first quantiser) compare 32-bit order-preserving keys of the IEEE-754 bit
 * patterns (src/hdl/thresholds.ts `floatKey`), unsigned, so `x ≥ t` is exact for every float32 x; a NaN input
 * counts no threshold (as `x ≥ t` is false for NaN), so its output is ActVal (BIPOLAR: −1).
 */
import { BrainsmithError, type GeneratedNode, type KernelNodeView } from '../../src/index.js';
import { datatype } from '../../src/kernel.js';
import { compareBits, elementValue, floatKeyValue, floatThresholdWords, foldRom, inputData, laneActivation, nodeModule, outputData, paddedWidth, readmemh, thresholdRows, thresholdWords, type ElementCoding } from '../../src/kernel.js';
import { thresholding } from './_model.js';

export function coding(dtName: string): ElementCoding {
  const dt = datatype(dtName);
  return dt.name === 'BIPOLAR' ? 'bipolar' : dt.signed() ? 'signed' : 'unsigned';
}

export function requireIntegerType(node: KernelNodeView, what: string, dtName: string): void {
  if (!datatype(dtName).isInteger()) {
    throw new BrainsmithError('E_HDL_UNSUPPORTED', `node '${node.name}': RTL generation needs an integer ${what}, got ${dtName}`, { kind: 'input' });
  }
}

export function generateThresholding(node: KernelNodeView): GeneratedNode {
  const a = thresholding(node);
  const float = a.inputDataType === 'FLOAT32';
  if (!float) requireIntegerType(node, 'inputDataType', a.inputDataType);
  requireIntegerType(node, 'outputDataType', a.outputDataType);
  const thr = node.constantInput(1);
  if (!thr) throw new BrainsmithError('E_HDL_PARAM', `node '${node.name}': thresholds (input 1) must be an initializer`, { kind: 'input' });
  const idt = datatype(a.inputDataType);
  const odt = datatype(a.outputDataType);
  const C = a.NumChannels;
  const PE = a.PE;
  const CF = C / PE;
  const A = idt.bitwidth();
  const OB = odt.bitwidth();
  const { rows } = thresholdRows(thr, C);
  const { words, bits, steps } = float ? floatThresholdWords(rows, PE) : thresholdWords(rows, PE, idt.min(), idt.max());
  const K = float ? 32 : compareBits(idt.min(), idt.max());
  const hex = `${node.name}_thresholds.hex`;

  let body = inputData(0, PE * A, 'in_data') + outputData(PE * OB, 'out_data');
  body += '  reg out_valid;\n  reg [' + (PE * OB - 1) + ':0] out_reg;\n';
  body += '  assign in0_V_TREADY = !out_valid || out_V_TREADY;\n  wire push = in0_V_TVALID && in0_V_TREADY;\n';
  body += foldRom('thresholds', 'word', words, bits, hex, 'push');
  const ys: string[] = [];
  for (let p = 0; p < PE; p++) {
    body += float ? floatKeyValue(`x_${p}`, `nan_${p}`, 'in_data', p * A) : elementValue(`x_${p}`, 'in_data', p * A, A, coding(a.inputDataType), K);
    const lane = { lane: p, value: `x_${p}`, word: 'word', steps, bits: K, outputDatatype: odt.name, outBits: OB, actVal: a.ActVal, out: `y_${p}` };
    body += laneActivation(float ? { ...lane, unsigned: true, none: `nan_${p}` } : lane);
    ys.unshift(`y_${p}`);
  }
  body += `  always @(posedge ap_clk) begin
    if (!ap_rst_n) out_valid <= 1'b0;
    else if (push) out_valid <= 1'b1;
    else if (out_V_TREADY) out_valid <= 1'b0;
  end
  always @(posedge ap_clk) if (push) out_reg <= {${ys.join(', ')}};
  assign out_data = out_reg;
  assign out_V_TVALID = out_valid;
`;
  const text = nodeModule({
    name: node.name,
    inputs: [paddedWidth(PE * A)],
    output: paddedWidth(PE * OB),
    about: [
      `Thresholding: ${C} channels, PE=${PE}, ${steps} steps, ${a.inputDataType} -> ${a.outputDataType}, ActVal=${a.ActVal}.`,
      `Thresholds: ${hex}, ${CF} words of PE*steps*${K} bits; threshold (p, t) of fold f at bit (p*steps + t)*${K}${float ? ' (float32 order keys, compared unsigned)' : ''}.`,
    ],
    body,
  });
  return { module: node.name, files: { [`${node.name}.v`]: text, [hex]: readmemh(words, bits) } };
}
