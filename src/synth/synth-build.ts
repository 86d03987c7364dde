/**
 * `brainsmith synth` without the CLI: synthesizes every node module of a build folder's hw/ and the stitched
 * top with Yosys (`synth_xilinx` for the part's family), nodes in parallel up to `jobs`, each once per content
 * hash; writes FINN's report/post_synth_resources.json (per node and "(top)") and sets the numbers beside the
 * compile's estimates and each backend's synthEstimate (what it predicts Yosys makes of its RTL).
 */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readDesign } from '../codegen/generate.js';
import { isHdlSource, type HwDesign } from '../codegen/design.js';
import { BrainsmithError, errorMessage } from '../errors.js';
import { resolveTarget } from '../estimate/boards.js';
import { writeReportFile } from '../estimate/reports.js';
import { loadModel } from '../onnx/load.js';
import type { ResourceEstimate } from '../plugins/types.js';
import type { Registry } from '../plugins/registry.js';
import { familyOfPart, type XilinxFamily } from './family.js';
import { synthesizeModule, type SynthJob, type SynthResult } from './module.js';
import { addResources, emptyResources, SYNTH_KEYS, type SynthResources } from './stat.js';
import { chooseYosys, type YosysKind } from './yosys.js';

export const POST_SYNTH_REPORT = 'post_synth_resources.json';
export const TOP_KEY = '(top)';

export interface SynthesizeBuildOptions {
  dir: string;
  /** Parallel Yosys runs (default: the number of cores). */
  jobs?: number;
  /** Native or WebAssembly Yosys (default: native when on PATH). */
  yosys?: YosysKind;
  cacheDir?: string;
  /** For each backend's synthEstimate (skipped without one). */
  registry?: Registry;
  progress?: (text: string) => void;
}

export interface ModuleSynthesis {
  name: string;
  kernel?: string;
  backend?: string;
  resources: SynthResources;
  /** The compile's estimate (report/estimate_layer_resources.json or estimate_stream_infrastructure.json). */
  estimate?: ResourceEstimate;
  /** What the backend predicts Yosys makes of its RTL (its synthEstimate, else its estimate). */
  synthEstimate?: ResourceEstimate;
  /** Where synthEstimate came from. */
  synthEstimateFrom?: 'synthEstimate' | 'estimate';
  cached: boolean;
  ms: number;
  log?: string;
}

export interface SynthesizeBuildReport {
  ok: true;
  dir: string;
  part: string;
  family: XilinxFamily;
  familyNote?: string;
  yosys: { kind: YosysKind; version: string };
  jobs: number;
  nodes: ModuleSynthesis[];
  top: ModuleSynthesis;
  /** Sum over the nodes (the top also holds its stitching). */
  nodeTotal: SynthResources;
  report: string;
  warnings: string[];
  ms: number;
}

function readJson(file: string): Record<string, Record<string, number>> | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, number>>;
  } catch {
    return undefined;
  }
}

/** The compile's per-node estimates: FINN's layer report plus the stream infrastructure (FIFOs, DWCs). */
function compileEstimates(dir: string): Map<string, ResourceEstimate> {
  const out = new Map<string, ResourceEstimate>();
  for (const f of ['estimate_layer_resources.json', 'estimate_stream_infrastructure.json']) {
    for (const [k, v] of Object.entries(readJson(path.join(dir, 'report', f)) ?? {})) if (k !== 'total' && v && typeof v === 'object') out.set(k, v);
  }
  return out;
}

function sumEstimates(list: ReadonlyArray<ResourceEstimate | undefined>): ResourceEstimate | undefined {
  if (list.some((e) => e === undefined)) return undefined;
  const out: ResourceEstimate = {};
  for (const e of list) for (const k of SYNTH_KEYS) if (typeof e![k] === 'number') out[k] = (out[k] ?? 0) + e![k]!;
  return out;
}

/** Each backend's prediction of synthesis, by node name (model.onnx bound through the registry). */
async function synthEstimates(dir: string, design: HwDesign, reg: Registry, warnings: string[]): Promise<Map<string, { est: ResourceEstimate; from: 'synthEstimate' | 'estimate'; kernel: string; backend?: string }>> {
  const out = new Map<string, { est: ResourceEstimate; from: 'synthEstimate' | 'estimate'; kernel: string; backend?: string }>();
  const modelFile = path.join(dir, 'model.onnx');
  if (!existsSync(modelFile)) {
    warnings.push(`${modelFile} is missing: no synthEstimate to compare with`);
    return out;
  }
  const model = await loadModel(modelFile);
  // Each node bound to the language it was generated in (the design's), not the default rule's choice.
  const byName: Record<string, 'hls' | 'rtl'> = {};
  for (const n of design.nodes) if (n.language === 'hls' || n.language === 'rtl') byName[n.name] = n.language;
  const { nodes } = await reg.hw.nodes(model, { target: resolveTarget({ part: design.part }), skipUnknown: true, preferences: { byName } });
  const wanted = new Set(design.nodes.map((n) => n.name));
  for (const b of nodes) {
    if (!wanted.has(b.name)) continue;
    try {
      const est = b.synthResources();
      if (est) out.set(b.name, { est, from: b.hasSynthEstimate ? 'synthEstimate' : 'estimate', kernel: b.kernel, backend: b.backendComponent });
    } catch (e) {
      warnings.push(errorMessage(e));
    }
  }
  return out;
}

