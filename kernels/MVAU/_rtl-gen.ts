/**
 * Verilog for an MVAU node: every datatype the mapping produces. Per cycle one (nf, sf) tile: SIMD input
 * elements against PE weight columns (LUT multipliers; XNOR-popcount in binaryXnorMode; ±1 match/mismatch
 * for BIPOLAR × BIPOLAR; negate-or-pass for a BIPOLAR operand), sf innermost as in FINN (reference §2.1).
 * Input words are read from the stream while nf = 0 and kept in an SF-word buffer for nf > 0. After the last
 * sf of a fold, the PE sums pass through the thresholds (or straight out with noActivation) into the output
 * register. Throughput: one tile per cycle, so MH/PE · MW/SIMD cycles per vector (the kernel's `cycles`).
 */
import { BrainsmithError, type GeneratedNode, type KernelNodeView, type TensorValue } from '../../src/index.js';
import { datatype } from '../../src/kernel.js';
import { clog2, codingOf, valueBits, foldCounter, inputData, macLane, macMemories, nodeModule, outputData, paddedWidth, signedBits, type ElementCoding } from '../../src/kernel.js';
import { checkFolding, mvau, widths, type MvauAttrs } from './_model.js';
import { accumulatorRange, weightWords } from './_layout.js';

function supported(node: KernelNodeView, a: MvauAttrs): void {
  for (const [what, dt] of [['inputDataType', a.inputDataType], ['weightDataType', a.weightDataType], ['outputDataType', a.outputDataType]] as const) {
    if (!datatype(dt).isInteger()) throw new BrainsmithError('E_HDL_UNSUPPORTED', `node '${node.name}': RTL generation needs an integer ${what}, got ${dt}`, { kind: 'input' });
  }
  if (a.binaryXnorMode === 1 && (datatype(a.inputDataType).bitwidth() !== 1 || datatype(a.weightDataType).bitwidth() !== 1)) {
    throw new BrainsmithError('E_HDL_UNSUPPORTED', `node '${node.name}': binaryXnorMode needs 1-bit inputs and weights`, { kind: 'input' });
  }
  if (a.mem_mode === 'external') {
    throw new BrainsmithError('E_HDL_UNSUPPORTED', `node '${node.name}': mem_mode=external (weights streamed from outside) is not generated; use internal_embedded or internal_decoupled`, { kind: 'input' });
  }
}

/**
 * The datapath of weights `w`: element codings (XNOR mode reads both as unsigned bits), the accumulator range
 * and width: the range plus one above (for threshold compares), never narrower than one product.
 */
export function mvauDatapath(a: MvauAttrs, w: TensorValue): { xnor: boolean; xc: ElementCoding; wc: ElementCoding; bothBipolar: boolean; lo: number; hi: number; ACC: number } {
  const { W, A } = widths(a);
  const xnor = a.binaryXnorMode === 1;
  const idt = datatype(a.inputDataType);
  const xc: ElementCoding = xnor ? 'unsigned' : codingOf(a.inputDataType);
  const wc: ElementCoding = xnor ? 'unsigned' : codingOf(a.weightDataType);
  const bothBipolar = !xnor && xc === 'bipolar' && wc === 'bipolar';
  const { lo, hi } = accumulatorRange(w, a, idt.min(), idt.max());
  const ACC = Math.max(signedBits(lo, hi + 1), xnor || bothBipolar ? 2 : valueBits(xc, A) + valueBits(wc, W));
  return { xnor, xc, wc, bothBipolar, lo, hi, ACC };
}

