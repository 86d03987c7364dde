import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { foldRom, readmemh, type RomResetRead } from '../src/hdl/index.js';
import { lint, skipNoIcarus, skipNoVerilator } from './helpers/hdl-sim.js';
import { tempDir } from './helpers/tmp.js';

/** A module around foldRom: `q` is the word at a fold counter over the ROM's words, advancing on `en`. */
function romModule(words: readonly bigint[], bits: number, reset: RomResetRead): string {
  return `module rom_read (input wire ap_clk, input wire ap_rst_n, input wire en, output wire [${bits - 1}:0] q);
${foldRom('rom', 'w', words, bits, 'rom_read.hex', 'en', reset)}  assign q = w;
endmodule
`;
}

/**
 * Checks q against a reference counter every cycle, under a random enable that also toggles during reset,
 * resets of one and three cycles, at random points of the fold, one after the counter wrapped.
 */
function testbench(words: readonly bigint[], bits: number): string {
  const n = words.length;
  return `\`timescale 1ns/1ps
module tb;
  reg clk = 0, rst_n = 0, en = 0;
  wire [${bits - 1}:0] q;
  reg [${bits - 1}:0] rom [0:${n - 1}];
  integer c = 0, cycle, errors = 0, seed = 7;
  rom_read dut (.ap_clk(clk), .ap_rst_n(rst_n), .en(en), .q(q));
  always #5 clk = ~clk;
  initial begin
    $readmemh("rom_read.hex", rom);
    for (cycle = 0; cycle < 400; cycle = cycle + 1) begin
      rst_n = !(cycle < 2 || cycle == 37 || (cycle >= 90 && cycle < 93) || cycle == ${3 * n + 120});
      en = ($random(seed) & 3) != 0;
      @(posedge clk);
      if (!rst_n) c = 0; else if (en) c = (c + 1) % ${n};
      #1;
      if (q !== rom[c]) begin errors = errors + 1; $display("cycle %0d: q %h, expected rom[%0d] %h", cycle, q, c, rom[c]); end
    end
    $display("errors %0d", errors);
    $finish;
  end
endmodule
`;
}

for (const [n, bits, reset] of [[5, 8, 'address'], [5, 8, 'select'], [8, 12, 'select'], [64, 16, 'address'], [64, 16, 'select']] as const) {
  const words = Array.from({ length: n }, (_, i) => BigInt((i * 2654435761) % 2 ** bits));
  test(`foldRom (${n} words of ${bits}, reset read by ${reset}): the word at the counter in every cycle, after every reset (Icarus)`, { skip: skipNoIcarus }, () => {
    const dir = tempDir('bs-rom-read-');
    writeFileSync(path.join(dir, 'rom_read.hex'), readmemh(words, bits));
    writeFileSync(path.join(dir, 'rom_read.v'), romModule(words, bits, reset));
    writeFileSync(path.join(dir, 'tb.v'), testbench(words, bits));
    const c = spawnSync('iverilog', ['-g2005', '-o', 'sim', 'tb.v', 'rom_read.v'], { cwd: dir, encoding: 'utf8' });
    assert.equal(c.status, 0, c.stderr);
    const r = spawnSync('vvp', ['sim'], { cwd: dir, encoding: 'utf8' });
    assert.match(r.stdout, /^errors 0$/m, r.stdout);
  });
  test(`foldRom (${n} words of ${bits}, reset read by ${reset}): Verilator lint -Wall clean`, { skip: skipNoVerilator }, () => {
    const dir = tempDir('bs-rom-read-');
    writeFileSync(path.join(dir, 'rom_read.hex'), readmemh(words, bits));
    writeFileSync(path.join(dir, 'rom_read.v'), romModule(words, bits, reset));
    assert.equal(lint({ dir, top: 'rom_read', sources: [path.join(dir, 'rom_read.v')] }), '');
  });
}
