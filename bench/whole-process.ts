/**
 * Whole-process times of the commands people run most, each against bare `node -e 0` measured interleaved
 * in the same run (the ratio holds on a busy machine where absolute times do not). Warm: a first untimed
 * run of each fills the plugin metadata cache and the bundle's code cache, as any second use would.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, type Report } from './harness.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = path.join(root, 'bin', 'brainsmith.js');
const labs = path.resolve(root, '..', 'shared', 'fixtures', 'labs');

function wallMs(args: string[], env?: NodeJS.ProcessEnv): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

export async function run(report: Report): Promise<void> {
  const out = mkdtempSync(path.join(os.tmpdir(), 'bs-bench-proc-'));
  const tfc = path.join(labs, 'tfc-w1a1.onnx');
  const gtsrb = path.join(labs, 'gtsrb_12x12_w2a3_c12x24x36.onnx');
  const model = existsSync(tfc) ? tfc : path.join(root, 'fixtures', 'tfc-mlp-w2a2.onnx');
  const tfcArgs = ['compile', model, '-o', path.join(out, 'tfc'), '--board', 'Pynq-Z2', '--clock-ns', '10', '--target-fps', '100000'];
  const cases: { name: string; args: string[]; target?: boolean; env?: NodeJS.ProcessEnv }[] = [
    { name: `compile ${path.basename(model)}`, args: tfcArgs, target: true },
    // The same from the modules in dist/src (no bundle, no code cache): what the bundle saves, measured alike.
    { name: `compile ${path.basename(model)} unbundled`, args: tfcArgs, env: { BRAINSMITH_NO_BUNDLE: '1' } },
    ...(existsSync(gtsrb) ? [{ name: 'compile gtsrb_12x12', args: ['compile', gtsrb, '-o', path.join(out, 'gtsrb'), '--board', 'Pynq-Z2', '--clock-ns', '10', '--target-fps', '100000'] }] : []),
    { name: `inspect ${path.basename(model)}`, args: ['inspect', model] },
    { name: 'transforms list', args: ['transforms', 'list'] },
  ];
  const n = 11;
  try {
    for (const c of cases) wallMs([bin, ...c.args], c.env);
    const bare: number[] = [];
    const times = cases.map(() => [] as number[]);
    for (let i = 0; i < n; i++) {
      bare.push(wallMs(['-e', '0']));
      cases.forEach((c, j) => times[j]!.push(wallMs([bin, ...c.args], c.env)));
    }
    const base = median(bare);
    report({ suite: 'process', name: 'node -e 0 (wall)', median: base, unit: 'ms', samples: bare });
    cases.forEach((c, j) => {
      const m = median(times[j]!);
      report({ suite: 'process', name: `${c.name} (wall)`, median: m, unit: 'ms', samples: times[j], ...(c.target ? { target: '<= 300 ms', ok: m <= 300 } : {}) });
      report({ suite: 'process', name: `${c.name} / node -e 0`, median: m / base, unit: 'x', ...(c.target ? { target: '<= 4x', ok: m / base <= 4 } : {}) });
    });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
