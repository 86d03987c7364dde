/**
 * Control pieces shared by the streaming kernels that walk an image (pooling, up/down-sampling): nested
 * wrap-around counters over a folded shape, the output register with AXI-Stream backpressure, and the
 * element-wise maximum of two raw elements.
 */
import { clog2, type ElementCoding } from './verilog.js';

/**
 * Counters over a folded shape, innermost first: counter i advances when `enable` and every inner counter is
 * at its last state, and wraps after `n` states. Declares `reg <name>` (n > 1) and `wire <name>_last`; a
 * counter with n = 1 has only its `_last` wire (constant 1). A `_last` wire the caller does not read should be
 * named in an `unused_*` sink (Verilator's pattern), which `counterSink` writes.
 */
export function nestedCounters(counters: ReadonlyArray<{ name: string; n: number }>, enable: string): string {
  let b = '';
  let carry = enable;
  for (const { name, n } of counters) {
    if (n === 1) {
      b += `  wire ${name}_last = 1'b1;\n`;
      continue;
    }
    const w = clog2(n);
    b += `  reg [${w - 1}:0] ${name};\n  wire ${name}_last = ${name} == ${w}'d${n - 1};\n`;
    b += `  always @(posedge ap_clk) begin\n    if (!ap_rst_n) ${name} <= ${w}'d0;\n`;
    b += `    else if (${carry}) ${name} <= ${name}_last ? ${w}'d0 : ${name} + ${w}'d1;\n  end\n`;
    carry = `${carry} && ${name}_last`;
  }
  return b;
}

/** Marks signals the module declares but does not read (Verilator's `unused*` pattern keeps lint clean). */
export function counterSink(name: string, signals: readonly string[]): string {
  return signals.length === 0 ? '' : `  wire unused_${name} = &{1'b0, ${signals.join(', ')}};\n`;
}

/**
 * The output register: `out_data` (declared by `outputData`) and out_V_TVALID come from registers loaded with
 * `value` on `emit`; `slot` (declared here) is high when a word may be loaded this cycle.
 */
export function outputRegister(bits: number, emit: string, value: string): string {
  return `  reg out_valid;
  reg [${bits - 1}:0] out_reg;
  assign slot = !out_valid || out_V_TREADY;
  always @(posedge ap_clk) begin
    if (!ap_rst_n) out_valid <= 1'b0;
    else if (${emit}) out_valid <= 1'b1;
    else if (out_V_TREADY) out_valid <= 1'b0;
  end
  always @(posedge ap_clk) if (${emit}) out_reg <= ${value};
  assign out_data = out_reg;
  assign out_V_TVALID = out_valid;
`;
}

/**
 * Declares `wire [bits-1:0] <name>` = the larger of the raw elements `a` and `b` (wire names) of `coding`:
 * signed compares with the sign bit flipped, unsigned and BIPOLAR (0 → −1 < 1 → +1) compare as they are.
 */
export function elementMax(name: string, a: string, b: string, bits: number, coding: ElementCoding): string {
  const key = (s: string): string => (coding !== 'signed' ? s : bits === 1 ? `~${s}` : `{~${s}[${bits - 1}], ${s}[${bits - 2}:0]}`);
  return `  wire [${bits - 1}:0] ${name} = (${key(a)} > ${key(b)}) ? ${a} : ${b};\n`;
}
