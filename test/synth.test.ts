import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { familyOfPart, parseStatCells, probeNativeYosys, probeWasmYosys, resourcesOfCells, synthesizeModule, synthScript } from '../src/synth/index.js';
import { runCli } from './helpers/cli.js';
import { tempDir } from './helpers/tmp.js';
import { repoRoot } from './helpers/paths.js';

const LOG = `
=== top ===

   Number of wires:                 40
   Number of cells:                 19
     CARRY4                          1
     FDRE                            9
     FDSE                            1
     INV                             2
     LUT3                            3
     LUT6                            2
     MUXF7                           1
     RAM32M                          2
     RAM64X1D                        1
     SRLC32E                         2
     RAMB36E1                        1
     RAMB18E2                        2
     URAM288                         1
     DSP48E1                         3

Warnings: 1 unique messages
`;

test('stat: cells parsed from the last statistics; FINN keys with LUTRAM sites and SRLs in LUT', () => {
  const cells = parseStatCells(`Number of cells: 3\n  LUT1  3\n\n${LOG}`)!;
  assert.equal(cells.FDRE, 9);
  assert.equal(cells.LUT1, undefined, 'the last stat wins');
  // LUT = 2 INV + 3 LUT3 + 2 LUT6 + 2·4 (RAM32M) + 2 (RAM64X1D) + 2 SRL = 19
  assert.deepEqual(resourcesOfCells(cells), { LUT: 19, SRL: 2, FF: 10, BRAM_36K: 1, BRAM_18K: 2, URAM: 1, DSP: 3 });
  assert.equal(parseStatCells('no statistics here'), undefined);
});

test('family: xc7 for 7-series and Zynq-7000, xcup for UltraScale+ and Alveo, Versal approximated by xcup with a note', () => {
  assert.deepEqual(familyOfPart('xc7z020clg400-1'), { family: 'xc7' });
  assert.deepEqual(familyOfPart('xc7a35ticsg324-1L'), { family: 'xc7' });
  assert.deepEqual(familyOfPart('xczu7ev-ffvc1156-2-e'), { family: 'xcup' });
  assert.deepEqual(familyOfPart('xcu250-figd2104-2L-e'), { family: 'xcup' });
  assert.deepEqual(familyOfPart('xcku040-ffva1156-2-e'), { family: 'xcu' });
  const v = familyOfPart('xcvc1902-vsva2197-2MP-e-S');
  assert.equal(v.family, 'xcup');
  assert.match(v.note!, /Versal/);
});

test('script: read_verilog -defer, chparam before elaboration, synth_xilinx out of context, stat', () => {
  const s = synthScript({ sources: ['lib.v', 'n 0.v'], top: 'n0', family: 'xcup', params: { DEPTH: 16 } });
  const lines = s.trim().split('\n');
  assert.deepEqual(lines, [
    'read_verilog -defer lib.v',
    'read_verilog -defer "n 0.v"',
    'chparam -set DEPTH 16 n0',
    'hierarchy -check -top n0',
    'synth_xilinx -family xcup -top n0 -flatten -noiopad -noclkbuf',
    'stat',
  ]);
});

test('synth CLI: one-line errors for a folder without hw/ and for bad --jobs', () => {
  const dir = tempDir('bs-synth-');
  const r = runCli(['synth', dir]);
  assert.equal(r.code, 1);
  assert.equal(r.errLines.length, 1, r.stderr);
  assert.match(r.stderr, /has no hw\/ folder: run compile --generate first/);
  const help = runCli(['synth', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /synth out --jobs 1/);
});

/** A parameterized FIFO (the StreamingFIFO library) under a wrapper that sets its parameters. */
function fifoDesign(dir: string): { sources: string[]; top: string } {
  mkdirSync(dir, { recursive: true });
  const lib = path.join(repoRoot, 'kernels', 'StreamingFIFO', 'hdl', 'bs_fifo.v');
  const top = path.join(dir, 'fifo_top.v');
  writeFileSync(top, `module fifo_top(input clk, input rst_n, input [7:0] d, input v, output r, output [7:0] q, output qv, input qr);
  bs_fifo #(.WIDTH(8), .DEPTH(16)) f(.clk(clk), .rst_n(rst_n), .in_data(d), .in_valid(v), .in_ready(r), .out_data(q), .out_valid(qv), .out_ready(qr));
endmodule
`);
  return { sources: [lib, top], top: 'fifo_top' };
}

test('synthesizeModule: native yosys, then the cache; a failing module names itself and keeps its log', async (t) => {
  const y = await probeNativeYosys();
  if (!y) return t.skip('needs a native yosys (apt-get install yosys)');
  const dir = tempDir('bs-synth-mod-');
  const cacheDir = path.join(dir, 'cache');
  const d = fifoDesign(path.join(dir, 'src'));
  const job = { name: 'fifo', top: d.top, sources: d.sources, memoryFiles: [], family: 'xc7' as const };
  const a = await synthesizeModule(job, { yosys: y, cacheDir, logDir: path.join(dir, 'logs') });
  assert.equal(a.cached, false);
  assert.ok(a.resources.LUT > 0 && a.resources.FF > 0, JSON.stringify(a.resources));
  assert.match(readFileSync(path.join(dir, 'logs', 'fifo.log'), 'utf8'), /Number of cells/);
  const b = await synthesizeModule(job, { yosys: y, cacheDir });
  assert.equal(b.cached, true);
  assert.deepEqual(b.resources, a.resources);
  const bad = path.join(dir, 'bad.v');
  writeFileSync(bad, 'module bad(input a, output b);\n  assign b = a &&& ;\nendmodule\n');
  await assert.rejects(synthesizeModule({ ...job, name: 'bad_node', top: 'bad', sources: [bad] }, { yosys: y, cacheDir, logDir: path.join(dir, 'logs') }), (e: Error) => {
    assert.match(e.message, /synthesis of bad_node \(module bad\) failed: .*\(log: .*bad_node\.log\)/);
    return true;
  });
});

test('native and WebAssembly Yosys give the same numbers on a small node', async (t) => {
  const native = await probeNativeYosys();
  const wasm = await probeWasmYosys();
  if (!native || !wasm) return t.skip('needs both a native yosys and @yowasp/yosys');
  const dir = tempDir('bs-synth-both-');
  const d = fifoDesign(path.join(dir, 'src'));
  const job = { name: 'fifo', top: d.top, sources: d.sources, memoryFiles: [], family: 'xc7' as const };
  const [a, b] = [await synthesizeModule(job, { yosys: native, cacheDir: path.join(dir, 'c1') }), await synthesizeModule(job, { yosys: wasm, cacheDir: path.join(dir, 'c2') })];
  assert.deepEqual(b.resources, a.resources);
});
