/**
 * `brainsmith compile` without the CLI: blueprint → plan → run the stages on the model, writing the
 * build folder (intermediate models, reports, compile.log, model.onnx) atomically, with optional
 * verification after every stage.
 */
import { checkFifoSizingOption, fifoFps, finishFifoSizing, FIFO_SIZING_REPORT, resolveFifoSizing, sizeFifos, type FifoSizingStep } from '../fifo-sizing/compile-step.js';
import type { FifoSizingReport } from '../fifo-sizing/size.js';
import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { BrainsmithError, errorMessage } from '../errors.js';
import { hostVersion } from '../plugins/host.js';
import { loadModelSync } from '../onnx/load.js';
import { saveModel } from '../onnx/save.js';
import { assertGraphValid } from '../ir/verify.js';
import type { Model } from '../ir/model.js';
import { openRegistry, type Registry } from '../plugins/registry.js';
import { closeRegistry, enableLifecycle } from '../plugins/runtime.js';
import { STAGES } from '../plugins/schemas.js';
import { setHookTimeLimit } from '../plugins/isolation.js';
import { setWriteRoot } from '../plugins/write-root.js';
import type { TensorValue } from '../tensor/tensor-value.js';
import { loadBlueprint, DEFAULT_BLUEPRINT } from './blueprint-load.js';
import { DEFAULT_TOLERANCE, type Tolerance } from './compare.js';
import { compileTarget, targetVariables, type CompileTarget } from './compile-target.js';
import { estimateBuild, type BuildEstimate } from './compile-estimate.js';
import { baselineFigures, buildFigures, compareFigures, type BaselineComparison } from './compile-baseline.js';
import { BuildFolder, checkTarget } from './output-dir.js';
import { checkRunOptions, opTypeHistogram, runPlan, type RunResult, type StageResult } from './pass-manager.js';
import { buildPlan } from './plan.js';
import { checkBrokenOverrides, warnBrokenPlugins } from './plugin-health.js';
import type { Progress } from './progress.js';
import { timeReport } from './reports.js';
import { loadExecutor, Verifier, describeMismatch, type ExecuteFn, type VerificationReport } from './verification.js';
import { bindInputs, modelInputs, randomBatch, DEFAULT_RANDOM_SAMPLES, type BoundInputs } from './verify-inputs.js';

export interface CompileOptions {
  model: string;
  /** Build folder (default build/<model name>). */
  output?: string;
  /** Blueprint file or built-in name (default: the built-in default blueprint). */
  config?: string;
  stopAfter?: string;
  startFrom?: string;
  verify?: boolean;
  /** .npy files, one per graph input (override the blueprint's verify.inputs). */
  inputs?: string[];
  expected?: string;
  force?: boolean;
  log: Logger;
  progress?: Progress;
  cwd?: string;
  /** An already open registry (tests); otherwise one is opened for the working folder. */
  registry?: Registry;
  /** Fail when any plugin fails to load (--strict-plugins). */
  strictPlugins?: boolean;
  /** Called with the compile.log path once the build folder exists. */
  attachLog?: (file: string) => void;
  /** Reads an .npy (or .pb) tensor; needed for --input/--expected. */
  readTensor?: (file: string) => Promise<TensorValue> | TensorValue;
  /** The executor for --verify (default: src/exec/execute.ts). */
  execute?: ExecuteFn;
  /** Hardware target (over the blueprint's `target`): a board or a part, not both. */
  board?: string;
  part?: string;
  clockNs?: number;
  targetFps?: number;
  /** A FINN folding config; overrides the target fps as in FINN. */
  foldingConfig?: string;
  /** Replace a classifier output by its top-1 label (the blueprint setting `${insert_topk}`). */
  insertTopK?: boolean;
  /** Backend preference for every kernel (rtl or hls). */
  prefer?: 'rtl' | 'hls';
  /** Generate the hardware (hw/) after the last stage. */
  generate?: boolean;
  /** Name of the stitched top module (default brainsmith_top). */
  topName?: string;
  /** Size the FIFOs (--fifo-sizing): sim (needs generate and Verilator), model, or auto ('' = auto). */
  fifoSizing?: string;
  /** Seconds one transform or step application may take (--time-limit); none by default. */
  timeLimit?: number;
}

