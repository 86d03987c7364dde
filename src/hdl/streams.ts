/**
 * Control pieces shared by the streaming kernels that walk an image (pooling, up/down-sampling): nested
 * wrap-around counters over a folded shape, the output register with AXI-Stream backpressure, and the
 * element-wise maximum of two raw elements.
 */
import { clog2, outputRegister, type ElementCoding } from './verilog.js';

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
 * `value` on `emit` (verilog.ts's `outputRegister`); `slot` (declared by the caller) is high when a word may be
 * loaded this cycle.
 */
export function slotOutputRegister(bits: number, emit: string, value: string): string {
  const r = outputRegister(emit, value, bits);
  return `${r.decl}  assign slot = out_free;\n${r.logic}`;
}

/**
 * Declares `wire [bits-1:0] <name>` = the larger of the raw elements `a` and `b` (wire names) of `coding`:
 * signed compares with the sign bit flipped, unsigned and BIPOLAR (0 → −1 < 1 → +1) compare as they are.
 */
export function elementMax(name: string, a: string, b: string, bits: number, coding: ElementCoding): string {
  const key = (s: string): string => (coding !== 'signed' ? s : bits === 1 ? `~${s}` : `{~${s}[${bits - 1}], ${s}[${bits - 2}:0]}`);
  return `  wire [${bits - 1}:0] ${name} = (${key(a)} > ${key(b)}) ? ${a} : ${b};\n`;
}

/** Yosys 0.23 memory_libmap's cost of one RAMB18 and one RAMB36 (xc7), weighed against logic or LUTRAM. */
export const RAMB18_COST = 129;
export const RAMB36_COST = 257;

/**
 * Block RAM for `depth` × `width` as memory_libmap picks it: RAMB18s or RAMB36s in their best simple-dual-port
 * shape (widths 1…36 / 1…72), whichever costs less (RAMB18s on a tie). `cost` is memory_libmap's, `BRAM_18K`
 * counts a RAMB36 as two.
 */
export function blockRamChoice(depth: number, width: number): { cost: number; BRAM_18K: number } {
  const shapes = (full: number, widths: number[]): number => Math.min(...widths.map((w, i) => Math.ceil(depth / (full >> i)) * Math.ceil(width / w)));
  const n18 = shapes(16384, [1, 2, 4, 9, 18, 36]);
  const n36 = shapes(32768, [1, 2, 4, 9, 18, 36, 72]);
  return RAMB18_COST * n18 <= RAMB36_COST * n36 ? { cost: RAMB18_COST * n18, BRAM_18K: n18 } : { cost: RAMB36_COST * n36, BRAM_18K: 2 * n36 };
}

/**
 * What Yosys 0.23 `synth_xilinx` (xc7) makes of a `depth × width` memory with one write and one read port:
 * LUT sites and BRAM_18K (a RAMB36 counts 2). Asynchronous reads give LUTRAM: banks of RAM32M (32 × 6) or
 * RAM64M (64 × 3), whichever needs fewer cells (RAM64M on a tie), each 4 LUT sites, plus a read multiplexer
 * across banks. A read address straight from a register can become a synchronous BRAM read; Yosys then takes
 * block RAM when its cost (129 per RAMB18, 257 per RAMB36, best shape) is at most 8 per LUTRAM cell + 2.
 * Measured on memories of 2 … 2048 words (docs/RTL-KERNELS.md).
 */
export function memoryResources(depth: number, width: number, registeredAddress: boolean): { LUT: number; BRAM_18K: number } {
  if (depth <= 1) return { LUT: 0, BRAM_18K: 0 };
  const b32 = Math.ceil(depth / 32);
  const b64 = Math.ceil(depth / 64);
  const c32 = b32 * Math.ceil(width / 6);
  const c64 = b64 * Math.ceil(width / 3);
  const banks = c64 <= c32 ? b64 : b32;
  const cells = Math.min(c32, c64);
  if (registeredAddress) {
    const bram = blockRamChoice(depth, width);
    if (bram.cost <= 8 * cells + 2) return { LUT: Math.max(0, 2 * clog2(depth) - 6), BRAM_18K: bram.BRAM_18K };
  }
  let mux = 0;
  if (banks >= 2 && banks <= 4) mux = width + banks;
  else if (banks === 5) mux = 4 * width + 5;
  else if (banks > 5 && banks <= 8) mux = 3 * width + 14;
  else if (banks > 8) mux = Math.ceil(banks / 16) * (6 * width + 14);
  return { LUT: 4 * cells + mux, BRAM_18K: 0 };
}

/** LUTs Yosys makes of one `first ? x : max(x, q)` lane of `bits` bits (elementMax and its select; measured). */
export function maxLaneLuts(bits: number): number {
  const small = [0, 1, 2, 4, 5, 13, 16, 15];
  return bits < small.length ? small[bits]! : Math.round(1.7 * bits);
}

/** Width of the registers of nested counters / phase counters over `sizes` states (1-state counters are constant). */
export function counterBits(sizes: readonly number[]): number {
  return sizes.reduce((s, n) => s + (n > 1 ? clog2(n) : 0), 0);
}
