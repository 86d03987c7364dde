/**
 * Verilog for a ConvolutionInputGenerator (sliding window) node, both FINN output styles:
 *
 * - default: one SIMD-word per beat; per output pixel the words of its window in FINN's order, (kh, kw, c_fold)
 *   or, depthwise, (c_fold, kh, kw) (reference §2.4);
 * - parallel_window: one beat per (pixel, c_fold) holding all kh·kw window positions, position (p, q) in raster
 *   order from the LSB, each a SIMD group of fold c_fold.
 *
 * One circular buffer of D input words (D ≥ the window's span) takes the input stream in order. A counter
 * `fill` holds how many words from the current window's first word (its origin) on have been written (negative
 * while the words between two windows that no window reads are still to come). The reader walks the output
 * order with nested counters that keep the offset of the next word from the origin; a word (a beat: its last
 * position) may be read once its offset is below `fill`, and the writer may write while `fill` < D, so that
 * no word still needed is overwritten. Moving to the next window moves the origin by a constant (next column,
 * next row or next frame). Reads are registered (BRAM-friendly); a 2-entry output buffer keeps one beat per
 * cycle under backpressure. The parallel style reads its kh·kw positions through kh·kw read ports.
 */
import { BrainsmithError, type GeneratedNode, type KernelNodeView } from '../../src/index.js';
import { clog2, datatype, inputData, nodeModule, outputData, paddedWidth } from '../../src/kernel.js';
import { geometry, swg, type SwgAttrs, type SwgRtlAttrs } from './_model.js';

/** One level of the reader's loop nest: `count` iterations, each moving the offset by `stride` words. */
export interface Level {
  name: string;
  count: number;
  stride: number;
}

/** The structure of the generated window generator: a pure function of the node's attributes. */
export interface SwgPlan {
  /** Bits of one buffer word (SIMD·A). */
  width: number;
  /** Buffer depth in words. */
  depth: number;
  /** Reader loop nest, outermost first (levels of count 1 dropped). */
  levels: Level[];
  /** Offset of each read port from the loop offset (default: [0]; parallel: one per window position). */
  ports: number[];
  /** Windows per row and rows. */
  ow: number;
  oh: number;
  /** Origin moves: next column, next row, next frame. */
  deltaX: number;
  deltaRow: number;
  deltaFrame: number;
  /** Largest offset any beat reads, +1: the words from the origin a window needs. */
  span: number;
}

/** The configurations this generator implements (everything else is rejected with a reason). */
export function rtlGenerateProblem(a: SwgRtlAttrs): string | undefined {
  if ((a.M ?? 1) !== 1) return `M=${a.M} (only 1 is implemented)`;
  if ((a.dynamic_mode ?? 0) !== 0) return 'dynamic_mode=1 (run-time image size over AXI-lite is not implemented)';
  const k = a.ConvKernelDim[0]! * a.ConvKernelDim[1]!;
  if (a.parallel_window === 1 && a.depthwise !== 1 && k > 1 && a.SIMD !== a.IFMChannels) {
    return `parallel_window with SIMD=${a.SIMD} < IFMChannels=${a.IFMChannels} on a non-depthwise window (FINN's order needs SIMD = IFMChannels)`;
  }
  return undefined;
}

export function swgPlan(a: SwgAttrs): SwgPlan {
  const g = geometry(a);
  const { cf, ifmW: W, ifmH: H } = g;
  const rowStride = g.dh * W * cf;
  const colStride = g.dw * cf;
  const parallel = a.parallel_window === 1;
  let levels: Level[];
  let ports = [0];
  if (parallel) {
    ports = [];
    for (let p = 0; p < g.kh; p++) for (let q = 0; q < g.kw; q++) ports.push(p * rowStride + q * colStride);
    levels = [{ name: 'cf', count: cf, stride: 1 }];
  } else if (a.depthwise === 1) {
    levels = [{ name: 'cf', count: cf, stride: 1 }, { name: 'kh', count: g.kh, stride: rowStride }, { name: 'kw', count: g.kw, stride: colStride }];
  } else {
    levels = [{ name: 'kh', count: g.kh, stride: rowStride }, { name: 'kw', count: g.kw, stride: colStride }, { name: 'cf', count: cf, stride: 1 }];
  }
  levels = levels.filter((l) => l.count > 1);
  const span = ((g.kh - 1) * g.dh * W + (g.kw - 1) * g.dw + 1) * cf;
  const deltaX = g.sw * cf;
  const deltaRow = (g.sh * W - (g.ofmW - 1) * g.sw) * cf;
  const deltaFrame = H * W * cf - ((g.ofmH - 1) * g.sh * W + (g.ofmW - 1) * g.sw) * cf;
  // Room for the words of the next window (next column or row) while this one is read: no stall in a frame.
  const depth = span + Math.max(g.ofmW > 1 ? deltaX : 0, g.ofmH > 1 ? deltaRow : 0, 1);
  return { width: a.SIMD * datatype(a.inputDataType).bitwidth(), depth, levels, ports, ow: g.ofmW, oh: g.ofmH, deltaX, deltaRow, deltaFrame, span };
}

