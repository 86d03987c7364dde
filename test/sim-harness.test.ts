import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { axisTestbench, buildSimulation, finnNodeInterface, runSimulation, simulate, topInterface, type SimDesign } from '../src/sim/index.js';
import { isBrainsmithError } from '../src/errors.js';
import { tempDir } from './helpers/tmp.js';
import { simulatorsPresent, skipNoSimulator } from './helpers/sim.js';

// A register slice: one word of storage, ready when empty or when the word leaves.
const REG_SLICE = `module reg_slice #(parameter W = 8) (
  input wire ap_clk, input wire ap_rst_n,
  input wire [W-1:0] in0_V_TDATA, input wire in0_V_TVALID, output wire in0_V_TREADY,
  output reg [W-1:0] out_V_TDATA, output reg out_V_TVALID, input wire out_V_TREADY);
  assign in0_V_TREADY = !out_V_TVALID || out_V_TREADY;
  always @(posedge ap_clk) begin
    if (!ap_rst_n) out_V_TVALID <= 1'b0;
    else if (in0_V_TREADY) begin out_V_TVALID <= in0_V_TVALID; out_V_TDATA <= in0_V_TDATA; end
  end
endmodule
`;
// Two 72-bit streams joined and added, a 40-bit constant from a memory file added on top: wide words, two
// inputs, $readmemh relative to the run folder.
const ADD2 = `module add2 (
  input wire ap_clk, input wire ap_rst_n,
  input wire [71:0] s_axis_0_tdata, input wire s_axis_0_tvalid, output wire s_axis_0_tready,
  input wire [71:0] s_axis_1_tdata, input wire s_axis_1_tvalid, output wire s_axis_1_tready,
  output wire [71:0] m_axis_0_tdata, output wire m_axis_0_tvalid, input wire m_axis_0_tready);
  reg [39:0] k [0:0];
  initial $readmemh("add2_const.hex", k);
  wire both = s_axis_0_tvalid && s_axis_1_tvalid;
  reg [71:0] sum;
  reg full;
  assign s_axis_0_tready = both && (!full || m_axis_0_tready);
  assign s_axis_1_tready = s_axis_0_tready;
  assign m_axis_0_tvalid = full;
  assign m_axis_0_tdata = sum;
  always @(posedge ap_clk) begin
    if (!ap_rst_n) full <= 1'b0;
    else if (!full || m_axis_0_tready) begin
      full <= both;
      if (both) sum <= s_axis_0_tdata + s_axis_1_tdata + {32'd0, k[0]};
    end
  end
endmodule
`;
// Takes words and never answers.
const SINK = `module black_hole (
  input wire ap_clk, input wire ap_rst_n,
  input wire [7:0] in0_V_TDATA, input wire in0_V_TVALID, output wire in0_V_TREADY,
  output wire [7:0] out_V_TDATA, output wire out_V_TVALID, input wire out_V_TREADY);
  assign in0_V_TREADY = 1'b1;
  assign out_V_TVALID = 1'b0;
  assign out_V_TDATA = 8'd0;
endmodule
`;

// One cache for the file: Verilator's runtime objects are compiled once, each design still builds cold.
const cacheDir = path.join(tempDir('bs-sim-cache-'), 'cache');

function source(dir: string, name: string, text: string): string {
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
}

function words(n: number, bits: number, seed: number): bigint[] {
  let x = BigInt(seed) + 1n;
  const out: bigint[] = [];
  for (let i = 0; i < n; i++) {
    x = (x * 6364136223846793005n + 1442695040888963407n) & ((1n << 64n) - 1n);
    out.push(((x << 16n) ^ (x >> 7n)) & ((1n << BigInt(bits)) - 1n));
  }
  return out;
}

