/**
 * Child process of bench/plugins.ts: opens the registry of a project once, cold, and prints the wall and
 * CPU time of `openRegistry` as JSON. `tsx` imports every plugin file through tsx's loader hooks (what
 * `plugins check` does, with the cache off); `esbuild` uses the cache, so cold files are transpiled in
 * one batch and imported without hooks.
 */
import { rmSync } from 'node:fs';
import * as path from 'node:path';
import { openRegistry } from '../src/host.js';

const [projectDir, home, mode] = process.argv.slice(2) as [string, string, 'tsx' | 'esbuild'];
rmSync(path.join(projectDir, '.brainsmith'), { recursive: true, force: true });
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const reg = await openRegistry({ projectDir, home, pluginPath: '', cache: mode === 'esbuild' });
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
process.stdout.write(`${JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, imported: reg.stats.imported })}\n`);
