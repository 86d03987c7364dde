/**
 * FIFO sizing (issue 12): time of `--fifo-sizing model` on TFC-w1a1 (100k fps, all RTL) and on GTSRB with its
 * custom fold (target < 5 s), measured on the compiled model (the sizing alone, bindings included); and one
 * `--fifo-sizing sim` on TFC: three Verilator builds and simulations (as it came, deep, sized), cold cache.
 * Needs ../shared (and Verilator for the sim row); rows say why when they are missing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { resolveTarget } from '../src/estimate/boards.js';
import { confirmSizing, sizeFifosBySim } from '../src/fifo-sizing/sim-sizing.js';
import { sizeFifosByModel } from '../src/fifo-sizing/size.js';
import { generateHardware } from '../src/codegen/generate.js';
import { loadModel } from '../src/onnx/load.js';
import { saveModel } from '../src/onnx/save.js';
import { compile } from '../src/pipeline/compile.js';
import { openRegistry } from '../src/plugins/registry.js';
import { enableLifecycle } from '../src/plugins/runtime.js';
import { median, timeRuns, type Report } from './harness.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const labs = path.resolve(root, '..', 'shared', 'fixtures', 'labs');
const tfc = path.join(labs, 'tfc-w1a1.onnx');
const gtsrb = path.join(labs, 'gtsrb_12x12_w2a3_c12x24x36.onnx');
const gtsrbFold = path.join(labs, '12x12_w2a3_c12x24x36_custom_fold.json');

export async function run(report: Report): Promise<void> {
  if (!existsSync(tfc) || !existsSync(gtsrb)) {
    report({ suite: 'fifo', name: 'FIFO sizing fixtures missing', median: NaN, unit: 's', note: `needs ${labs}` });
    return;
  }
  const reg = await openRegistry({ cache: true });
  await enableLifecycle(reg);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bs-bench-fifo-'));
  const log = pino({ level: 'silent' });
  const target = resolveTarget({ board: 'Pynq-Z2' });
  try {
    await compile({ model: tfc, output: path.join(dir, 'tfc'), log, registry: reg, board: 'Pynq-Z2', clockNs: 10, targetFps: 100_000, prefer: 'rtl' });
    await compile({ model: gtsrb, output: path.join(dir, 'gtsrb'), log, registry: reg, board: 'Pynq-Z2', clockNs: 10, foldingConfig: gtsrbFold });
    for (const [name, file, prefer] of [['TFC-w1a1 100k fps', path.join(dir, 'tfc', 'model.onnx'), 'rtl'], ['GTSRB custom fold', path.join(dir, 'gtsrb', 'model.onnx'), undefined]] as const) {
      const runs = await timeRuns(async () => sizeFifosByModel(await loadModel(file), reg.hw, { target, clockNs: 10, prefer }), 5, 1);
      const r = await sizeFifosByModel(await loadModel(file), reg.hw, { target, clockNs: 10, prefer });
      const m = median(runs);
      report({
        suite: 'fifo', name: `--fifo-sizing model, ${name} (${r.fifos.length} FIFOs, ${r.frames} frames)`, median: m, unit: 'ms', samples: runs,
        ...(name.startsWith('GTSRB') ? { target: '< 5 s', ok: m < 5000 } : {}),
        note: `${r.total_fifo_bits.before} -> ${r.total_fifo_bits.after} FIFO bits; ${Math.round(r.throughput.deep['throughput[images/s]'])} fps predicted`,
      });
    }
    if (spawnSync('verilator', ['--version']).status !== 0) {
      report({ suite: 'fifo', name: 'Verilator missing: --fifo-sizing sim not measured', median: NaN, unit: 's' });
      return;
    }
    const cacheDir = path.join(dir, 'sim-cache');
    const model = await loadModel(path.join(dir, 'tfc', 'model.onnx'));
    const t0 = performance.now();
    const opts = { target, clockNs: 10, prefer: 'rtl' as const, cacheDir };
    const r = await sizeFifosBySim(model, reg, opts);
    const out = path.join(dir, 'tfc-sized');
    mkdirSync(out, { recursive: true });
    await saveModel(model, path.join(out, 'model.onnx'));
    await generateHardware(model, reg, path.join(out, 'hw'), { target, clockNs: 10, prefer: 'rtl' });
    await confirmSizing(r, out, reg, opts);
    const s = (performance.now() - t0) / 1000;
    report({ suite: 'fifo', name: '--fifo-sizing sim, TFC-w1a1 100k fps (3 Verilator builds, cold)', median: s, unit: 's', note: `${r.total_fifo_bits.before} -> ${r.total_fifo_bits.after} FIFO bits; after/deep ${r.ratio?.toFixed(3)}` });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
