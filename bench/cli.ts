import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, type Report } from './harness.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = path.join(root, 'bin', 'brainsmith.js');

function wallMs(args: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

/** `brainsmith --version` against bare `node -e 0`, interleaved so both see the same machine noise. */
export async function run(report: Report): Promise<void> {
  const n = 31;
  const bare: number[] = [];
  const version: number[] = [];
  const help: number[] = [];
  for (let i = 0; i < 3; i++) { wallMs(['-e', '0']); wallMs([bin, '--version']); }
  for (let i = 0; i < n; i++) {
    bare.push(wallMs(['-e', '0']));
    version.push(wallMs([bin, '--version']));
    help.push(wallMs([bin, '--help']));
  }
  const ratio = median(version) / median(bare);
  report({ suite: 'cli', name: 'node -e 0 (wall)', median: median(bare), unit: 'ms', samples: bare });
  report({ suite: 'cli', name: 'brainsmith --version (wall)', median: median(version), unit: 'ms', samples: version });
  report({ suite: 'cli', name: 'brainsmith --help (wall)', median: median(help), unit: 'ms', samples: help });
  report({ suite: 'cli', name: '--version / bare node', median: ratio, unit: 'x', target: '<= 1.3x', ok: ratio <= 1.3 });
}
