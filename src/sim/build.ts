/**
 * Builds a simulation of a design (its HDL sources plus the generated testbench) once per content hash: the
 * executable lands in a cache folder keyed by the simulator, its version, the testbench and every source's
 * name and text, so a second run of the same design does not rebuild. Memory files (`$readmemh`) are read
 * when the simulation runs, from the folder it runs in, so they are not part of the key.
 */
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BrainsmithError } from '../errors.js';
import { runTool, tail } from './process.js';
import { chooseSimulator, type Simulator, type SimulatorKind } from './simulators.js';
import { axisTestbench, TB_MODULE, verilatorMain, type DutInterface } from './testbench.js';

/** Bumped when the testbench or the build commands change in a way the key would not see. */
const HARNESS_VERSION = 2;

export interface SimDesign {
  /** HDL sources in compile order (absolute paths). */
  sources: readonly string[];
  dut: DutInterface;
}

export interface BuildOptions {
  simulator?: SimulatorKind;
  /** Cache folder (default $BRAINSMITH_SIM_CACHE, else ~/.cache/brainsmith/sim). */
  cacheDir?: string;
  /** Progress lines ("building … with Verilator"). */
  progress?: (message: string) => void;
}

export interface SimBuild {
  simulator: Simulator;
  dut: DutInterface;
  /** The cache entry holding the executable. */
  dir: string;
  /** The command that runs the simulation, before the plusargs. */
  command: string;
  args: string[];
  hash: string;
  /** True when the build came from the cache. */
  cached: boolean;
  /** Build time (0 when cached). */
  ms: number;
}

export function defaultSimCache(): string {
  const env = process.env.BRAINSMITH_SIM_CACHE;
  if (env) return path.resolve(env);
  const base = process.env.XDG_CACHE_HOME ? path.resolve(process.env.XDG_CACHE_HOME) : path.join(os.homedir(), '.cache');
  return path.join(base, 'brainsmith', 'sim');
}

function designHash(sim: Simulator, tb: string, sources: readonly string[]): string {
  const h = createHash('sha256');
  h.update(`brainsmith-sim ${HARNESS_VERSION}\n${sim.kind}\n${sim.version}\n`);
  h.update(tb);
  for (const f of sources) {
    h.update(`\0${path.basename(f)}\0`);
    h.update(readFileSync(f));
  }
  return h.digest('hex').slice(0, 24);
}

function executableOf(sim: Simulator, dir: string): { command: string; args: string[] } {
  return sim.kind === 'verilator' ? { command: path.join(dir, 'Vsim'), args: [] } : { command: 'vvp', args: ['-n', path.join(dir, 'sim.vvp')] };
}

function missingSources(sources: readonly string[]): void {
  const missing = sources.filter((f) => !existsSync(f));
  if (missing.length) throw new BrainsmithError('E_SIM_SOURCE', `HDL source not found: ${missing[0]}${missing.length > 1 ? ` (and ${missing.length - 1} more)` : ''}`, { kind: 'input', file: missing[0] });
}

/** Verilator's own runtime objects, the same for every design: compiled once and reused (a third of a cold build). */
const RUNTIME_OBJECTS = ['verilated.o', 'verilated.d', 'verilated_threads.o', 'verilated_threads.d'];

function runtimeDir(cache: string, sim: Simulator): string {
  return path.join(cache, `verilator-runtime-${createHash('sha256').update(`${HARNESS_VERSION}\n${sim.version}\n${VERILATOR_CFLAGS}`).digest('hex').slice(0, 16)}`);
}

const VERILATOR_CFLAGS = '-O2';

