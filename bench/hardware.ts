/**
 * Hardware generation and simulation (issue 10): generation time of TFC-w1a1 (target < 1 s), the Verilator
 * build of its stitched design cold (nothing cached), cold with Verilator's runtime objects cached, and from
 * the cache; and the simulation of 1,000 TFC frames after the build (target < 2 s). Needs ../shared and
 * Verilator; rows say why when they are missing.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { generateHardware } from '../src/codegen/generate.js';
import { resolveTarget } from '../src/estimate/boards.js';
import { loadModel } from '../src/onnx/load.js';
import { compile } from '../src/pipeline/compile.js';
import { openRegistry } from '../src/plugins/registry.js';
import { enableLifecycle } from '../src/plugins/runtime.js';
import type { Model } from '../src/ir/model.js';
import type { Registry } from '../src/plugins/registry.js';
import { buildSimulation, runSimulation, topInterface } from '../src/sim/index.js';
import { median, timeRuns, type Report } from './harness.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const tfc = path.resolve(root, '..', 'shared', 'fixtures', 'labs', 'tfc-w1a1.onnx');
const FRAMES = 1000;

export async function run(report: Report): Promise<void> {
  if (!existsSync(tfc)) {
    report({ suite: 'hardware', name: 'TFC fixture missing', median: NaN, unit: 's', note: `needs ${tfc}` });
    return;
  }
  const reg = await openRegistry({ cache: true });
  await enableLifecycle(reg);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bs-bench-hw-'));
  try {
    const target = resolveTarget({ board: 'Pynq-Z2' });
    await compile({ model: tfc, output: path.join(dir, 'out'), log: pino({ level: 'silent' }), registry: reg, board: 'Pynq-Z2', clockNs: 10, targetFps: 100_000, prefer: 'rtl' });
    const model = await loadModel(path.join(dir, 'out', 'model.onnx'));
    let k = 0;
    const gen = await timeRuns(() => generateHardware(model, reg, path.join(dir, `hw${k++}`), { target, clockNs: 10, prefer: 'rtl' }), 7, 1);
    const g = median(gen);
    report({ suite: 'hardware', name: 'generate hw/ for TFC-w1a1 (17 nodes, stitched top)', median: g, unit: 'ms', samples: gen, target: '< 1 s', ok: g < 1000 });

    if (spawnSync('verilator', ['--version']).status !== 0) {
      report({ suite: 'hardware', name: 'Verilator missing: build and simulation not measured', median: NaN, unit: 's' });
      return;
    }
    const hw = path.join(dir, 'hw0');
    const { readDesign } = await import('../src/codegen/generate.js');
    const design = readDesign(hw);
    const sim = { sources: design.sources.map((f) => path.join(hw, f)), dut: topInterface(design.top, design.inputs.map((s) => s.width), design.outputs.map((s) => s.width)) };
    const cold = path.join(dir, 'cache-cold');
    const b0 = await buildSimulation(sim, { simulator: 'verilator', cacheDir: cold });
    report({ suite: 'hardware', name: 'Verilator build of TFC, cold (nothing cached)', median: b0.ms / 1000, unit: 's' });
    const warm = path.join(dir, 'cache-warm');
    for (const d of readdirSync(cold).filter((d) => d.startsWith('verilator-runtime-'))) cpSync(path.join(cold, d), path.join(warm, d), { recursive: true });
    const b1 = await buildSimulation(sim, { simulator: 'verilator', cacheDir: warm });
    report({ suite: 'hardware', name: 'Verilator build of TFC, Verilator runtime objects cached', median: b1.ms / 1000, unit: 's' });
    const cached = await timeRuns(() => buildSimulation(sim, { simulator: 'verilator', cacheDir: cold }), 5, 0);
    report({ suite: 'hardware', name: 'Verilator build of TFC, from the cache (content hash)', median: median(cached), unit: 'ms', samples: cached });

    // 1,000 frames of 784 UINT8 pixels, one pixel per word (Thresholding PE 1): any values are valid input.
    const wpf = design.inputs[0]!.wordsPerFrame!;
    let x = 12345;
    const words = Array.from({ length: FRAMES * wpf }, () => BigInt((x = (x * 1103515245 + 12345) >>> 0) >>> 24));
    const runs = await timeRuns(() => runSimulation(b0, { inputs: [words], expected: [FRAMES * design.outputs[0]!.wordsPerFrame!], cwd: hw }), 3, 0);
    const r = await runSimulation(b0, { inputs: [words], expected: [FRAMES], cwd: hw });
    const s = median(runs) / 1000;
    report({ suite: 'hardware', name: `simulate ${FRAMES} TFC frames (Verilator, after the build)`, median: s, unit: 's', samples: runs.map((m) => m / 1000), target: '< 2 s', ok: s < 2, note: `${Math.round(FRAMES / s)} frames/s, ${(r.totalCycles / s / 1e6).toFixed(2)} M cycles/s, ${r.totalCycles} cycles` });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
