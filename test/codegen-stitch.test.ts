import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { generateHardware, readDesign, stitchTop } from '../src/codegen/index.js';
import { resolveTarget } from '../src/estimate/index.js';
import { isBrainsmithError } from '../src/errors.js';
import { buildSimulation, runSimulation, topInterface } from '../src/sim/index.js';
import { codegenProject, fixtureModel } from './helpers/codegen-fixture.js';
import { simulatorsPresent, skipNoSimulator, skipNoVerilator } from './helpers/sim.js';
import { tempDir } from './helpers/tmp.js';

const target = resolveTarget({ board: 'Pynq-Z2' });

/** x → Relu (host) → TestPass_0 (PE 2) → FIFO ─┐
 *  y → StreamingFIFO_0 (depth 4) ──────────────┴→ TestAdd_0 (PE 2) → TestPass_1 (PE 2) → out */
function dag() {
  return fixtureModel(
    [
      { op: 'Relu', name: 'Relu_0', inputs: ['x'], output: 'xr' },
      { op: 'TestPass', name: 'TestPass_0', inputs: ['xr'], output: 'a', PE: 2 },
      { op: 'StreamingFIFO', name: 'StreamingFIFO_1', inputs: ['a'], output: 'a2', PE: 2 },
      { op: 'StreamingFIFO', name: 'StreamingFIFO_0', inputs: ['y'], output: 'b', PE: 2, depth: 4 },
      { op: 'TestAdd', name: 'TestAdd_0', inputs: ['a2', 'b'], output: 's', PE: 2 },
      { op: 'TestPass', name: 'TestPass_1', inputs: ['s'], output: 'out', PE: 2 },
    ],
    ['x', 'y'],
    ['out'],
  );
}

