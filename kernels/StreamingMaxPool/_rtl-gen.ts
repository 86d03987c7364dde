/**
 * Verilog for a StreamingMaxPool node (kernel = stride, floor or ceil mode). Words stream in row-major pixel
 * order; 2D: one word per pixel with all channels; 1D (ImgDim [1, W]): C/PE words of PE channels per pixel.
 * A buffer holds one running maximum per (window column, fold) of the current window row (only per fold when
 * the window is one row high): the first word of a window loads it, the others take the element-wise maximum
 * (read and written at the same address), and the last word of a window (bottom-right, or cut by the image edge
 * in ceil mode) goes out through the output register. Pixels beyond the last whole window (floor mode) are
 * consumed and dropped. One input word per cycle.
 */
import { BrainsmithError, type GeneratedNode, type KernelNodeView } from '../../src/index.js';
import { clog2, counterSink, datatype, elementMax, inputData, nestedCounters, nodeModule, outputData, slotOutputRegister, paddedWidth, requireDivides, type ElementCoding } from '../../src/kernel.js';
import type { z } from '../../src/index.js';
import type { streamingMaxPoolAttributes } from './kernel.js';

type Attrs = z.infer<typeof streamingMaxPoolAttributes>;

function coding(dtName: string): ElementCoding {
  const dt = datatype(dtName);
  return dt.name === 'BIPOLAR' ? 'bipolar' : dt.signed() ? 'signed' : 'unsigned';
}

function outSize(i: number, k: number, ceil: boolean): number {
  return ceil ? Math.ceil((i - k) / k + 1) : Math.floor((i - k) / k + 1);
}

/** The stream and buffer geometry of a node: lanes per word, folds, output size, buffer words. */
export function maxPoolShape(a: Attrs): { lanes: number; folds: number; oh: number; ow: number; depth: number; bits: number } {
  const oneD = a.ImgDim[0] === 1 && a.PoolDim[0] === 1;
  const lanes = oneD ? a.PE : a.NumChannels;
  const folds = a.NumChannels / lanes;
  const ceil = a.CeilMode === 1;
  const oh = outSize(a.ImgDim[0]!, a.PoolDim[0]!, ceil);
  const ow = outSize(a.ImgDim[1]!, a.PoolDim[1]!, ceil);
  const depth = (a.PoolDim[0] === 1 ? 1 : ow) * folds;
  return { lanes, folds, oh, ow, depth, bits: lanes * datatype(a.dataType).bitwidth() };
}

/** A phase counter mod `k` that advances on `step` and restarts on `restart` (sampled with `step`). */
function phase(name: string, k: number, step: string, restart: string): string {
  if (k === 1) return `  wire ${name}_first = 1'b1;\n  wire ${name}_end = 1'b1;\n`;
  const w = clog2(k);
  return `  reg [${w - 1}:0] ${name};
  wire ${name}_first = ${name} == ${w}'d0;
  wire ${name}_end = ${name} == ${w}'d${k - 1};
  always @(posedge ap_clk) begin
    if (!ap_rst_n) ${name} <= ${w}'d0;
    else if (${step}) ${name} <= (${restart} || ${name}_end) ? ${w}'d0 : ${name} + ${w}'d1;
  end
`;
}