/** Parts with UltraRAM (Zynq UltraScale+ EG/EV from ZU4, Alveo/Kria, Versal); 7-series parts have none. */
const URAM_PART = /^xc(zu([4-9]|[1-9]\d)|u\d|k\d|v[cemp])/i;

/**
 * Verilog attribute for the buffer from ram_style (auto: the tool decides). `ultra` on a part without UltraRAM
 * (Yosys' 7-series flow finds no mapping for it) leaves the choice to the tool.
 */
export function ramStyle(style: string, part: string | undefined): string {
  if (style === 'auto' || (style === 'ultra' && !URAM_PART.test(part ?? ''))) return '';
  return `(* ram_style = "${style}" *) `;
}

/** `w'd<v mod 2^w>`: a constant added with wrap-around (negative steps). */
/** `{n'd0, x}` (just `x` when n = 0): x zero-extended by n bits. */
function zext(n: number, x: string): string {
  return n > 0 ? `{${n}'d0, ${x}}` : x;
}

function lit(w: number, v: number): string {
  return `${w}'d${((BigInt(v) % (1n << BigInt(w))) + (1n << BigInt(w))) % (1n << BigInt(w))}`;
}

export function generateSwg(node: KernelNodeView): GeneratedNode {
  const a = swg(node) as SwgRtlAttrs;
  const problem = rtlGenerateProblem(a);
  if (problem) throw new BrainsmithError('E_HDL_UNSUPPORTED', `node '${node.name}': the rtl sliding window generator does not implement ${problem}`, { kind: 'input' });
  if (a.inputDataType !== a.outputDataType && datatype(a.inputDataType).bitwidth() !== datatype(a.outputDataType).bitwidth()) {
    throw new BrainsmithError('E_HDL_PARAM', `node '${node.name}': inputDataType ${a.inputDataType} and outputDataType ${a.outputDataType} differ in width`, { kind: 'input' });
  }
  const plan = swgPlan(a);
  const { width: WB, depth: D, levels, ports } = plan;
  const P = ports.length;
  const OWB = WB * P;
  const maxPort = Math.max(...ports);
  const maxDelta = Math.max(plan.deltaX, plan.deltaRow, plan.deltaFrame);
  const AW = clog2(D);
  const OFW = clog2(plan.span + 1); // offsets < span
  const SW = clog2(2 * D + 1); // origin + offset + port < 3D
  const FW = clog2(D + maxDelta + 1) + 1; // biased fill in [0, D + maxDelta]
  const BIAS = maxDelta;

  let b = inputData(0, WB, 'in_data') + outputData(OWB, 'out_data');
  b += `  localparam integer D = ${D};\n`;
  b += `  ${ramStyle(a.ram_style, node.target?.part)}reg [${WB - 1}:0] buffer [0:D-1];\n`;
  // Writer.
  b += `  reg [${FW - 1}:0] fill; // words written from the window origin on, + ${BIAS}\n`;
  b += `  reg [${AW - 1}:0] wr_addr;\n`;
  b += `  assign in0_V_TREADY = ap_rst_n && (fill < ${lit(FW, D + BIAS)});\n`;
  b += `  wire write = in0_V_TVALID && in0_V_TREADY;\n`;
  b += `  always @(posedge ap_clk) if (write) buffer[wr_addr] <= in_data;\n`;
  b += `  always @(posedge ap_clk) begin\n    if (!ap_rst_n) wr_addr <= ${AW}'d0;\n    else if (write) wr_addr <= (wr_addr == ${lit(AW, D - 1)}) ? ${AW}'d0 : wr_addr + ${AW}'d1;\n  end\n`;
  // Reader loop nest.
  b += `  reg [${OFW - 1}:0] offset; // of the next beat from the origin\n`;
  for (const l of levels) b += `  reg [${clog2(l.count) - 1}:0] i_${l.name};\n  wire last_${l.name} = i_${l.name} == ${lit(clog2(l.count), l.count - 1)};\n`;
  const ow = plan.ow > 1;
  const oh = plan.oh > 1;
  if (ow) b += `  reg [${clog2(plan.ow) - 1}:0] ox;\n  wire last_ox = ox == ${lit(clog2(plan.ow), plan.ow - 1)};\n`;
  if (oh) b += `  reg [${clog2(plan.oh) - 1}:0] oy;\n  wire last_oy = oy == ${lit(clog2(plan.oh), plan.oh - 1)};\n`;
  const lastOf = (names: string[]) => (names.length ? names.map((n) => `last_${n}`).join(' && ') : "1'b1");
  b += `  wire window_end = ${lastOf(levels.map((l) => l.name))};\n`;
  // Output buffer credit: the registered read plus up to 2 held beats.
  b += `  reg rd_valid;\n  reg [1:0] held;\n  wire pop = out_V_TVALID && out_V_TREADY;\n`;
  b += `  wire room = ({1'b0, held} + {2'b0, rd_valid} - {2'b0, pop}) < 3'd2;\n`;
  b += `  wire ready_word = (${zext(FW - OFW, 'offset')} + ${lit(FW, maxPort + BIAS)}) < fill;\n`;
  b += `  wire issue = ap_rst_n && room && ready_word;\n`;
  const delta = (v: number) => lit(FW, v);
  let advance: string;
  if (ow && oh) advance = `!last_ox ? ${delta(plan.deltaX)} : !last_oy ? ${delta(plan.deltaRow)} : ${delta(plan.deltaFrame)}`;
  else if (ow) advance = `!last_ox ? ${delta(plan.deltaX)} : ${delta(plan.deltaFrame)}`;
  else if (oh) advance = `!last_oy ? ${delta(plan.deltaRow)} : ${delta(plan.deltaFrame)}`;
  else advance = delta(plan.deltaFrame);
  b += `  wire [${FW - 1}:0] origin_move = ${advance};\n`;
  b += `  wire moving = issue && window_end;\n`;
  b += `  always @(posedge ap_clk) begin\n    if (!ap_rst_n) fill <= ${lit(FW, BIAS)};\n    else fill <= fill + {${FW - 1}'d0, write} - (moving ? origin_move : ${FW}'d0);\n  end\n`;
  // Origin address (mod D) moves with the origin.
  b += `  reg [${AW - 1}:0] origin;\n`;
  const modD = (v: number) => lit(SW, v % D);
  let originMove: string;
  if (ow && oh) originMove = `!last_ox ? ${modD(plan.deltaX)} : !last_oy ? ${modD(plan.deltaRow)} : ${modD(plan.deltaFrame)}`;
  else if (ow) originMove = `!last_ox ? ${modD(plan.deltaX)} : ${modD(plan.deltaFrame)}`;
  else if (oh) originMove = `!last_oy ? ${modD(plan.deltaRow)} : ${modD(plan.deltaFrame)}`;
  else originMove = modD(plan.deltaFrame);
  b += `  wire [${SW - 1}:0] origin_sum = ${zext(SW - AW, 'origin')} + (${originMove});\n`;
  b += `  always @(posedge ap_clk) begin\n    if (!ap_rst_n) origin <= ${AW}'d0;\n    else if (moving) origin <= (origin_sum >= ${lit(SW, D)}) ? origin_sum[${AW - 1}:0] - ${lit(AW, D)} : origin_sum[${AW - 1}:0];\n  end\n`;
  // Loop counters and the offset.
  b += '  always @(posedge ap_clk) begin\n    if (!ap_rst_n) begin\n      offset <= ' + `${OFW}'d0;\n`;
  for (const l of levels) b += `      i_${l.name} <= ${lit(clog2(l.count), 0)};\n`;
  if (ow) b += `      ox <= ${lit(clog2(plan.ow), 0)};\n`;
  if (oh) b += `      oy <= ${lit(clog2(plan.oh), 0)};\n`;
  b += '    end else if (issue) begin\n';
  // Offset: the innermost level not at its end advances, the ones inside it wrap.
  let chain = '';
  for (let i = levels.length - 1; i >= 0; i--) {
    const l = levels[i]!;
    let step = l.stride;
    for (let j = i + 1; j < levels.length; j++) step -= (levels[j]!.count - 1) * levels[j]!.stride;
    chain += `!last_${l.name} ? offset + ${lit(OFW, step)} : `;
  }
  b += `      offset <= ${chain}${OFW}'d0;\n`;
  for (let i = 0; i < levels.length; i++) {
    const l = levels[i]!;
    const inner = levels.slice(i + 1).map((m) => m.name);
    const cond = inner.length ? `if (${lastOf(inner)}) ` : '';
    const w = clog2(l.count);
    b += `      ${cond}i_${l.name} <= last_${l.name} ? ${lit(w, 0)} : i_${l.name} + ${lit(w, 1)};\n`;
  }
  if (ow) b += `      if (window_end) ox <= last_ox ? ${lit(clog2(plan.ow), 0)} : ox + ${lit(clog2(plan.ow), 1)};\n`;
  if (oh) b += `      if (window_end${ow ? ' && last_ox' : ''}) oy <= last_oy ? ${lit(clog2(plan.oh), 0)} : oy + ${lit(clog2(plan.oh), 1)};\n`;
  b += '    end\n  end\n';
  // Read ports.
  const rd: string[] = [];
  ports.forEach((c, k) => {
    b += `  wire [${SW - 1}:0] sum_${k} = ${zext(SW - AW, 'origin')} + ${zext(SW - OFW, 'offset')}${c ? ` + ${lit(SW, c)}` : ''};\n`;
    b += `  wire [${AW - 1}:0] addr_${k} = (sum_${k} >= ${lit(SW, D)}) ? sum_${k}[${AW - 1}:0] - ${lit(AW, D)} : sum_${k}[${AW - 1}:0];\n`;
    b += `  reg [${WB - 1}:0] rd_${k};\n  always @(posedge ap_clk) if (issue) rd_${k} <= buffer[addr_${k}];\n`;
    rd.unshift(`rd_${k}`);
  });
  b += `  wire [${OWB - 1}:0] rd_data = ${rd.length > 1 ? `{${rd.join(', ')}}` : rd[0]};\n`;
  // Read register -> 2-entry output buffer (q0 is the head).
  b += `  reg [${OWB - 1}:0] q0, q1;\n`;
  b += `  always @(posedge ap_clk) begin
    if (!ap_rst_n) begin
      rd_valid <= 1'b0;
      held <= 2'd0;
    end else begin
      rd_valid <= issue;
      held <= held + {1'b0, rd_valid} - {1'b0, pop};
    end
  end
  always @(posedge ap_clk) begin
    if (pop) begin
      q0 <= (held == 2'd2) ? q1 : rd_data;
      if (held == 2'd2) q1 <= rd_data;
    end else if (rd_valid) begin
      if (held == 2'd0) q0 <= rd_data;
      else q1 <= rd_data;
    end
  end
  assign out_V_TVALID = held != 2'd0;
  assign out_data = q0;
`;
  const g = geometry(a);
  const text = nodeModule({
    name: node.name,
    inputs: [paddedWidth(WB)],
    output: paddedWidth(OWB),
    about: [
      `ConvolutionInputGenerator (${a.parallel_window === 1 ? 'parallel_window' : 'default'} style${a.depthwise === 1 ? ', depthwise' : ''}): ` +
        `image ${g.ifmH}x${g.ifmW}x${a.IFMChannels}, window ${g.kh}x${g.kw}, stride ${g.sh}x${g.sw}, dilation ${g.dh}x${g.dw}, SIMD=${a.SIMD}, ${a.inputDataType}.`,
      `Circular buffer of ${D} words of ${WB} bits, ${P} read port${P > 1 ? 's' : ''}; output beat ${OWB} bits.`,
    ],
    body: b,
  });
  // Depthwise and parallel-window streams go channel fold by channel fold (reference §2.4), not in Im2Col order.
  const folded = a.depthwise === 1 || a.parallel_window === 1;
  const outputOrder = folded && a.SIMD < a.IFMChannels ? [{ taps: a.ConvKernelDim[0]! * a.ConvKernelDim[1]!, channels: a.IFMChannels, simd: a.SIMD }] : undefined;
  return { module: node.name, files: { [`${node.name}.v`]: text }, ...(outputOrder ? { outputOrder } : {}) };
}
