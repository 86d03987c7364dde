/**
 * Plugin discovery: `brainsmith transforms list` with 1,000 generated plugin files in a project, cold
 * (no metadata cache) and warm, next to the same command in a project without plugins; and lookup by
 * name in the registry.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, type Report } from './harness.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = process.env.BRAINSMITH_BENCH_CLI ?? path.join(root, 'bin', 'brainsmith.js');
const N_FILES = 1000;
const STAGES = ['cleanup', 'topology', 'kernel_mapping', 'optimization'];

function generate(dir: string): void {
  const plugins = path.join(dir, 'brainsmith_plugins');
  mkdirSync(plugins, { recursive: true });
  for (let i = 0; i < N_FILES; i++) {
    writeFileSync(
      path.join(plugins, `gen_${i}.ts`),
      `import { defineTransform } from 'brainsmith';\n\ninterface Opts { level: number }\n\nexport default defineTransform({\n  name: 'Generated${i}',\n  stage: '${STAGES[i % 4]}',\n  description: 'generated transform ${i}',\n  apply(model, ctx): boolean {\n    const o = ctx.options as unknown as Opts;\n    return o.level > ${i};\n  },\n});\n`,
    );
  }
}

const TIME = '/usr/bin/time';
const hasTime = existsSync(TIME);
/** CPU seconds (user + sys) of the last child, when /usr/bin/time is there: a figure the load of other jobs on the machine inflates less than wall time. */
let lastCpuMs = NaN;

