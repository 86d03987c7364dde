/**
 * The fit of RTL estimates: generates each configuration of a table (rtl-fit-table.ts) with its kernel's rtl
 * backend, synthesizes it with Yosys (src/synth, cached by content hash) and compares with the backend's
 * synthEstimate (its estimate when it has none): LUT within 15% for nodes above 100 LUT; BRAM, URAM, DSP exact.
 * `node dist/bench/rtl-fit.js [--markdown] [--jobs N] [--yosys native|wasm] [KERNEL…]` prints the table.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BackendDeclaration, KernelDeclaration, KernelNodeView, ResourceEstimate } from '../src/index.js';
import { resolveTarget } from '../src/estimate/boards.js';
import { chooseYosys, familyOfPart, synthesizeModule, type SynthResources, type Yosys, type YosysKind } from '../src/synth/index.js';
import { bram18Equivalent } from '../src/synth/format.js';
import { FIT_TABLE, type FitConfig } from './rtl-fit-table.js';

const distRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const LUT_TOLERANCE = 0.15;
export const LUT_FLOOR = 100;

export interface FitRow {
  kernel: string;
  label: string;
  synth: SynthResources;
  predicted: ResourceEstimate;
  from: 'synthEstimate' | 'estimate';
  /** (predicted − synth) / synth; null when synth LUT is 0. */
  lutError: number | null;
  /** LUT within tolerance (always true at or below the floor). */
  lutOk: boolean;
  bramOk: boolean;
  uramOk: boolean;
  dspOk: boolean;
  cached: boolean;
  ms: number;
  /** Cell counts by type from Yosys's stat. */
  cells?: Record<string, number>;
}

const loaded = new Map<string, Promise<{ kernel: KernelDeclaration; rtl: BackendDeclaration; dir: string }>>();

function pluginsOf(kernel: string): Promise<{ kernel: KernelDeclaration; rtl: BackendDeclaration; dir: string }> {
  let p = loaded.get(kernel);
  if (!p) {
    const dir = path.join(distRoot, 'kernels', kernel);
    p = Promise.all([import(path.join(dir, 'kernel.js')), import(path.join(dir, 'rtl.js'))]).then(([k, b]) => ({ kernel: k.default as KernelDeclaration, rtl: b.default as BackendDeclaration, dir }));
    loaded.set(kernel, p);
  }
  return p;
}

function nameOf(c: FitConfig): string {
  let h = 2166136261;
  for (const ch of c.label) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return `${c.kernel.replace(/[^A-Za-z]/g, '')}_fit_${h.toString(16).padStart(8, '0')}`;
}

const target = resolveTarget({ board: 'Pynq-Z2' });

/** The node view of a configuration, attributes parsed by the kernel's schema (then the backend's). */
export async function fitView(c: FitConfig): Promise<KernelNodeView> {
  const { kernel, rtl } = await pluginsOf(c.kernel);
  let attrs = kernel.attributeSchema ? (kernel.attributeSchema.parse(c.attrs) as Record<string, unknown>) : c.attrs;
  if (rtl.attributeSchema) attrs = rtl.attributeSchema.parse(attrs) as Record<string, unknown>;
  return {
    name: nameOf(c), opType: c.kernel, domain: 'finn.custom_op.fpgadataflow.rtl', attrs,
    inputs: [], outputs: [], inputShapes: [], outputShapes: [], inputDatatypes: [], outputDatatypes: [],
    constantInput: (i) => c.consts?.[i], target,
  };
}

/** The backend's prediction of synthesis: synthEstimate, else estimate. */
export async function predict(c: FitConfig): Promise<{ est: ResourceEstimate; from: 'synthEstimate' | 'estimate' }> {
  const { rtl } = await pluginsOf(c.kernel);
  const view = await fitView(c);
  if (rtl.synthEstimate) return { est: rtl.synthEstimate(view, {} as never), from: 'synthEstimate' };
  return { est: rtl.estimate ? rtl.estimate(view, {} as never) : {}, from: 'estimate' };
}

export function compare(kernel: string, label: string, synth: SynthResources, predicted: ResourceEstimate, from: FitRow['from']): Omit<FitRow, 'cached' | 'ms' | 'cells'> {
  const lutError = synth.LUT === 0 ? null : ((predicted.LUT ?? 0) - synth.LUT) / synth.LUT;
  const lutOk = synth.LUT <= LUT_FLOOR || (lutError !== null && Math.abs(lutError) <= LUT_TOLERANCE);
  const pb = bram18Equivalent(predicted) ?? 0;
  return {
    kernel, label, synth, predicted, from, lutError, lutOk,
    bramOk: pb === bram18Equivalent(synth),
    uramOk: (predicted.URAM ?? 0) === synth.URAM,
    dspOk: (predicted.DSP ?? 0) === synth.DSP,
  };
}

export interface FitOptions {
  yosys?: YosysKind;
  jobs?: number;
  cacheDir?: string;
  progress?: (text: string) => void;
}

