/**
 * Synthesizes one module with Yosys, once per content hash: the key covers the Yosys build, the script and the
 * name and text of every file it reads (sources and memory files), so a second run of an unchanged node is a
 * cache read. The log of every run is kept beside the result.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BrainsmithError } from '../errors.js';
import { tail } from '../sim/process.js';
import type { XilinxFamily } from './family.js';
import { synthScript } from './script.js';
import { parseStatCells, resourcesOfCells, type SynthResources } from './stat.js';
import { runYosys, SCRIPT_FILE, type Yosys } from './yosys.js';

/** Bumped when the script or the counting rule changes in a way the key would not see. */
const SYNTH_VERSION = 1;

export interface SynthJob {
  /** Node name or "(top)", for messages. */
  name: string;
  /** The module to synthesize. */
  top: string;
  /** Verilog sources in compile order (absolute paths). */
  sources: readonly string[];
  /** `$readmemh` files the sources read (absolute paths). */
  memoryFiles: readonly string[];
  family: XilinxFamily;
  params?: Readonly<Record<string, number>>;
}

export interface SynthResult {
  name: string;
  resources: SynthResources;
  /** Cell counts by type from `stat`. */
  cells: Record<string, number>;
  cached: boolean;
  /** Synthesis time (of the run that filled the cache, when cached). */
  ms: number;
  hash: string;
}

export function defaultSynthCache(): string {
  const env = process.env.BRAINSMITH_SYNTH_CACHE;
  if (env) return path.resolve(env);
  const base = process.env.XDG_CACHE_HOME ? path.resolve(process.env.XDG_CACHE_HOME) : path.join(os.homedir(), '.cache');
  return path.join(base, 'brainsmith', 'synth');
}

function jobFiles(job: SynthJob): string[] {
  return [...job.sources, ...job.memoryFiles];
}

export function jobHash(y: Yosys, job: SynthJob, script: string): string {
  const h = createHash('sha256');
  h.update(`brainsmith-synth ${SYNTH_VERSION}\n${y.kind}\n${y.version}\n${script}`);
  for (const f of jobFiles(job)) {
    h.update(`\0${path.basename(f)}\0`);
    h.update(readFileSync(f));
  }
  return h.digest('hex').slice(0, 24);
}

export interface SynthModuleOptions {
  yosys: Yosys;
  cacheDir?: string;
  /** Where the log is kept as `<name>.log`. */
  logDir?: string;
}

function logName(name: string): string {
  return `${name.replace(/[^\w.-]+/g, '_')}.log`;
}

/** Synthesizes `job` (or reads it from the cache); an error naming the module and its log when Yosys fails. */
export async function synthesizeModule(job: SynthJob, opts: SynthModuleOptions): Promise<SynthResult & { log?: string }> {
  const missing = jobFiles(job).filter((f) => !existsSync(f));
  if (missing.length) throw new BrainsmithError('E_SYNTH_SOURCE', `${job.name}: file not found: ${missing[0]}`, { kind: 'input', file: missing[0] });
  const script = synthScript({ sources: job.sources.map((f) => path.basename(f)), top: job.top, family: job.family, params: job.params });
  const hash = jobHash(opts.yosys, job, script);
  const cache = opts.cacheDir ?? defaultSynthCache();
  const entry = path.join(cache, `${hash}.json`);
  const cachedLog = path.join(cache, `${hash}.log`);
  const keep = (from: string): string | undefined => {
    if (!opts.logDir || !existsSync(from)) return undefined;
    mkdirSync(opts.logDir, { recursive: true });
    const to = path.join(opts.logDir, logName(job.name));
    copyFileSync(from, to);
    return to;
  };
  if (existsSync(entry)) {
    try {
      const c = JSON.parse(readFileSync(entry, 'utf8')) as { cells: Record<string, number>; ms: number };
      return { name: job.name, resources: resourcesOfCells(c.cells), cells: c.cells, cached: true, ms: c.ms, hash, log: keep(cachedLog) };
    } catch {
      // An unreadable entry is synthesized again.
    }
  }
  const work = mkdtempSync(path.join(os.tmpdir(), 'brainsmith-synth-'));
  try {
    for (const f of jobFiles(job)) copyFileSync(f, path.join(work, path.basename(f)));
    writeFileSync(path.join(work, SCRIPT_FILE), script);
    const r = await runYosys(opts.yosys, work);
    const text = existsSync(r.log) ? readFileSync(r.log, 'utf8') : '';
    const cells = r.ok ? parseStatCells(text) : undefined;
    if (!cells) {
      // Yosys's own complaint ("ERROR: …"), else the runner's ("RangeError: …"), else the last lines.
      if (r.stderr.trim()) appendFileSync(r.log, `\n# stderr\n${r.stderr}`);
      const kept = keep(r.log);
      const errorLine = [...text.split('\n'), ...r.stderr.split('\n')].map((l) => l.trim()).find((l) => /^(ERROR|\w*Error)\b/.test(l));
      const why = errorLine ?? (tail(r.stderr, 2) || 'no statistics in its log');
      throw new BrainsmithError('E_SYNTH_FAILED', `synthesis of ${job.name} (module ${job.top}) failed: ${why}${kept ? ` (log: ${kept})` : ''}`, { kind: 'work', file: kept });
    }
    mkdirSync(cache, { recursive: true });
    const ms = Math.round(r.ms);
    const tmp = `${entry}.tmp-${process.pid}`;
    copyFileSync(r.log, `${cachedLog}.tmp-${process.pid}`);
    renameSync(`${cachedLog}.tmp-${process.pid}`, cachedLog);
    writeFileSync(tmp, JSON.stringify({ top: job.top, family: job.family, yosys: opts.yosys.version, cells, ms }));
    renameSync(tmp, entry);
    return { name: job.name, resources: resourcesOfCells(cells), cells, cached: false, ms, hash, log: keep(r.log) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