export interface LeftAlone {
  opType: string;
  count: number;
}

export interface CompileSummary {
  ok: true;
  model: string;
  output: string;
  blueprint: string;
  stages: { stage: string; ms: number; changed: boolean; transforms: number; partial: boolean; intermediate: string }[];
  stoppedAfter?: string;
  nodes: { before: number; after: number };
  opTypes: Record<string, number>;
  /** Op types of the input model that no transform changed. */
  leftAlone: LeftAlone[];
  kernelMapping: 'none' | 'ran';
  target: { board?: string; part: string; dspFamily: string; clockNs: number; targetFps?: number; foldingConfig?: string };
  /** Estimates of the final model's hardware nodes (absent when it holds none). */
  estimate?: BuildEstimate;
  /** With a blueprint that names a `baseline:` (optimized → default): the baseline's figures and the gains. */
  comparison?: BaselineComparison;
  verification?: { ok: boolean; stages: number; file: string; expected?: boolean };
  /** report/index.html, when it could be written. */
  report?: string;
  /** What --generate wrote. */
  hardware?: HardwareSummary;
  /** What --fifo-sizing did (details in report/fifo_sizing.json). */
  fifoSizing?: { method: 'sim' | 'model'; file: string; fifos: number; bits: { before: number; after: number }; fps: { before?: number; after?: number }; ratio?: number; ms: number };
  ms: number;
}

export interface HardwareSummary {
  dir: string;
  top: string;
  nodes: number;
  sources: number;
  memoryFiles: number;
  inputs: { port: string; tensor: string; width: number }[];
  outputs: { port: string; tensor: string; width: number }[];
  hostNodes: { before: string[]; after: string[] };
  ms: number;
}

/** The HTML report; a failure to draw it is a warning, never a failed compile. */
async function writeBuildReport(dir: string, model: Model, reg: Registry, summary: CompileSummary, log: Logger): Promise<string | undefined> {
  try {
    const { writeReport, REPORT_HTML } = await import('../report/write.js');
    await writeReport(dir, model, reg, summary);
    return REPORT_HTML;
  } catch (e) {
    log.warn(`report/index.html not written: ${errorMessage(e)}`);
    return undefined;
  }
}

export function defaultOutput(model: string, cwd: string): string {
  return path.resolve(cwd, 'build', path.basename(model).replace(/\.onnx$/i, ''));
}

function toleranceOf(v: { rtol?: number; atol?: number; max_mismatch_fraction?: number }): Tolerance {
  return {
    rtol: v.rtol ?? DEFAULT_TOLERANCE.rtol,
    atol: v.atol ?? DEFAULT_TOLERANCE.atol,
    maxMismatchFraction: v.max_mismatch_fraction ?? DEFAULT_TOLERANCE.maxMismatchFraction,
  };
}

function needReader(opts: CompileOptions): (f: string) => Promise<TensorValue> {
  const r = opts.readTensor;
  if (!r) throw new BrainsmithError('E_VERIFY_INPUT', 'reading .npy inputs is not available', { kind: 'work' });
  return async (f) => await r(f);
}