export function generateStreamingMaxPool(node: KernelNodeView): GeneratedNode {
  const a = node.attrs as Attrs;
  requireDivides(node.name, 'PE', a.PE, 'NumChannels', a.NumChannels);
  const dt = datatype(a.dataType);
  if (!dt.isInteger()) throw new BrainsmithError('E_HDL_UNSUPPORTED', `node '${node.name}': RTL generation needs an integer dataType, got ${a.dataType}`, { kind: 'input' });
  const [H, W] = a.ImgDim as [number, number];
  const [kh, kw] = a.PoolDim as [number, number];
  const { lanes, folds: NF, oh, ow, depth, bits: WW } = maxPoolShape(a);
  if (oh < 1 || ow < 1) throw new BrainsmithError('E_HDL_PARAM', `node '${node.name}': pool ${kh}x${kw} larger than the image ${H}x${W}`, { kind: 'input' });
  const A = dt.bitwidth();
  const cod = coding(a.dataType);
  let b = inputData(0, WW, 'in_data') + outputData(WW, 'out_data');
  b += '  wire slot;\n  wire push;\n  wire emit_beat;\n';
  const dims = [{ name: 'fold', n: NF }, { name: 'col', n: W }, { name: 'row', n: H }];
  b += nestedCounters(dims, 'push');
  b += phase('kx', kw, 'push && fold_last', 'col_last');
  b += phase('ky', kh, 'push && fold_last && col_last', 'row_last');
  b += counterSink('last', dims.map((d) => `${d.name}_last`));
  // Floor mode drops the pixels right of / below the last whole window.
  const inX = ow * kw < W ? `col < ${clog2(W)}'d${ow * kw}` : '';
  const inY = oh * kh < H ? `row < ${clog2(H)}'d${oh * kh}` : '';
  const inside = [inX, inY].filter((s) => s !== '').join(' && ') || "1'b1";
  b += `  wire in_win = ${inside};\n`;
  b += `  wire done = (kx_end || col_last) && (ky_end || row_last);\n`;
  b += '  assign emit_beat = in_win && done;\n';
  b += '  assign in0_V_TREADY = !emit_beat || slot;\n  assign push = in0_V_TVALID && in0_V_TREADY;\n';
  const first = 'kx_first && ky_first';
  let rd = 'run';
  if (depth === 1) b += `  reg [${WW - 1}:0] run;\n`;
  else {
    const AW = clog2(depth);
    b += `  reg [${WW - 1}:0] run_mem [0:${depth - 1}];\n  wire [${AW - 1}:0] addr;\n`;
    if (kh === 1) b += '  assign addr = fold;\n';
    else {
      // base = window column · folds, kept below the last column's (dropped columns do not move it).
      const BW = clog2(depth);
      b += `  reg [${BW - 1}:0] base;
  always @(posedge ap_clk) begin
    if (!ap_rst_n) base <= ${BW}'d0;
    else if (push && fold_last) base <= col_last ? ${BW}'d0 : (kx_end && base != ${BW}'d${(ow - 1) * NF}) ? base + ${BW}'d${NF} : base;
  end
`;
      b += NF === 1 ? '  assign addr = base;\n' : `  assign addr = base + ${AW === clog2(NF) ? 'fold' : `{${AW - clog2(NF)}'d0, fold}`};\n`;
    }
    b += `  wire [${WW - 1}:0] run = run_mem[addr];\n`;
    rd = 'run';
  }
  const res: string[] = [];
  for (let p = 0; p < lanes; p++) {
    b += `  wire [${A - 1}:0] x_${p} = in_data[${(p + 1) * A - 1}:${p * A}];\n  wire [${A - 1}:0] q_${p} = ${rd}[${(p + 1) * A - 1}:${p * A}];\n`;
    b += elementMax(`m_${p}`, `x_${p}`, `q_${p}`, A, cod);
    res.unshift(`m_${p}`);
  }
  b += `  wire [${WW - 1}:0] res = (${first}) ? in_data : {${res.join(', ')}};\n`;
  b += `  always @(posedge ap_clk) if (push && in_win) ${depth === 1 ? 'run' : 'run_mem[addr]'} <= res;\n`;
  b += slotOutputRegister(WW, 'push && emit_beat', 'res');
  const text = nodeModule({
    name: node.name,
    inputs: [paddedWidth(WW)],
    output: paddedWidth(WW),
    about: [`StreamingMaxPool: ${H}x${W} -> ${oh}x${ow}, pool ${kh}x${kw}, ${a.NumChannels} channels, ${lanes} per word, ${a.dataType}${a.CeilMode === 1 ? ', ceil mode' : ''}.`],
    body: b,
  });
  return { module: node.name, files: { [`${node.name}.v`]: text } };
}
