/**
 * Issue 10 acceptance on the MLPs: each model compiled with `--prefer rtl --generate` at Pynq-Z2, 10 ns,
 * 100k fps (TFC-w1a1 also with FINN's five custom folding configs), then simulated bit-exactly against the
 * reference executor on random frames, again under 30% random stalls, on the golden pair where one exists,
 * and the stitched design linted with `verilator -Wall`. Verilator builds go to a sim cache shared between
 * runs ($BRAINSMITH_SIM_CACHE, else one folder in the temp dir), so only the first run pays for them. The
 * custom folding configs make very parallel designs (an MVAU of 32 × 112 XNOR lanes) that Verilator needs
 * minutes to build but that run few cycles (14–56 per frame): those simulate in Icarus, which compiles them
 * in seconds.
 * The yosys synth_xilinx runs of these designs take minutes each; docs/HARDWARE.md lists them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { cliPath, hasShared, shared } from '../helpers/paths.js';
import { hasVerilator } from '../helpers/sim.js';
import { tempDir } from '../helpers/tmp.js';

const skip: string | false = !hasShared ? 'needs ../shared/fixtures beside the repository (absent here)' : !hasVerilator ? 'needs Verilator (apt-get install verilator)' : false;
const simCache = process.env.BRAINSMITH_SIM_CACHE ?? path.join(os.tmpdir(), 'brainsmith-sim-cache-acceptance');

interface Run { code: number | null; stdout: string; stderr: string }

function cli(args: string[], cwd: string): Run {
  const r = spawnSync(process.execPath, [cliPath, ...args], {
    cwd, encoding: 'utf8', timeout: 900_000, maxBuffer: 64 << 20,
    env: { ...process.env, HOME: path.join(cwd, 'home'), BRAINSMITH_SIM_CACHE: simCache },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface SimJson {
  ok: boolean; frames: number;
  reference: { ok: boolean; message: string };
  expected?: { ok: boolean };
  performance: { cycles: number; latency_cycles: number; N: number };
}

function sim(dir: string, simulator: string, args: string[]): SimJson {
  const s = cli(['sim', 'out', '--simulator', simulator, '--json', ...args], dir);
  assert.equal(s.code, 0, s.stderr.split('\n').filter((l) => l.trim()).slice(-3).join('\n'));
  const r = JSON.parse(s.stdout) as SimJson;
  assert.equal(r.reference.ok, true, r.reference.message);
  return r;
}

interface Model {
  name: string; model: string[]; args?: (dir: string) => string[]; golden?: [string, string];
  /** Estimated cycles per frame (the slowest node's). */
  estimate: number;
  simulator?: 'icarus';
}

const MODELS: Model[] = [
  { name: 'tfc-w1a1-flattened', model: ['labs', 'tfc-w1a1-flattened.onnx'], estimate: 896 },
  ...[0, 1, 2, 3, 4].map((n): Model => ({ name: `tfc-w1a1-flattened custom_${n}`, model: ['labs', 'tfc-w1a1-flattened.onnx'], // FINN's files key the MVAU/LabelSelect entries `…_hls_N`: they configure the `…_rtl_N` nodes.
    args: () => ['--folding-config', shared('labs', `custom_${n}_folding_config.json`)], estimate: n < 2 ? 784 / (14 * (n + 1)) : 14, simulator: 'icarus' })),
  { name: 'TFC_2W2A', model: ['qonnx-zoo', 'TFC_2W2A.onnx'], estimate: 784 },
  { name: 'unsw_nb15-mlp-w2a2', model: ['qonnx-zoo', 'unsw_nb15-mlp-w2a2.onnx'], estimate: 640 },
  // The model ends in class scores; --insert-topk makes the label the golden file holds (in hardware).
  { name: 'kwsmlp_w3a3', model: ['qonnx-zoo', 'kwsmlp_w3a3.onnx'], args: () => ['--insert-topk'], golden: [shared('kws', 'input.npy'), shared('kws', 'expected_output.npy')], estimate: 784 },
];

for (const m of MODELS) {
  const simulator = m.simulator ?? 'verilator';
  test(`${m.name}: --prefer rtl --generate, bit-exact in ${simulator} on random frames and under stalls, lint-clean`, { skip }, () => {
    const dir = tempDir('bs-mlp-rtl-');
    const c = cli(['compile', shared(...m.model), '-o', 'out', '--board', 'Pynq-Z2', '--clock-ns', '10', '--target-fps', '100000', '--prefer', 'rtl', '--generate', '--json', ...(m.args?.(dir) ?? [])], dir);
    assert.equal(c.code, 0, c.stderr);
    const summary = JSON.parse(c.stdout) as { opTypes: Record<string, number>; estimate: { performance: { max_cycles: number } } };
    assert.ok(Object.keys(summary.opTypes).every((k) => !k.includes('.hls:')), JSON.stringify(summary.opTypes));
    assert.equal(summary.estimate.performance.max_cycles, m.estimate);

    // Icarus runs the wide designs at a few hundred cycles per second: fewer frames there.
    const frames = simulator === 'icarus' ? '4' : '8';
    const random = sim(dir, simulator, ['--frames', frames]);
    assert.equal(random.frames, Number(frames));
    // Steady state: one frame per estimated bottleneck interval once the pipeline is full.
    const p = random.performance;
    const interval = (p.cycles - p.latency_cycles) / (p.N - 1);
    assert.ok(interval <= m.estimate * 1.05 + 2, `${interval} cycles per frame in steady state, estimate ${m.estimate}`);
    sim(dir, simulator, ['--frames', frames, '--stall', '0.3', '--seed', '5']);
    if (m.golden) {
      const g = sim(dir, simulator, ['--input', m.golden[0], '--expected', m.golden[1]]);
      assert.equal(g.expected?.ok, true);
    }
    const lint = spawnSync('verilator', ['--lint-only', '-Wall', '-f', path.join(dir, 'out', 'hw', 'filelist.f'), '--top-module', 'brainsmith_top'], { encoding: 'utf8' });
    assert.equal(lint.status, 0, lint.stderr);
    assert.equal(lint.stderr.trim(), '');
  });
}