test('hw/ holds a module per node, each library once, memory files, the top, filelist.f and design.json', async () => {
  const { reg, dir } = await codegenProject();
  const hw = path.join(dir, 'hw');
  const r = await generateHardware(dag(), reg, hw, { target, clockNs: 5, top: 'my_top' });
  const d = r.design;
  assert.deepEqual(d.nodes.map((n) => n.name), ['TestPass_0', 'StreamingFIFO_1', 'StreamingFIFO_0', 'TestAdd_0', 'TestPass_1']);
  assert.deepEqual(d.hostNodes, { before: ['Relu_0'], after: [] });
  // The partition's inputs: graph input y and the host node's output xr, graph inputs first.
  assert.deepEqual(d.inputs.map((s) => s.tensor), ['y', 'xr']);
  assert.deepEqual(d.outputs.map((s) => [s.tensor, s.datatype, s.bits, s.width, s.elemsPerWord, s.wordsPerFrame]), [['out', 'UINT5', 10, 16, 2, 4]]);
  // Libraries first (once, though two nodes name them), then node files in graph order, then the top.
  assert.deepEqual(d.sources, ['test_slice.v', 'bs_fifo.v', 'TestPass_0.v', 'StreamingFIFO_1.v', 'StreamingFIFO_0.v', 'TestAdd_0.v', 'TestPass_1.v', 'my_top.v']);
  assert.deepEqual(d.memoryFiles, ['TestPass_0_note.hex', 'TestPass_1_note.hex']);
  for (const f of [...d.sources, ...d.memoryFiles, 'filelist.f', 'design.json', 'vivado/create_project.tcl']) assert.ok(existsSync(path.join(hw, f)), f);
  assert.deepEqual(readFileSync(path.join(hw, 'filelist.f'), 'utf8').trim().split('\n'), d.sources.map((f) => path.join(hw, f)));
  assert.deepEqual(readDesign(hw), d);
  const top = readFileSync(path.join(hw, 'my_top.v'), 'utf8');
  assert.match(top, /input\s+wire \[7:0\] s_axis_0_tdata/);
  assert.match(top, /output wire \[15:0\] m_axis_0_tdata/);
  // Edges wired by tensor and input index: a2 → in0 and b → in1 of the adder.
  assert.match(top, /TestAdd_0 TestAdd_0 \([^;]*\.in0_V_TDATA\(w_a2_tdata\)[^;]*\.in1_V_TDATA\(w_b_tdata\)/s);
  assert.match(top, /StreamingFIFO_0 StreamingFIFO_0 \([^;]*\.in0_V_TDATA\(s_axis_0_tdata\)/s);
  assert.match(top, /TestPass_1 TestPass_1 \([^;]*\.out_V_TREADY\(m_axis_0_tready\)/s);
});

test('the Vivado script names every source, every memory file, the part and the clock', async () => {
  const { reg, dir } = await codegenProject();
  const hw = path.join(dir, 'hw');
  const { design } = await generateHardware(dag(), reg, hw, { target, clockNs: 5 });
  const tcl = readFileSync(path.join(hw, 'vivado', 'create_project.tcl'), 'utf8');
  for (const f of [...design.sources, ...design.memoryFiles]) assert.ok(tcl.includes(`"$hw_dir/${f}"`), f);
  assert.match(tcl, /set part xc7z020clg400-1\n/);
  assert.match(tcl, /create_project \$top \$proj_dir -part \$part/);
  assert.match(tcl, /set top brainsmith_top\n/);
  assert.match(tcl, /create_clock -period 5 /);
  assert.match(tcl, /ipx::package_project/);
  assert.match(tcl, /ASSOCIATED_BUSIF s_axis_0:s_axis_1:m_axis_0/);
  // Sources in the script appear in compile order.
  const at = design.sources.map((f) => tcl.indexOf(`"$hw_dir/${f}"`));
  assert.deepEqual(at, [...at].sort((a, b) => a - b));
});

test('a host node between two hardware nodes, a stream read by two nodes, and mismatched widths are errors', async () => {
  const { reg, dir } = await codegenProject();
  const between = fixtureModel([
    { op: 'TestPass', name: 'P0', inputs: ['x'], output: 'a' },
    { op: 'Relu', name: 'Relu_mid', inputs: ['a'], output: 'b' },
    { op: 'TestPass', name: 'P1', inputs: ['b'], output: 'y' },
  ], ['x'], ['y']);
  await assert.rejects(generateHardware(between, reg, path.join(dir, 'a'), { target, clockNs: 10 }), (e: unknown) => isBrainsmithError(e) && e.code === 'E_CODEGEN_PARTITION' && /host node 'Relu_mid' \(Relu\) sits between hardware nodes/.test(e.message));
  const fanout = fixtureModel([
    { op: 'TestPass', name: 'P0', inputs: ['x'], output: 'a' },
    { op: 'TestPass', name: 'P1', inputs: ['a'], output: 'y' },
    { op: 'TestPass', name: 'P2', inputs: ['a'], output: 'z' },
  ], ['x'], ['y', 'z']);
  await assert.rejects(generateHardware(fanout, reg, path.join(dir, 'b'), { target, clockNs: 10 }), /tensor 'a' feeds 2 hardware nodes \(P1, P2\)/);
  const widths = fixtureModel([
    { op: 'TestPass', name: 'P0', inputs: ['x'], output: 'a', PE: 2 },
    { op: 'TestPass', name: 'P1', inputs: ['a'], output: 'y', PE: 4 },
  ], ['x'], ['y']);
  await assert.rejects(generateHardware(widths, reg, path.join(dir, 'c'), { target, clockNs: 10 }), (e: unknown) => isBrainsmithError(e) && e.code === 'E_CODEGEN_WIDTH' && /node 'P0' writes 8-bit words, node 'P1' reads 16-bit words/.test(e.message));
  await assert.rejects(generateHardware(dag(), reg, path.join(dir, 'd'), { target, clockNs: 10, top: '1top' }), /not a Verilog identifier/);
});

test('stitchTop is a pure function of the wiring', () => {
  const spec = { top: 't', inputs: [{ tensor: 'x', width: 8 }], outputs: [{ tensor: 'y', width: 8 }], widths: new Map([['x', 8], ['m/1', 8], ['y', 8]]), nodes: [
    { instance: 'A', module: 'A', inputs: [{ port: 'in0_V', tensor: 'x' }], outputs: [{ port: 'out_V', tensor: 'm/1' }] },
    { instance: 'B', module: 'B', inputs: [{ port: 'in0_V', tensor: 'm/1' }], outputs: [{ port: 'out_V', tensor: 'y' }] },
  ] };
  const a = stitchTop(spec);
  assert.equal(a, stitchTop(spec));
  assert.match(a, /wire \[7:0\] w_m_1_tdata;/);
});

test('the stitched design lints clean with verilator -Wall', { skip: skipNoVerilator }, async () => {
  const { reg, dir } = await codegenProject();
  const hw = path.join(dir, 'hw');
  await generateHardware(dag(), reg, hw, { target, clockNs: 5 });
  const r = spawnSync('verilator', ['--lint-only', '-Wall', '-f', path.join(hw, 'filelist.f'), '--top-module', 'brainsmith_top'], { encoding: 'utf8', cwd: hw });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr.trim(), '');
});

test('the stitched design adds its two streams, under stalls', { skip: skipNoSimulator }, async () => {
  const { reg, dir } = await codegenProject();
  const hw = path.join(dir, 'hw');
  const { design } = await generateHardware(dag(), reg, hw, { target, clockNs: 5 });
  const build = await buildSimulation({ sources: design.sources.map((f) => path.join(hw, f)), dut: topInterface(design.top, design.inputs.map((s) => s.width), design.outputs.map((s) => s.width)) }, { simulator: simulatorsPresent.at(-1), cacheDir: path.join(dir, 'cache') });
  // 16 frames of 8 UINT4 channels, two per word; inputs in the top's order (y, then xr).
  const y = Array.from({ length: 64 }, (_, i) => BigInt((i * 7 + 3) & 0xff));
  const x = Array.from({ length: 64 }, (_, i) => BigInt((i * 13 + 1) & 0xff));
  const r = await runSimulation(build, { inputs: [y, x], expected: [64], stall: 0.25, seed: 5, cwd: hw });
  const lane = (w: bigint, p: number) => (w >> BigInt(4 * p)) & 0xfn;
  assert.deepEqual(r.outputs[0], y.map((w, i) => (lane(w, 0) + lane(x[i]!, 0)) | ((lane(w, 1) + lane(x[i]!, 1)) << 5n)));
  assert.ok(readdirSync(hw).includes('brainsmith_top.v'));
});