async function compileVerilator(work: string, sources: readonly string[], tbFile: string, mainFile: string, runtime: string): Promise<void> {
  const obj = path.join(work, 'obj');
  // One thread (on a small machine --threads 2 was 200x slower), C++ at -O2. -Wno-fatal: lint is checked apart.
  const args = [
    '--cc', '--exe',
    '--top-module', TB_MODULE, '-Mdir', obj, '-o', 'Vsim',
    '--x-assign', 'fast', '--x-initial', 'fast', '--noassert',
    '-Wno-fatal', '-Wno-lint', '-Wno-style', '-Wno-TIMESCALEMOD', '-Wno-STMTDLY',
    '-CFLAGS', VERILATOR_CFLAGS,
    ...sources, tbFile, mainFile,
  ];
  const v = await runTool('verilator', args, { cwd: work });
  if (v.code !== 0) throw buildError('Verilator could not translate the design', v.stderr + v.stdout);
  const reuse = RUNTIME_OBJECTS.every((f) => existsSync(path.join(runtime, f)));
  // Copies get a fresh modification time, so make takes them as up to date.
  if (reuse) for (const f of RUNTIME_OBJECTS) copyFileSync(path.join(runtime, f), path.join(obj, f));
  const m = await runTool('make', ['-j', '1', '-C', obj, '-f', `V${TB_MODULE}.mk`, 'Vsim'], { cwd: work });
  if (m.code !== 0 || !existsSync(path.join(obj, 'Vsim'))) throw buildError('the C++ build of the Verilator model failed', m.stderr + m.stdout);
  if (!reuse) saveRuntime(obj, runtime);
  renameSync(path.join(obj, 'Vsim'), path.join(work, 'Vsim'));
  rmSync(obj, { recursive: true, force: true });
}

function saveRuntime(obj: string, runtime: string): void {
  const tmp = `${runtime}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    mkdirSync(tmp, { recursive: true });
    for (const f of RUNTIME_OBJECTS) copyFileSync(path.join(obj, f), path.join(tmp, f));
    renameSync(tmp, runtime);
  } catch {
    // Another build saved it first, or the objects are named differently in this Verilator: no reuse.
    rmSync(tmp, { recursive: true, force: true });
  }
}

function buildError(what: string, output: string): BrainsmithError {
  return new BrainsmithError('E_SIM_BUILD', `${what}: ${tail(errorLines(output) || output)}`, { kind: 'work' });
}

async function compileIcarus(work: string, sources: readonly string[], tbFile: string): Promise<void> {
  const r = await runTool('iverilog', ['-g2012', '-o', path.join(work, 'sim.vvp'), '-s', TB_MODULE, ...sources, tbFile], { cwd: work });
  if (r.code !== 0) throw buildError('Icarus Verilog could not compile the design', r.stderr + r.stdout);
}

function errorLines(text: string): string {
  return text.split('\n').filter((l) => /error/i.test(l)).slice(0, 3).join('\n');
}

/** Builds (or finds in the cache) the simulation of `design`. */
export async function buildSimulation(design: SimDesign, opts: BuildOptions = {}): Promise<SimBuild> {
  const sim = await chooseSimulator(opts.simulator);
  missingSources(design.sources);
  const tb = axisTestbench(design.dut);
  const hash = designHash(sim, tb, design.sources);
  const cache = opts.cacheDir ?? defaultSimCache();
  const dir = path.join(cache, `${hash}-${sim.kind}`);
  const exe = executableOf(sim, dir);
  const base = { simulator: sim, dut: design.dut, dir, hash, ...exe };
  if (existsSync(path.join(dir, 'build.json'))) return { ...base, cached: true, ms: 0 };

  const t0 = performance.now();
  opts.progress?.(`building the simulation of ${design.dut.module} with ${sim.kind === 'verilator' ? 'Verilator' : 'Icarus Verilog'} (${design.sources.length} source${design.sources.length === 1 ? '' : 's'})`);
  mkdirSync(cache, { recursive: true });
  // Built in a folder of its own and renamed into place: a cache entry is complete or absent.
  const work = path.join(cache, `.tmp-${hash}-${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(work, { recursive: true });
  try {
    const tbFile = path.join(work, `${TB_MODULE}.v`);
    writeFileSync(tbFile, tb);
    if (sim.kind === 'verilator') {
      const mainFile = path.join(work, 'main.cpp');
      writeFileSync(mainFile, verilatorMain());
      await compileVerilator(work, design.sources, tbFile, mainFile, runtimeDir(cache, sim));
    } else {
      await compileIcarus(work, design.sources, tbFile);
    }
    const ms = performance.now() - t0;
    writeFileSync(path.join(work, 'build.json'), `${JSON.stringify({ simulator: sim, top: design.dut.module, sources: design.sources.map((f) => path.basename(f)), ms: Math.round(ms), built: new Date().toISOString() }, null, 2)}\n`);
    try {
      renameSync(work, dir);
    } catch (e) {
      // Another process built the same design meanwhile: use its entry.
      if (!existsSync(path.join(dir, 'build.json'))) throw e;
      rmSync(work, { recursive: true, force: true });
    }
    return { ...base, cached: false, ms };
  } catch (e) {
    rmSync(work, { recursive: true, force: true });
    throw e;
  }
}
