/**
 * A minimal Icarus Verilog harness for simulating one generated node alone: an AXI-Stream source that replays
 * input words (optionally dropping TVALID at random between beats, never retracting an offered beat) and a sink
 * that collects output words (TREADY dropped at random). One compile per node configuration; runs vary the
 * stall probability and seed. Also lint (Verilator) and synthesis (Yosys) checks of a generated node.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { GeneratedNode } from '../../src/index.js';
import { paddedWidth, readmemh } from '../../src/hdl/index.js';
import { tempDir } from './tmp.js';

function has(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
}

export const hasIcarus = has('iverilog') && has('vvp');
export const hasVerilator = has('verilator');
export const hasYosys = has('yosys');
/** Pass as the `skip` option of tests that simulate. */
export const skipNoIcarus: string | false = hasIcarus ? false : 'needs Icarus Verilog (apt-get install iverilog)';
export const skipNoVerilator: string | false = hasVerilator ? false : 'needs Verilator (apt-get install verilator)';
export const skipNoYosys: string | false = hasYosys ? false : 'needs Yosys (apt-get install yosys)';

/** A generated node written to a folder of its own, with its library sources resolved. */
export interface WrittenNode {
  dir: string;
  top: string;
  /** Every source, library modules first. */
  sources: string[];
}

/** Writes the node's files into a fresh folder; `libraryRoot` is the backend plugin's folder. */
export function writeNode(gen: GeneratedNode, libraryRoot: string): WrittenNode {
  const dir = tempDir('bs-hdl-');
  for (const [name, text] of Object.entries(gen.files)) writeFileSync(path.join(dir, name), text);
  const libs = (gen.libraries ?? []).map((l) => path.resolve(libraryRoot, l));
  const own = Object.keys(gen.files).filter((f) => f.endsWith('.v')).map((f) => path.join(dir, f));
  return { dir, top: gen.module, sources: [...libs, ...own] };
}

const TB = `\`timescale 1ns/1ps
module bs_tb;
  parameter IW = 8;
  parameter OW = 8;
  parameter NIN = 1;
  parameter NOUT = 1;
  parameter MAXCYC = 1000000;
  reg ap_clk = 1'b0;
  reg ap_rst_n = 1'b0;
  reg [IW-1:0] in_data;
  reg in_valid;
  wire in_ready;
  wire [OW-1:0] out_data;
  wire out_valid;
  reg out_ready;
  reg [IW-1:0] words [0:NIN-1];
  integer stall, seed, ii, oi, cyc, r;
  \`BS_DUT dut (.ap_clk(ap_clk), .ap_rst_n(ap_rst_n),
    .in0_V_TDATA(in_data), .in0_V_TVALID(in_valid), .in0_V_TREADY(in_ready),
    .out_V_TDATA(out_data), .out_V_TVALID(out_valid), .out_V_TREADY(out_ready));
  always #5 ap_clk = ~ap_clk;
  initial begin
    $readmemh("tb_in.hex", words);
    if (!$value$plusargs("stall=%d", stall)) stall = 0;
    if (!$value$plusargs("seed=%d", seed)) seed = 1;
    ii = 0; oi = 0; cyc = 0;
    in_valid = 1'b0; in_data = {IW{1'b0}}; out_ready = 1'b0;
    repeat (4) @(posedge ap_clk);
    ap_rst_n <= 1'b1;
  end
  always @(posedge ap_clk) if (ap_rst_n) begin
    cyc = cyc + 1;
    if (in_valid && in_ready) ii = ii + 1;
    if (out_valid && out_ready) begin
      $display("W %h", out_data);
      oi = oi + 1;
    end
    if (oi >= NOUT) begin
      $display("CYCLES %0d", cyc);
      $finish;
    end
    if (cyc > MAXCYC) begin
      $display("TIMEOUT after %0d cycles: %0d of %0d inputs taken, %0d of %0d outputs", cyc, ii, NIN, oi, NOUT);
      $finish;
    end
    if (!(in_valid && !in_ready)) begin
      r = $random(seed);
      in_valid <= (ii < NIN) && ((r & 32'h7fffffff) % 100 >= stall);
      in_data <= (ii < NIN) ? words[ii] : {IW{1'b0}};
    end
    r = $random(seed);
    out_ready <= ((r & 32'h7fffffff) % 100 >= stall);
  end
endmodule
`;

