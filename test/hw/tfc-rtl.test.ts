// Issue 10's acceptance on TFC-w1a1: every node rtl, the stitched design lint-clean and bit-exact in
// simulation against the executor and FINN's golden output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { shared, skipNoShared } from '../helpers/paths.js';
import { skipNoIcarus, hasVerilator } from '../helpers/sim.js';
import { tempDir } from '../helpers/tmp.js';

test('TFC-w1a1 with --prefer rtl --generate: all nodes rtl, lint-clean, bit-exact with FINN\'s golden output under stalls', { skip: skipNoShared || skipNoIcarus }, () => {
  const dir = tempDir('bs-tfc-rtl-');
  const env = { HOME: path.join(dir, 'home'), BRAINSMITH_SIM_CACHE: path.join(dir, 'sim-cache') };
  const c = runCli(['compile', shared('labs', 'tfc-w1a1.onnx'), '-o', 'out', '--board', 'Pynq-Z2', '--clock-ns', '10', '--target-fps', '100000', '--prefer', 'rtl', '--generate', '--json'], { cwd: dir, env });
  assert.equal(c.code, 0, c.stderr);
  const summary = JSON.parse(c.stdout) as { opTypes: Record<string, number>; hardware?: { nodes: number } };
  assert.ok(Object.keys(summary.opTypes).every((k) => !k.includes('.hls:')), JSON.stringify(summary.opTypes));
  assert.equal(summary.hardware?.nodes, 17);
  const s = runCli(['sim', 'out', '--input', shared('finn', 'tfc_w1a1', 'input.npy'), '--expected', shared('finn', 'tfc_w1a1', 'expected_output.npy'), '--stall', '0.3', '--simulator', 'icarus', '--json'], { cwd: dir, env });
  assert.equal(s.code, 0, s.stderr);
  const sim = JSON.parse(s.stdout) as { ok: boolean; reference: { ok: boolean; message: string }; expected?: { ok: boolean } };
  assert.equal(sim.reference.ok, true, sim.reference.message);
  assert.equal(sim.expected?.ok, true);
  if (hasVerilator) {
    const lint = spawnSync('verilator', ['--lint-only', '-Wall', '-f', path.join(dir, 'out', 'hw', 'filelist.f'), '--top-module', 'brainsmith_top'], { encoding: 'utf8' });
    assert.equal(lint.status, 0, lint.stderr);
    assert.equal(lint.stderr.trim(), '');
  }
});

test('--prefer hls --generate: a node whose backend generates nothing is one line naming it and the backend that would', { skip: skipNoShared }, () => {
  const dir = tempDir('bs-tfc-hls-');
  const c = runCli(['compile', shared('labs', 'tfc-w1a1.onnx'), '-o', 'out', '--board', 'Pynq-Z2', '--target-fps', '100000', '--prefer', 'hls', '--generate'], { cwd: dir, env: { HOME: path.join(dir, 'home') } });
  assert.equal(c.code, 1);
  const last = c.errLines.at(-1)!;
  assert.match(last, /^brainsmith: error: node '\w+_hls_0' \(\w+_hls\): backend brainsmith:\w+_hls does not generate hardware yet \(its rtl backend does: compile with --prefer rtl\)/);
});