/** Generates, synthesizes (cached) and compares every configuration. */
export async function runFit(configs: readonly FitConfig[], opts: FitOptions = {}): Promise<FitRow[]> {
  const y: Yosys = await chooseYosys(opts.yosys);
  const family = familyOfPart(target.part).family;
  const work = mkdtempSync(path.join(os.tmpdir(), 'bs-rtl-fit-'));
  const out = new Array<FitRow>(configs.length);
  let next = 0;
  let done = 0;
  try {
    const lane = async (): Promise<void> => {
      while (next < configs.length) {
        const i = next++;
        const c = configs[i]!;
        const { rtl, dir } = await pluginsOf(c.kernel);
        const view = await fitView(c);
        const gen = await rtl.generate!(view, {} as never);
        const nodeDir = path.join(work, String(i));
        mkdirSync(nodeDir, { recursive: true });
        for (const [f, text] of Object.entries(gen.files)) writeFileSync(path.join(nodeDir, f), text);
        const files = Object.keys(gen.files).map((f) => path.join(nodeDir, f));
        const sources = [...(gen.libraries ?? []).map((l) => path.resolve(dir, l)), ...files.filter((f) => f.endsWith('.v') || f.endsWith('.sv'))];
        const r = await synthesizeModule({ name: c.label, top: gen.module, sources, memoryFiles: files.filter((f) => !sources.includes(f)), family }, { yosys: y, cacheDir: opts.cacheDir });
        const p = await predict(c);
        out[i] = { ...compare(c.kernel, c.label, r.resources, p.est, p.from), cached: r.cached, ms: r.ms, cells: r.cells };
        done++;
        opts.progress?.(`${done}/${configs.length} ${c.label}: ${r.resources.LUT} LUT (${r.cached ? 'cached' : `${(r.ms / 1000).toFixed(1)} s`})`);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, opts.jobs ?? os.availableParallelism()) }, lane));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return out;
}

export interface KernelFit {
  kernel: string;
  configs: number;
  above: number;
  lutWithin: number;
  worst?: { label: string; lutError: number; synth: number; predicted: number };
  bramExact: number;
  uramExact: number;
  dspExact: number;
  meanAbsLutError: number;
}

export function summarize(rows: readonly FitRow[]): KernelFit[] {
  const kernels = [...new Set(rows.map((r) => r.kernel))];
  return kernels.map((k) => {
    const mine = rows.filter((r) => r.kernel === k);
    const above = mine.filter((r) => r.synth.LUT > LUT_FLOOR);
    const worstRow = above.reduce<FitRow | undefined>((w, r) => (!w || Math.abs(r.lutError ?? 0) > Math.abs(w.lutError ?? 0) ? r : w), undefined);
    return {
      kernel: k,
      configs: mine.length,
      above: above.length,
      lutWithin: above.filter((r) => r.lutOk).length,
      worst: worstRow ? { label: worstRow.label, lutError: worstRow.lutError ?? 0, synth: worstRow.synth.LUT, predicted: worstRow.predicted.LUT ?? 0 } : undefined,
      bramExact: mine.filter((r) => r.bramOk).length,
      uramExact: mine.filter((r) => r.uramOk).length,
      dspExact: mine.filter((r) => r.dspOk).length,
      meanAbsLutError: above.length ? above.reduce((a, r) => a + Math.abs(r.lutError ?? 0), 0) / above.length : 0,
    };
  });
}

const pct = (e: number | null): string => (e === null ? '-' : `${e >= 0 ? '+' : ''}${(e * 100).toFixed(1)}%`);

export function markdown(rows: readonly FitRow[]): string {
  const s = summarize(rows);
  const lines = [
    '| kernel | configs | > 100 LUT | LUT within 15% | mean abs LUT error | worst LUT error | BRAM exact | URAM exact | DSP exact |',
    '|---|---|---|---|---|---|---|---|---|',
    ...s.map((k) => `| ${k.kernel} | ${k.configs} | ${k.above} | ${k.lutWithin} | ${(k.meanAbsLutError * 100).toFixed(1)}% | ${k.worst ? `${pct(k.worst.lutError)} (${k.worst.label}: ${k.worst.predicted} vs ${k.worst.synth})` : '-'} | ${k.bramExact}/${k.configs} | ${k.uramExact}/${k.configs} | ${k.dspExact}/${k.configs} |`),
    '',
    '| configuration | LUT synth | LUT pred | error | FF synth | FF pred | BRAM18 synth | BRAM18 pred | DSP synth | DSP pred |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.label} | ${r.synth.LUT} | ${r.predicted.LUT ?? 0} | ${pct(r.lutError)}${r.lutOk ? '' : ' ✗'} | ${r.synth.FF} | ${r.predicted.FF ?? '-'} | ${bram18Equivalent(r.synth)} | ${bram18Equivalent(r.predicted) ?? 0}${r.bramOk ? '' : ' ✗'} | ${r.synth.DSP} | ${r.predicted.DSP ?? 0}${r.dspOk ? '' : ' ✗'} |`),
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (name: string): string | undefined => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const v = args[i + 1];
    args.splice(i, 2);
    return v;
  };
  const md = args.includes('--markdown');
  if (md) args.splice(args.indexOf('--markdown'), 1);
  const jsonOut = flag('--json-out');
  const jobs = flag('--jobs');
  const yosys = flag('--yosys') as YosysKind | undefined;
  const configs = args.length ? FIT_TABLE.filter((c) => args.includes(c.kernel)) : FIT_TABLE;
  const rows = await runFit(configs, { jobs: jobs ? Number(jobs) : undefined, yosys, progress: (t) => process.stderr.write(`${t}\n`) });
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify(rows, null, 1));
  process.stdout.write(`${md ? markdown(rows) : JSON.stringify(summarize(rows), null, 2)}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