export async function compile(opts: CompileOptions): Promise<CompileSummary> {
  const t0 = performance.now();
  const cwd = opts.cwd ?? process.cwd();
  const log = opts.log;
  const modelPath = path.resolve(cwd, opts.model);
  const target = opts.output ? path.resolve(cwd, opts.output) : defaultOutput(modelPath, cwd);
  if ((opts.expected || opts.inputs?.length) && !opts.verify) {
    throw new BrainsmithError('E_USAGE', `${opts.expected ? '--expected' : '--input'} needs --verify`, { kind: 'usage' });
  }
  if (opts.topName !== undefined && !opts.generate) throw new BrainsmithError('E_USAGE', '--top-name needs --generate', { kind: 'usage' });
  const fifoChoice = checkFifoSizingOption(opts.fifoSizing, Boolean(opts.generate));
  if (opts.timeLimit !== undefined && !(opts.timeLimit > 0)) {
    throw new BrainsmithError('E_USAGE', `--time-limit ${opts.timeLimit}: expected a number of seconds above 0`, { kind: 'usage' });
  }
  const blueprint = loadBlueprint(opts.config ?? DEFAULT_BLUEPRINT, cwd);
  const hw = compileTarget(
    { board: opts.board, part: opts.part, clockNs: opts.clockNs, targetFps: opts.targetFps, foldingConfig: opts.foldingConfig, prefer: opts.prefer },
    blueprint.target, cwd, blueprint.files[0],
  );
  // --force must never remove a folder holding something this compile reads, nor the working folder.
  const keep = {
    cwd,
    inputs: [modelPath, ...blueprint.files, ...(opts.inputs ?? []), ...(blueprint.verify.inputs ?? []), ...(opts.expected ? [opts.expected] : []), ...(hw.foldingConfig ? [hw.foldingConfig] : [])].map((f) => path.resolve(cwd, f)),
  };
  checkTarget(target, Boolean(opts.force), keep);
  // Before the build folder exists: a model that does not load leaves nothing behind. Read synchronously:
  // nothing else runs meanwhile, and a thread-pool round trip only left the process idle.
  const model = loadModelSync(modelPath);
  assertGraphValid(model.graph, `${modelPath}: the input graph is invalid`);
  setHookTimeLimit(opts.timeLimit ? opts.timeLimit * 1000 : undefined);
  let reg = opts.registry;
  const ownRegistry = !reg;
  if (!reg) {
    reg = await openRegistry({ cwd, log, strict: opts.strictPlugins });
    await enableLifecycle(reg);
  }
  try {
    // The folder exists before the plan: options such as SetFolding's output name files inside it.
    const folder = new BuildFolder(target, { force: opts.force, keep });
    setWriteRoot(folder.dir);
    try {
      warnBrokenPlugins(reg, log);
      const extraVars = opts.insertTopK ? { insert_topk: true } : {};
      const plan = await buildPlan(reg, blueprint, { ...targetVariables(hw, folder.dir), ...extraVars });
      checkBrokenOverrides(reg, plan);
      for (const w of plan.warnings) log.warn(w);
      checkRunOptions(plan, opts);
      log.debug({ blueprint: blueprint.name, files: blueprint.files }, `blueprint ${blueprint.name}`);
      warnUnusedSettings(plan.variables, hw, blueprint.name, log, opts.insertTopK === true);
      const inputHistogram = opTypeHistogram(model);
      const nodesBefore = model.graph.nodeCount;
      opts.attachLog?.(folder.path('compile.log'));
      log.info({ target: hw.target, clockNs: hw.clockNs, targetFps: hw.targetFps, foldingConfig: hw.foldingConfig, sources: hw.sources }, `target ${describeTarget(hw)}`);
      let verifier: Verifier | undefined;
      if (opts.verify) {
        const exec = opts.execute ?? (await loadExecutor());
        const specs = modelInputs(model);
        const files = opts.inputs?.length ? opts.inputs.map((f) => path.resolve(cwd, f)) : blueprint.verify.inputs ?? [];
        let inputs: BoundInputs;
        if (files.length) {
          const read = needReader(opts);
          inputs = bindInputs(specs, await Promise.all(files.map(read)), files);
        } else {
          inputs = randomBatch(specs, blueprint.verify.seed ?? 0, blueprint.verify.float_range ?? [-1, 1], blueprint.verify.samples ?? DEFAULT_RANDOM_SAMPLES);
        }
        const randomSource = `random (seed ${blueprint.verify.seed ?? 0}, ${inputs.batch} sample${inputs.batch === 1 ? '' : 's'})`;
        verifier = new Verifier({ reg, exec, inputs, sources: files.length ? files : specs.map(() => randomSource), tol: toleranceOf(blueprint.verify), log });
        opts.progress?.note('verify: running the input model');
        await verifier.reference(model);
      }

      const intermediates: string[] = [];
      // The last stage's model as saved, when the file holds all of it: model.onnx is the same bytes.
      let lastSaved: { model: Model; version: number; file: string } | undefined;
      const run: RunResult = await runPlan(reg, plan, model, {
        stopAfter: opts.stopAfter,
        startFrom: opts.startFrom,
        log,
        hooks: {
          progress: (p) => opts.progress?.update(p),
          stageStart: (_stage, m) => verifier?.stageStart(m),
          stageEnd: async (r: StageResult, m) => {
            const rel = path.join('intermediate_models', `${String(STAGES.indexOf(r.stage) + 1).padStart(2, '0')}_${r.stage}.onnx`);
            const saved = await saveModel(m, folder.path(rel));
            lastSaved = saved.externalData ? undefined : { model: m, version: m.graph.version, file: folder.path(rel) };
            intermediates.push(rel);
            if (!verifier) return;
            opts.progress?.note(`verify: ${r.stage}`);
            const items = plan.stages.find((s) => s.stage === r.stage)!.items.slice(0, r.items.length);
            const check = await verifier.checkStage(r.stage, m, items);
            writeFileSync(folder.path('report', 'verification.json'), `${JSON.stringify(verifier.report, null, 2)}\n`);
            if (!check.ok) {
              const who = check.culprit ? `; first transform that changed the outputs: ${check.culprit.transform} (${check.culprit.origin}, ${check.culprit.detail})` : '; no single transform of the stage changed the outputs on replay';
              throw new BrainsmithError('E_VERIFY_MISMATCH', `verification failed after stage ${r.stage}: ${describeMismatch(check.comparison)}${who}`, { kind: 'work', file: modelPath });
            }
            log.info({ stage: r.stage, ms: Math.round(check.ms) }, `verify: ${r.stage} outputs match the input model`);
          },
        },
      });
      opts.progress?.done();

      let expectedOk: boolean | undefined;
      if (verifier && opts.expected) {
        const file = path.resolve(cwd, opts.expected);
        expectedOk = await verifier.checkExpected(run.model, file, await needReader(opts)(file));
        writeFileSync(folder.path('report', 'verification.json'), `${JSON.stringify(verifier.report, null, 2)}\n`);
        if (!expectedOk) throw new BrainsmithError('E_VERIFY_EXPECTED', `the final model's output does not match ${file}: ${describeMismatch(verifier.report.expected!.comparison)}`, { kind: 'work', file });
      }

      let fifoStep: FifoSizingStep | undefined;
      let fifoReport: FifoSizingReport | undefined;
      if (fifoChoice && !run.stoppedAfter) {
        const method = await resolveFifoSizing(fifoChoice, Boolean(opts.generate), log);
        fifoStep = { method, target: hw.target, clockNs: hw.clockNs, prefer: hw.prefer, topName: opts.topName, log, note: (t) => opts.progress?.note(t) };
        fifoReport = await sizeFifos(run.model, reg, fifoStep);
      } else if (fifoChoice) {
        log.warn(`--fifo-sizing has no effect: the compile stopped after ${run.stoppedAfter}, before the FIFOs are final`);
      }
      // Nothing touches the model after the last stage's save but FIFO sizing (and, to be safe, the
      // verifier's runs): then model.onnx is a copy of that file, not a second encode of the model.
      const unchanged = lastSaved?.model === run.model && run.model.graph.version === lastSaved.version;
      if (unchanged && !fifoReport && !verifier) copyFileSync(lastSaved!.file, folder.path('model.onnx'));
      else await saveModel(run.model, folder.path('model.onnx'));
      writeFileSync(folder.path('report', 'time_per_step.json'), `${JSON.stringify(timeReport(run), null, 2)}\n`);
      const estimate = await estimateBuild(run.model, reg, hw, folder.dir, modelPath, log);
      let comparison: BaselineComparison | undefined;
      // The baseline compiles the input model from the start: a partial run has nothing to compare with.
      if (estimate && blueprint.baseline && !run.stoppedAfter && !opts.startFrom) {
        const base = await baselineFigures(reg, blueprint, modelPath, hw, extraVars, log).catch((e: unknown) => {
          log.warn(`no comparison: the baseline blueprint ${blueprint.baseline!.ref} failed on this model: ${errorMessage(e)}`);
          return undefined;
        });
        if (base) {
          comparison = compareFigures(base.name, base.figures, buildFigures(estimate));
          log.info({ comparison }, `gains over ${base.name}: LUT ${comparison.gain.LUT}, BRAM_18K ${comparison.gain.BRAM_18K}, DSP ${comparison.gain.DSP}, fps ×${comparison.gain.fpsRatio}`);
        }
      }
      let hardware: HardwareSummary | undefined;
      if (opts.generate) {
        opts.progress?.note('generate: writing hw/');
        hardware = await generateBuildHardware(run.model, reg, hw, folder, target, opts.topName);
        log.info({ hardware }, `generate: hw/ with ${hardware.nodes} node modules, top ${hardware.top} (${hardware.sources} sources, ${hardware.memoryFiles} memory files) in ${Math.round(hardware.ms)} ms`);
      }

      if (fifoReport && fifoStep) await finishFifoSizing(fifoReport, folder.dir, reg, fifoStep, folder.path(FIFO_SIZING_REPORT));
      const finalHist = opTypeHistogram(run.model);
      const leftAlone = [...inputHistogram]
        .filter(([op]) => !run.touchedOpTypes.has(op))
        .map(([opType, count]) => ({ opType, count }));
      const kernelMapping = run.stages.some((s) => s.stage === 'kernel_mapping' && s.items.length > 0) ? 'ran' : 'none';
      if (leftAlone.length) {
        const list = leftAlone.map((l) => `${l.opType} (${l.count})`).join(', ');
        log.info(`left alone (no transform changed these op types): ${list}${kernelMapping === 'none' ? '; the blueprint ran no kernel mapping, so no node was mapped to a hardware kernel' : ''}`);
      }
      const summary: CompileSummary = {
        ok: true,
        model: modelPath,
        output: target,
        blueprint: blueprint.name,
        stages: run.stages.map((s) => ({ stage: s.stage, ms: round(s.ms), changed: s.changed, transforms: s.items.length, partial: s.partial, intermediate: intermediates[run.stages.indexOf(s)]! })),
        ...(run.stoppedAfter ? { stoppedAfter: run.stoppedAfter } : {}),
        nodes: { before: nodesBefore, after: run.model.graph.nodeCount },
        opTypes: Object.fromEntries(finalHist),
        leftAlone,
        kernelMapping,
        target: {
          ...(hw.target.board ? { board: hw.target.board } : {}),
          part: hw.target.part,
          dspFamily: hw.target.dspFamily,
          clockNs: hw.clockNs,
          ...(hw.targetFps !== undefined ? { targetFps: hw.targetFps } : {}),
          ...(hw.foldingConfig ? { foldingConfig: hw.foldingConfig } : {}),
        },
        ...(estimate ? { estimate } : {}),
        ...(comparison ? { comparison } : {}),
        ...(hardware ? { hardware } : {}),
        ...(fifoReport ? { fifoSizing: { method: fifoReport.method, file: FIFO_SIZING_REPORT, fifos: fifoReport.fifos.length, bits: fifoReport.total_fifo_bits, fps: fifoFps(fifoReport), ...(fifoReport.ratio !== undefined ? { ratio: fifoReport.ratio } : {}), ms: round(fifoReport.ms) } } : {}),
        ...(verifier ? { verification: { ok: verifier.report.ok, stages: verifier.report.stages.length, file: 'report/verification.json', ...(expectedOk !== undefined ? { expected: expectedOk } : {}) } } : {}),
        ms: round(performance.now() - t0),
      };
      summary.report = await writeBuildReport(folder.dir, run.model, reg, summary, log);
      writeFileSync(folder.path('report', 'compile_summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
      folder.commit({ tool: 'brainsmith', version: hostVersion(), model: modelPath, blueprint: blueprint.name, finished: new Date().toISOString() });
      return summary;
    } catch (e) {
      opts.progress?.done();
      // A usage error (a bad flag) wrote nothing worth reading.
      const usage = e instanceof BrainsmithError && e.kind === 'usage';
      const kept = usage ? folder.discard() : folder.keepFailed(errorMessage(e));
      if (kept && e instanceof Error) e.message += ` (what was written, ${kept.contents.join(', ')}, is kept in ${kept.dir})`;
      throw e;
    }
  } finally {
    setHookTimeLimit(undefined);
    setWriteRoot(undefined);
    if (ownRegistry) await closeRegistry(reg);
  }
}

/** Hardware generation into the build folder's hw/ (moved into place with the rest of the build). */
async function generateBuildHardware(model: Model, reg: Registry, hw: CompileTarget, folder: BuildFolder, target: string, topName?: string): Promise<HardwareSummary> {
  const { generateHardware } = await import('../codegen/generate.js');
  const r = await generateHardware(model, reg, folder.path('hw'), { top: topName, target: hw.target, clockNs: hw.clockNs, prefer: hw.prefer, finalDir: path.join(target, 'hw') });
  const d = r.design;
  return {
    dir: 'hw',
    top: d.top,
    nodes: d.nodes.length,
    sources: d.sources.length,
    memoryFiles: d.memoryFiles.length,
    inputs: d.inputs.map((s, i) => ({ port: `s_axis_${i}`, tensor: s.tensor, width: s.width })),
    outputs: d.outputs.map((s, k) => ({ port: `m_axis_${k}`, tensor: s.tensor, width: s.width })),
    hostNodes: d.hostNodes,
    ms: round(r.ms),
  };
}

function describeTarget(hw: CompileTarget): string {
  const t = hw.target.board ? `${hw.target.board} (${hw.target.part})` : hw.target.part;
  const goal = hw.foldingConfig ? `, folding config ${hw.foldingConfig}` : hw.targetFps !== undefined ? `, target ${hw.targetFps} fps` : '';
  return `${t}, clock ${hw.clockNs} ns${goal}`;
}

/** A flag that no option of the blueprint refers to would silently do nothing: say so. */
function warnUnusedSettings(used: Set<string>, hw: CompileTarget, blueprint: string, log: Logger, insertTopK: boolean): void {
  const given: Array<[string, string, boolean]> = [
    ['target_fps', '--target-fps', hw.targetFps !== undefined],
    ['folding_config', '--folding-config', hw.foldingConfig !== undefined],
    ['insert_topk', '--insert-topk', insertTopK],
    ['prefer', '--prefer', hw.prefer !== undefined],
  ];
  for (const [name, flag, set] of given) {
    const what = hw.sources[name] === 'flag' || name === 'insert_topk' ? flag : `target.${name}`;
    if (set && !used.has(name)) log.warn(`${what} has no effect: no transform option of blueprint '${blueprint}' refers to \${${name}}`);
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

export type { VerificationReport };
