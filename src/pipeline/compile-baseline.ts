/**
 * What a blueprint gains over its `baseline:` (the `optimized` blueprint over `default`): the baseline's
 * plan runs on the same model and target in the same compile, without writing a build, and the two
 * estimates are compared (FINN's totals: LUT, BRAM_18K, URAM, DSP; and the estimated throughput).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { estimateModel } from '../estimate/estimate.js';
import { hwNodeKind } from '../hw/hw-nodes.js';
import { STREAM_INFRASTRUCTURE_TAG, splitStreamInfrastructure } from '../estimate/stream-infrastructure.js';
import { loadModel } from '../onnx/load.js';
import type { Registry } from '../plugins/registry.js';
import { loadBlueprint } from './blueprint-load.js';
import type { Blueprint } from './blueprint-schema.js';
import type { BlueprintVars } from './blueprint-vars.js';
import type { BuildEstimate } from './compile-estimate.js';
import { targetVariables, type CompileTarget } from './compile-target.js';
import { runPlan } from './pass-manager.js';
import { buildPlan } from './plan.js';
import { withWriteRoot } from '../plugins/write-root.js';

/** The figures compared: FINN's resource totals and the estimated throughput. */
export interface BuildFigures {
  LUT: number;
  BRAM_18K: number;
  URAM: number;
  DSP: number;
  fps: number;
}

export interface BaselineComparison {
  /** The baseline blueprint's name. */
  baseline: string;
  /** Its figures for the same model and target. */
  baselineFigures: BuildFigures;
  /** This compile's figures. */
  figures: BuildFigures;
  /** baseline − this for resources (positive: saved), this / baseline for fps (above 1: faster). */
  gain: { LUT: number; BRAM_18K: number; URAM: number; DSP: number; fpsRatio: number };
}

export function figuresOf(total: Record<string, number>, fps: number): BuildFigures {
  return { LUT: total.LUT ?? 0, BRAM_18K: total.BRAM_18K ?? 0, URAM: total.URAM ?? 0, DSP: total.DSP ?? 0, fps };
}

export function compareFigures(baseline: string, base: BuildFigures, mine: BuildFigures): BaselineComparison {
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return {
    baseline,
    baselineFigures: base,
    figures: mine,
    gain: {
      LUT: r(base.LUT - mine.LUT),
      BRAM_18K: r(base.BRAM_18K - mine.BRAM_18K),
      URAM: r(base.URAM - mine.URAM),
      DSP: r(base.DSP - mine.DSP),
      fpsRatio: base.fps > 0 ? r(mine.fps / base.fps) : 0,
    },
  };
}

/**
 * Runs `bp.baseline` on the model at `modelPath` with the same settings and estimates it; undefined when the
 * blueprint names no baseline or the baseline's model holds no hardware node.
 */
export async function baselineFigures(reg: Registry, bp: Blueprint, modelPath: string, hw: CompileTarget, extraVars: BlueprintVars, log: Logger): Promise<{ name: string; figures: BuildFigures } | undefined> {
  if (!bp.baseline) return undefined;
  const base = loadBlueprint(bp.baseline.ref, bp.baseline.from);
  // Options such as SetFolding's output name files in the build folder: the baseline writes into a scratch one.
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'brainsmith-baseline-'));
  try {
    const plan = await buildPlan(reg, base, { ...targetVariables(hw, scratch), ...extraVars });
    // Its info lines would read as this compile's: warnings and above only (or the compile's own level if higher).
    const quiet = log.child({ baseline: base.name }, { level: log.levelVal > 40 ? log.level : 'warn' });
    // The baseline's plugins write into its scratch folder, not the build folder this compile confines them to.
    const run = await withWriteRoot(scratch, async () => runPlan(reg, plan, await loadModel(modelPath), { log: quiet }));
    if (!run.model.graph.nodeList().some((n) => hwNodeKind(n))) return undefined;
    const est = await estimateModel(run.model, reg.hw, { target: hw.target, clockNs: hw.clockNs, file: modelPath });
    const split = splitStreamInfrastructure(est, (k) => reg.kernels.tryGet(k)?.meta.tags?.includes(STREAM_INFRASTRUCTURE_TAG) ?? false);
    return { name: base.name, figures: figuresOf(split.finn.resources.total ?? {}, est.performance.estimated_throughput_fps) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Terminal lines: the baseline's figures, this build's, and the difference. */
export function formatComparison(c: BaselineComparison, name: string): string {
  const f = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));
  const pct = (saved: number, base: number) => (base > 0 ? ` (${saved >= 0 ? '-' : '+'}${f(Math.abs((100 * saved) / base))}%)` : '');
  const b = c.baselineFigures;
  const m = c.figures;
  const row = (label: string, x: BuildFigures) => `${label.padEnd(12)} LUT ${f(x.LUT)}, BRAM_18K ${f(x.BRAM_18K)}, URAM ${f(x.URAM)}, DSP ${f(x.DSP)}, ${f(x.fps)} fps`;
  return [
    `gains over blueprint '${c.baseline}' (same model and target; FINN's totals, without DWC/FIFO):`,
    row(c.baseline, b),
    row(name, m),
    `${'gain'.padEnd(12)} LUT ${f(c.gain.LUT)}${pct(c.gain.LUT, b.LUT)}, BRAM_18K ${f(c.gain.BRAM_18K)}${pct(c.gain.BRAM_18K, b.BRAM_18K)}, URAM ${f(c.gain.URAM)}, DSP ${f(c.gain.DSP)}, fps ×${c.gain.fpsRatio}`,
  ].join('\n');
}

/** This build's figures from its estimate. */
export function buildFigures(e: BuildEstimate): BuildFigures {
  return figuresOf(e.total, e.performance.estimated_throughput_fps);
}