export interface CompiledTb {
  dir: string;
  run(inputWords: readonly bigint[], opts?: { stall?: number; seed?: number }): { words: bigint[]; cycles: number };
}

/**
 * Compiles the node with the testbench for `nin` input and `nout` output words; widths are the node's
 * unpadded stream widths (the ports are padded to multiples of 8).
 */
export function compileTb(node: WrittenNode, inWidth: number, outWidth: number, nin: number, nout: number): CompiledTb {
  const IW = paddedWidth(inWidth);
  const OW = paddedWidth(outWidth);
  const tb = path.join(node.dir, 'bs_tb.v');
  writeFileSync(tb, TB);
  const out = path.join(node.dir, 'bs_tb.vvp');
  execFileSync('iverilog', ['-g2012', '-o', out, `-DBS_DUT=${node.top}`, '-s', 'bs_tb',
    `-Pbs_tb.IW=${IW}`, `-Pbs_tb.OW=${OW}`, `-Pbs_tb.NIN=${nin}`, `-Pbs_tb.NOUT=${nout}`, ...node.sources, tb], { cwd: node.dir, stdio: 'pipe' });
  let runs = 0;
  return {
    dir: node.dir,
    run(inputWords, opts = {}) {
      const rundir = path.join(node.dir, `run${runs++}`);
      mkdirSync(rundir);
      // Memory files the node reads are found relative to the simulator's folder.
      for (const f of memoryFiles(node.dir)) writeFileSync(path.join(rundir, f.name), f.text);
      writeFileSync(path.join(rundir, 'tb_in.hex'), readmemh(inputWords, IW));
      const res = spawnSync('vvp', ['-n', out, `+stall=${opts.stall ?? 0}`, `+seed=${opts.seed ?? 1}`], { cwd: rundir, encoding: 'utf8' });
      if (res.status !== 0) throw new Error(`vvp failed: ${res.stderr}`);
      const words: bigint[] = [];
      let cycles = -1;
      for (const line of res.stdout.split('\n')) {
        if (line.startsWith('W ')) {
          const hex = line.slice(2).trim();
          if (!/^[0-9a-f]+$/i.test(hex)) throw new Error(`output word ${words.length} has unknown bits: ${hex}`);
          words.push(BigInt('0x' + hex));
        } else if (line.startsWith('CYCLES ')) cycles = Number(line.slice(7));
        else if (line.startsWith('TIMEOUT')) throw new Error(line);
      }
      return { words, cycles };
    },
  };
}

/** The memory files of a written node. */
function memoryFiles(dir: string): Array<{ name: string; text: string }> {
  return readdirSync(dir).filter((f) => f.endsWith('.hex')).map((name) => ({ name, text: readFileSync(path.join(dir, name), 'utf8') }));
}

/** `verilator --lint-only -Wall` output (empty when clean). */
export function lint(node: WrittenNode): string {
  const res = spawnSync('verilator', ['--lint-only', '-Wall', '--top-module', node.top, ...node.sources], { cwd: node.dir, encoding: 'utf8' });
  return (res.stdout + res.stderr).trim();
}

/** Runs Yosys `read_verilog` + `synth_xilinx` on the node; returns the cell statistics text, throws on error. */
export function synth(node: WrittenNode): string {
  const script = `${node.sources.map((s) => `read_verilog ${s}`).join('; ')}; synth_xilinx -top ${node.top}; stat`;
  return execFileSync('yosys', ['-p', script], { cwd: node.dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
}
