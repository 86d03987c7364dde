/**
 * The whole compile to estimates (default blueprint: cleanup, topology, kernel mapping, folding to a target,
 * estimate reports, build folder written) of TFC and GTSRB, in process with an open registry (after
 * start-up), no verification. Target (issue 5): <= 0.3 s each; FINN's log for these steps shows 1-2 s.
 * Also the same with --verify, for information.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { openRegistry } from '../src/plugins/registry.js';
import { enableLifecycle } from '../src/plugins/runtime.js';
import { compile, type CompileOptions } from '../src/pipeline/compile.js';
import { median, timeRuns, type Report } from './harness.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const labs = path.resolve(root, '..', 'shared', 'fixtures', 'labs');

const CASES: Array<{ name: string; file: string; flags: Partial<CompileOptions> }> = [
  { name: 'TFC-w1a1 (Pynq-Z2, 100k fps)', file: 'tfc-w1a1.onnx', flags: { board: 'Pynq-Z2', clockNs: 10, targetFps: 100_000 } },
  { name: 'GTSRB 12x12 w2a3 (800k fps)', file: 'gtsrb_12x12_w2a3_c12x24x36.onnx', flags: { targetFps: 800_000 } },
];
const RUNS = 7;

export async function run(report: Report): Promise<void> {
  const reg = await openRegistry({ cache: true });
  enableLifecycle(reg);
  const log = pino({ level: 'silent' });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bs-bench-compile-'));
  try {
    for (const c of CASES) {
      const model = path.join(labs, c.file);
      if (!existsSync(model)) {
        report({ suite: 'compile', name: `${c.name}: fixture missing`, median: NaN, unit: 's', note: `needs ${model}` });
        continue;
      }
      const once = (verify: boolean) => () => compile({ model, output: path.join(dir, 'out'), log, registry: reg, force: true, verify, ...c.flags });
      // The first run imports every transform and kernel module (start-up, not measured).
      const samples = (await timeRuns(once(false), RUNS, 1)).map((ms) => ms / 1000);
      const m = median(samples);
      report({ suite: 'compile', name: `compile to estimates, ${c.name}`, median: m, unit: 's', samples, target: '<= 0.3 s', ok: m <= 0.3 });
      const verified = (await timeRuns(once(true), 3, 0)).map((ms) => ms / 1000);
      report({ suite: 'compile', name: `compile to estimates with --verify, ${c.name}`, median: median(verified), unit: 's', samples: verified });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