function wallMs(cwd: string, home: string): number {
  const t0 = process.hrtime.bigint();
  const argv = hasTime ? [TIME, '-f', 'BSCPU %U %S', process.execPath, bin, 'transforms', 'list'] : [process.execPath, bin, 'transforms', 'list'];
  const r = spawnSync(argv[0]!, argv.slice(1), { cwd, env: { ...process.env, HOME: home, BRAINSMITH_PLUGIN_PATH: '' }, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`transforms list exited ${r.status}: ${r.stderr}`);
  const m = /BSCPU ([\d.]+) ([\d.]+)/.exec(r.stderr);
  lastCpuMs = m ? (Number(m[1]) + Number(m[2])) * 1000 : NaN;
  return ms;
}

/** openRegistry alone, cold, in a fresh process: through tsx hooks or through the esbuild batch. */
function openCold(dir: string, home: string, mode: 'tsx' | 'esbuild'): { ms: number; cpuMs: number } {
  const script = path.join(root, 'dist', 'bench', 'plugins-open.js');
  const r = spawnSync(process.execPath, [script, dir, home, mode], { encoding: 'utf8', env: { ...process.env, BRAINSMITH_PLUGIN_PATH: '' } });
  if (r.status !== 0) throw new Error(`plugins-open ${mode} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as { ms: number; cpuMs: number };
}

export async function run(report: Report): Promise<void> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'bs-bench-plugins-'));
  const home = path.join(tmp, 'home');
  const empty = path.join(tmp, 'empty');
  const big = path.join(tmp, 'big');
  mkdirSync(home, { recursive: true });
  mkdirSync(empty, { recursive: true });
  generate(big);
  const cache = path.join(big, '.brainsmith');
  try {
    const bare: number[] = [];
    const cold: number[] = [];
    const first: number[] = [];
    const warm: number[] = [];
    const bareCpu: number[] = [];
    const coldCpu: number[] = [];
    const warmCpu: number[] = [];
    const loads: number[] = [];
    wallMs(empty, home); // built-ins into the user cache
    for (let i = 0; i < 5; i++) {
      loads.push(os.loadavg()[0]!);
      rmSync(cache, { recursive: true, force: true }); // metadata and transpiled code: truly cold
      cold.push(wallMs(big, home));
      coldCpu.push(lastCpuMs);
      // The very first run of this install: no user cache either, so the built-ins are imported too.
      rmSync(cache, { recursive: true, force: true });
      rmSync(path.join(home, '.brainsmith'), { recursive: true, force: true });
      first.push(wallMs(big, home));
      for (let j = 0; j < 3; j++) {
        bare.push(wallMs(empty, home));
        bareCpu.push(lastCpuMs);
        warm.push(wallMs(big, home));
        warmCpu.push(lastCpuMs);
      }
    }
    const ratio = median(warm) / median(bare);
    const load = `load average ${median(loads).toFixed(1)} on ${os.cpus().length} cores`;
    report({ suite: 'plugins', name: 'transforms list, no project plugins (wall)', median: median(bare), unit: 'ms', samples: bare });
    report({ suite: 'plugins', name: `transforms list, ${N_FILES} plugin files, cold (wall)`, median: median(cold), unit: 'ms', samples: cold, target: '<= 2000 ms', ok: median(cold) <= 2000, note: `no project cache (built-ins' metadata in the user cache); ${load}` });
    report({ suite: 'plugins', name: `transforms list, ${N_FILES} plugin files, first run (wall)`, median: median(first), unit: 'ms', samples: first, target: '<= 2000 ms', ok: median(first) <= 2000, note: 'no project or user cache: the built-ins are imported too' });
    report({ suite: 'plugins', name: `transforms list, ${N_FILES} plugin files, warm (wall)`, median: median(warm), unit: 'ms', samples: warm });
    report({ suite: 'plugins', name: 'warm / no plugins', median: ratio, unit: 'x', target: '<= 1.5x', ok: ratio <= 1.5 });
    if (hasTime) {
      report({ suite: 'plugins', name: 'transforms list, no project plugins (CPU user+sys)', median: median(bareCpu), unit: 'ms', samples: bareCpu });
      report({ suite: 'plugins', name: `transforms list, ${N_FILES} plugin files, cold (CPU user+sys)`, median: median(coldCpu), unit: 'ms', samples: coldCpu, note: 'node process only; esbuild runs in its own' });
      report({ suite: 'plugins', name: `transforms list, ${N_FILES} plugin files, warm (CPU user+sys)`, median: median(warmCpu), unit: 'ms', samples: warmCpu });
    }
    // Side by side, alternating: the registry's cold open through tsx hooks vs through the esbuild batch.
    const viaTsx: number[] = [];
    const viaEsbuild: number[] = [];
    const cpuTsx: number[] = [];
    const cpuEsbuild: number[] = [];
    for (let i = 0; i < 3; i++) {
      const a = openCold(big, home, 'tsx');
      const b = openCold(big, home, 'esbuild');
      viaTsx.push(a.ms);
      cpuTsx.push(a.cpuMs);
      viaEsbuild.push(b.ms);
      cpuEsbuild.push(b.cpuMs);
    }
    report({ suite: 'plugins', name: `openRegistry cold, ${N_FILES} files, via tsx hooks (wall)`, median: median(viaTsx), unit: 'ms', samples: viaTsx, note: `CPU ${median(cpuTsx).toFixed(0)} ms; tsx's own transform cache warm` });
    report({ suite: 'plugins', name: `openRegistry cold, ${N_FILES} files, esbuild batch (wall)`, median: median(viaEsbuild), unit: 'ms', samples: viaEsbuild, note: `CPU ${median(cpuEsbuild).toFixed(0)} ms` });
    report({ suite: 'plugins', name: 'esbuild batch / tsx hooks (cold open)', median: median(viaEsbuild) / median(viaTsx), unit: 'x' });

    const { openRegistry } = (await import(path.join(root, 'dist', 'src', 'host.js'))) as typeof import('../src/host.js');
    const reg = await openRegistry({ projectDir: big, home, pluginPath: '' });
    const names = Array.from({ length: 1000 }, (_, i) => `Generated${(i * 7919) % N_FILES}`);
    const perLookup: number[] = [];
    let sink = 0;
    for (let rep = 0; rep < 200; rep++) {
      const t0 = process.hrtime.bigint();
      for (const n of names) sink += reg.transforms.get(n).name.length;
      perLookup.push(Number(process.hrtime.bigint() - t0) / names.length);
    }
    const viaProp: number[] = [];
    for (let rep = 0; rep < 200; rep++) {
      const t0 = process.hrtime.bigint();
      for (const n of names) sink += (reg.transforms[n] as { name: string }).name.length;
      viaProp.push(Number(process.hrtime.bigint() - t0) / names.length);
    }
    if (sink === 0) throw new Error('lookups returned nothing');
    report({ suite: 'plugins', name: 'reg.transforms.get(name)', median: median(perLookup), unit: 'ns', target: '< 1000 ns', ok: median(perLookup) < 1000 });
    report({ suite: 'plugins', name: 'reg.transforms[name] (proxy)', median: median(viaProp), unit: 'ns', target: '< 1000 ns', ok: median(viaProp) < 1000 });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