/** Runs `work` over `items`, at most `limit` at a time, in order of start. */
async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failed: unknown;
  const lane = async (): Promise<void> => {
    while (next < items.length && failed === undefined) {
      const i = next++;
      try {
        out[i] = await work(items[i]!);
      } catch (e) {
        failed ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  if (failed !== undefined) throw failed;
  return out;
}

export function designJobs(hwDir: string, design: HwDesign, family: XilinxFamily): { top: SynthJob; nodes: SynthJob[] } {
  const abs = (f: string) => path.join(hwDir, f);
  const nodes = design.nodes.map((n) => ({
    name: n.name,
    top: n.module,
    sources: [...n.libraries.filter(isHdlSource), ...n.files.filter(isHdlSource)].map(abs),
    memoryFiles: n.memoryFiles.map(abs),
    family,
  }));
  const top = { name: TOP_KEY, top: design.top, sources: design.sources.filter(isHdlSource).map(abs), memoryFiles: design.memoryFiles.map(abs), family };
  return { top, nodes };
}

export async function synthesizeBuild(opts: SynthesizeBuildOptions): Promise<SynthesizeBuildReport> {
  const t0 = performance.now();
  const dir = path.resolve(opts.dir);
  const hwDir = path.join(dir, 'hw');
  if (!existsSync(hwDir)) throw new BrainsmithError('E_NO_HARDWARE', `${dir} has no hw/ folder: run compile --generate first`, { kind: 'input', file: hwDir });
  const design = readDesign(hwDir);
  const jobs = opts.jobs ?? Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  if (!(Number.isInteger(jobs) && jobs >= 1)) throw new BrainsmithError('E_USAGE', `--jobs must be a positive integer, got ${opts.jobs}`, { kind: 'usage' });
  const { family, note } = familyOfPart(design.part);
  const yosys = await chooseYosys(opts.yosys);
  const warnings: string[] = note ? [note] : [];
  const logDir = path.join(dir, 'synth');
  const { top, nodes } = designJobs(hwDir, design, family);

  // The top first: it is the longest run.
  const all = [top, ...nodes];
  const running = new Set<string>();
  let done = 0;
  const show = () => opts.progress?.(`synthesizing with ${yosys.kind === 'native' ? 'yosys' : 'Yosys (WebAssembly)'} for ${family}: ${done}/${all.length} done${running.size ? `; running ${[...running].join(', ')}` : ''}`);
  const results = await pool(all, jobs, async (job): Promise<SynthResult & { log?: string }> => {
    running.add(job.name);
    show();
    try {
      return await synthesizeModule(job, { yosys, cacheDir: opts.cacheDir, logDir });
    } finally {
      running.delete(job.name);
      done++;
      show();
    }
  });

  const estimates = compileEstimates(dir);
  const predicted = opts.registry ? await synthEstimates(dir, design, opts.registry, warnings) : new Map();
  const byName = new Map(results.map((r) => [r.name, r]));
  const entry = (name: string, extra: Partial<ModuleSynthesis>): ModuleSynthesis => {
    const r = byName.get(name)!;
    return { name, resources: r.resources, cached: r.cached, ms: r.ms, log: r.log ? path.relative(dir, r.log) : undefined, ...extra };
  };
  const nodeRows = design.nodes.map((n) => {
    const p = predicted.get(n.name);
    return entry(n.name, { kernel: n.kernel, backend: n.backend, estimate: estimates.get(n.name), synthEstimate: p?.est, synthEstimateFrom: p?.from });
  });
  const topRow = entry(TOP_KEY, { estimate: sumEstimates(nodeRows.map((n) => n.estimate)), synthEstimate: sumEstimates(nodeRows.map((n) => n.synthEstimate)) });
  const json: Record<string, SynthResources> = {};
  for (const n of nodeRows) json[n.name] = n.resources;
  json[TOP_KEY] = topRow.resources;
  const report = writeReportFile(dir, POST_SYNTH_REPORT, json);
  return {
    ok: true,
    dir,
    part: design.part,
    family,
    familyNote: note,
    yosys: { kind: yosys.kind, version: yosys.version },
    jobs,
    nodes: nodeRows,
    top: topRow,
    nodeTotal: nodeRows.reduce((a, n) => addResources(a, n.resources), emptyResources()),
    report,
    warnings,
    ms: performance.now() - t0,
  };
}