test('the testbench names every port of the module and reads plusargs', () => {
  const tb = axisTestbench(finnNodeInterface('MVAU_rtl_0', [16], [8]));
  for (const p of ['ap_clk', 'ap_rst_n', 'in0_V_TDATA', 'in0_V_TVALID', 'in0_V_TREADY', 'out_V_TDATA', 'out_V_TVALID', 'out_V_TREADY']) assert.match(tb, new RegExp(`\\.${p}\\(`));
  for (const a of ['in0=%s', 'nin0=%d', 'out0=%s', 'nout0=%d', 'stall=%d', 'seed=%d', 'timeout=%d']) assert.ok(tb.includes(a), a);
  const top = axisTestbench(topInterface('brainsmith_top', [8, 8], [8]));
  for (const p of ['s_axis_0_tdata', 's_axis_1_tready', 'm_axis_0_tvalid']) assert.ok(top.includes(`.${p}(`), p);
  assert.throws(() => axisTestbench(finnNodeInterface('9bad', [8], [8])), /not a Verilog identifier/);
});

for (const kind of simulatorsPresent.length ? simulatorsPresent : (['verilator'] as const)) {
  test(`${kind}: a register slice passes every word, in order, under random stalls; the second build is cached`, { skip: skipNoSimulator }, async () => {
    const dir = tempDir('bs-sim-');
    const design: SimDesign = { sources: [source(dir, 'reg_slice.v', REG_SLICE)], dut: finnNodeInterface('reg_slice', [8], [8]) };
    const input = words(500, 8, 3);
    const first = await simulate(design, { inputs: [input], expected: [500] }, { simulator: kind, cacheDir });
    assert.equal(first.build.cached, false);
    assert.deepEqual(first.outputs[0], input);
    // Unthrottled, one word per cycle after the one-cycle slice.
    assert.equal(first.cycles[0]!.length, 500);
    assert.equal(first.cycles[0]![499]! - first.cycles[0]![0]!, 499);
    const stalled = await simulate(design, { inputs: [input], expected: [500], stall: 0.4, seed: 7 }, { simulator: kind, cacheDir });
    assert.equal(stalled.build.cached, true);
    assert.deepEqual(stalled.outputs[0], input);
    assert.ok(stalled.totalCycles > first.totalCycles * 1.5, `stalls slow the stream down (${stalled.totalCycles} vs ${first.totalCycles} cycles)`);
  });

  test(`${kind}: two wide inputs, a memory file read from the run folder`, { skip: skipNoSimulator }, async () => {
    const dir = tempDir('bs-sim-');
    writeFileSync(path.join(dir, 'add2_const.hex'), 'ab_cdef_0123\n'.replace(/_/g, ''));
    const design: SimDesign = { sources: [source(dir, 'add2.v', ADD2)], dut: topInterface('add2', [72, 72], [72]) };
    const a = words(64, 70, 1);
    const b = words(64, 70, 2);
    const build = await buildSimulation(design, { simulator: kind, cacheDir });
    const r = await runSimulation(build, { inputs: [a, b], expected: [64], stall: 0.3, seed: 11, cwd: dir });
    const k = 0xabcdef0123n;
    assert.deepEqual(r.outputs[0], a.map((x, i) => (x + b[i]! + k) & ((1n << 72n) - 1n)));
  });
}

test('a source that does not compile is a one-line build error', { skip: skipNoSimulator }, async () => {
  const dir = tempDir('bs-sim-');
  const design: SimDesign = { sources: [source(dir, 'broken.v', 'module reg_slice(input wire ap_clk; endmodule\n')], dut: finnNodeInterface('reg_slice', [8], [8]) };
  await assert.rejects(simulate(design, { inputs: [[1n]], expected: [1] }, { simulator: simulatorsPresent.at(-1), cacheDir: path.join(dir, 'cache') }), (e: unknown) => isBrainsmithError(e) && e.code === 'E_SIM_BUILD' && !e.message.includes('\n'));
  assert.deepEqual(readdirSync(path.join(dir, 'cache')), [], 'a failed build leaves nothing in the cache');
});

test('a design that never answers is a deadlock error naming the streams', { skip: skipNoSimulator }, async () => {
  const dir = tempDir('bs-sim-');
  const design: SimDesign = { sources: [source(dir, 'black_hole.v', SINK)], dut: finnNodeInterface('black_hole', [8], [8]) };
  await assert.rejects(
    simulate(design, { inputs: [words(10, 8, 1)], expected: [10], idleTimeout: 200 }, { simulator: simulatorsPresent.at(-1), cacheDir }),
    (e: unknown) => isBrainsmithError(e) && e.code === 'E_SIM_DEADLOCK' && /in0_V 10\/10, out_V 0\/10/.test(e.message),
  );
});