export function generateMvau(node: KernelNodeView): GeneratedNode {
  const a = mvau(node);
  checkFolding(node, a);
  supported(node, a);
  const w = node.constantInput(1);
  if (!w) throw new BrainsmithError('E_HDL_PARAM', `node '${node.name}': weights (input 1) must be an initializer`, { kind: 'input' });
  const { W, A, B: OB } = widths(a);
  const { MW, MH, PE, SIMD } = a;
  const SF = MW / SIMD;
  const NF = MH / PE;
  const WMEM = SF * NF;
  const { xnor, xc, wc, bothBipolar, lo, hi, ACC } = mvauDatapath(a, w);
  const thr = a.noActivation === 1 ? undefined : node.constantInput(2);
  if (a.noActivation === 0 && !thr) throw new BrainsmithError('E_HDL_PARAM', `node '${node.name}': thresholds (input 2) must be an initializer`, { kind: 'input' });
  const mem = macMemories({
    node: node.name, weights: weightWords(w, a), xnor,
    thresholds: thr ? { tensor: thr, channels: MH, pe: PE, lo, hi, acc: ACC } : undefined,
  });
  const files = mem.files;
  const whex = `${node.name}_weights.hex`;

  let b = inputData(0, SIMD * A, 'in_data') + outputData(PE * OB, 'out_data');
  b += `  reg out_valid;\n  reg [${PE * OB - 1}:0] out_reg;\n  wire step;\n`;
  if (SF > 1) b += foldCounter('sf', SF, 'step');
  if (SF > 1) b += `  wire first_sf = sf == ${clog2(SF)}'d0;\n`;
  b += `  wire last_sf = ${SF > 1 ? `sf == ${clog2(SF)}'d${SF - 1}` : "1'b1"};\n`;
  if (NF > 1) b += foldCounter('nf', NF, `step && last_sf`);
  b += '  wire out_free = !out_valid || out_V_TREADY;\n  wire can_step = !last_sf || out_free;\n';
  if (NF > 1) {
    // Two SF-word input buffers: one fills from the stream while the vector in the other is computed on
    // (replayed NF times), so the producer is never held up for the NF-1 folds that read no input.
    const ix = (sel: string) => `ibuf${sel}[${SF > 1 ? 'sf' : '0'}]`;
    b += '  wire push = in0_V_TVALID && in0_V_TREADY;\n  reg wsel, rsel, full0, full1;\n';
    if (SF > 1) b += foldCounter('wcnt', SF, 'push');
    b += `  wire wlast = ${SF > 1 ? `wcnt == ${clog2(SF)}'d${SF - 1}` : "1'b1"};\n`;
    b += `  wire last_nf = nf == ${clog2(NF)}'d${NF - 1};\n`;
    b += '  assign in0_V_TREADY = wsel ? !full1 : !full0;\n';
    b += '  assign step = (rsel ? full1 : full0) && can_step;\n  wire done = step && last_sf && last_nf;\n';
    b += `  reg [${SIMD * A - 1}:0] ibuf0 [0:${SF - 1}];\n  reg [${SIMD * A - 1}:0] ibuf1 [0:${SF - 1}];\n`;
    const wa = SF > 1 ? 'wcnt' : '0';
    b += `  always @(posedge ap_clk) if (push && !wsel) ibuf0[${wa}] <= in_data;\n`;
    b += `  always @(posedge ap_clk) if (push && wsel) ibuf1[${wa}] <= in_data;\n`;
    b += `  always @(posedge ap_clk) begin
    if (!ap_rst_n) begin
      wsel <= 1'b0;
      rsel <= 1'b0;
      full0 <= 1'b0;
      full1 <= 1'b0;
    end else begin
      if (push && wlast) wsel <= !wsel;
      if (done) rsel <= !rsel;
      if (push && wlast && !wsel) full0 <= 1'b1;
      else if (done && !rsel) full0 <= 1'b0;
      if (push && wlast && wsel) full1 <= 1'b1;
      else if (done && rsel) full1 <= 1'b0;
    end
  end
`;
    b += `  wire [${SIMD * A - 1}:0] x_word = rsel ? ${ix('1')} : ${ix('0')};\n`;
  } else {
    // One fold: every tile reads a fresh input word straight from the stream.
    b += '  assign in0_V_TREADY = can_step;\n  assign step = can_step && in0_V_TVALID;\n';
    b += `  wire [${SIMD * A - 1}:0] x_word = in_data;\n`;
  }
  b += mem.text;
  const tsteps = mem.activation?.steps ?? 0;

  const ys: string[] = [];
  for (let p = 0; p < PE; p++) {
    b += macLane({
      lane: p, simd: SIMD, xOffset: (s) => `${s} * ${A}`, wOffset: (s) => `(${p * SIMD} + ${s}) * ${W}`,
      xBits: A, wBits: W, xCoding: xc, wCoding: wc, mode: xnor ? 'xnor' : bothBipolar ? 'bipolar' : 'multiply',
      acc: ACC, folds: SF > 1, outBits: OB,
      activation: mem.activation ? { ...mem.activation, outputDatatype: a.outputDataType, actVal: a.ActVal } : undefined,
    });
    ys.unshift(`y_${p}`);
  }
  b += `  always @(posedge ap_clk) begin
    if (!ap_rst_n) out_valid <= 1'b0;
    else if (step && last_sf) out_valid <= 1'b1;
    else if (out_V_TREADY) out_valid <= 1'b0;
  end
  always @(posedge ap_clk) if (step && last_sf) out_reg <= {${ys.join(', ')}};
  assign out_data = out_reg;
  assign out_V_TVALID = out_valid;
`;
  const mode = xnor ? 'XNOR-popcount' : bothBipolar ? 'bipolar x bipolar (+-1)' : `${a.inputDataType} x ${a.weightDataType} multipliers`;
  files[`${node.name}.v`] = nodeModule({
    name: node.name,
    inputs: [paddedWidth(SIMD * A)],
    output: paddedWidth(PE * OB),
    about: [
      `MVAU: MW=${MW} MH=${MH} SIMD=${SIMD} PE=${PE}, ${mode}, ${ACC}-bit accumulators, ${a.noActivation ? 'no activation' : `${tsteps} threshold steps`} -> ${a.outputDataType}.`,
      `Weights: ${whex}, ${WMEM} words (row nf*${SF}+sf), weight (p, s) at bit (p*${SIMD} + s)*${W}.`,
    ],
    body: b,
  });
  return { module: node.name, files };
}
