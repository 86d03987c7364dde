/**
 * `npm run bench`: runs every benchmark suite in one process, prints a table and writes
 * bench/results/latest.json. Name suites on the command line to run only those: `npm run bench -- io cli`.
 * `synth` (Yosys on the estimate fit table: minutes per MVAU when not cached) runs only when named.
 */
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRecord } from './harness.js';

const SUITES = ['cli', 'whole-process', 'io', 'ir', 'plugins', 'exec', 'pipeline', 'estimate', 'compile', 'folding', 'hardware', 'fifo-sizing', 'synth'];
const ONLY_WHEN_NAMED = new Set(['synth']);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');

function fmt(r: BenchRecord): string {
  const v = r.median >= 100 ? r.median.toFixed(0) : r.median >= 1 ? r.median.toFixed(2) : r.median.toPrecision(3);
  const target = r.target ? `  target ${r.target}: ${r.ok ? 'met' : 'NOT met'}` : '';
  return `${r.suite.padEnd(8)} ${r.name.padEnd(58)} ${v.padStart(10)} ${r.unit}${target}${r.note ? `  (${r.note})` : ''}`;
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const records: BenchRecord[] = [];
  const report = (r: BenchRecord): void => {
    records.push(r);
    process.stdout.write(`${fmt(r)}\n`);
  };
  process.stdout.write(`brainsmith benchmarks on ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}; medians, noisy machine\n`);
  for (const suite of SUITES) {
    if (wanted.length ? !wanted.includes(suite) : ONLY_WHEN_NAMED.has(suite)) continue;
    const file = path.join(here, `${suite}.js`);
    if (!existsSync(file)) continue;
    const mod = (await import(file)) as { run: (r: typeof report) => Promise<void> };
    const t0 = Date.now();
    await mod.run(report);
    process.stdout.write(`-- ${suite} took ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  const outDir = path.join(root, 'bench', 'results');
  mkdirSync(outDir, { recursive: true });
  const out = {
    date: new Date().toISOString(),
    machine: { cores: os.cpus().length, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    records: records.map(({ samples, ...r }) => ({ ...r, samples: samples?.map((s) => Number(s.toPrecision(4))) })),
  };
  writeFileSync(path.join(outDir, 'latest.json'), `${JSON.stringify(out, null, 2)}\n`);
  process.stdout.write(`wrote bench/results/latest.json\n`);
  const missed = records.filter((r) => r.ok === false);
  if (missed.length) process.stdout.write(`${missed.length} target(s) not met: ${missed.map((r) => r.name).join('; ')}\n`);
}

await main();
