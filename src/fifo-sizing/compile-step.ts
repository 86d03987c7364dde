/**
 * The compile's FIFO sizing step (`--fifo-sizing`): chooses the method, sizes the FIFOs of the final model
 * before model.onnx and hw/ are written, and, for `sim`, confirms the sized build by simulating it. Writes
 * `report/fifo_sizing.json`.
 */
import { writeFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { BrainsmithError } from '../errors.js';
import type { Model } from '../ir/model.js';
import type { Registry } from '../plugins/registry.js';
import type { FpgaTarget } from '../plugins/types.js';
import { availableSimulators } from '../sim/simulators.js';
import type { FifoSizingMethod, FifoSizingReport, SizingPerformance } from './size.js';

export type FifoSizingChoice = FifoSizingMethod | 'auto';
export const FIFO_SIZING_REPORT = 'report/fifo_sizing.json';

/** Throughput before and after sizing in frames per second (absent: the design deadlocked, or not simulated). */
export function fifoFps(r: FifoSizingReport): { before?: number; after?: number } {
  const fps = (p?: SizingPerformance) => (p ? Math.round(p['throughput[images/s]']) : undefined);
  return { before: fps(r.throughput.before), after: fps(r.throughput.after) };
}

/** Usage checks before anything runs: `sim` needs the generated hardware. */
export function checkFifoSizingOption(choice: string | undefined, generate: boolean): FifoSizingChoice | undefined {
  if (choice === undefined) return undefined;
  const c = choice === '' ? 'auto' : choice;
  if (c !== 'sim' && c !== 'model' && c !== 'auto') throw new BrainsmithError('E_USAGE', `--fifo-sizing must be sim, model or auto, got '${choice}'`, { kind: 'usage' });
  if (c === 'sim' && !generate) throw new BrainsmithError('E_USAGE', '--fifo-sizing sim simulates the generated hardware: it needs --generate (--fifo-sizing model works without)', { kind: 'usage' });
  return c;
}

/** auto: sim when hardware is generated and Verilator is installed, else model. */
export async function resolveFifoSizing(choice: FifoSizingChoice, generate: boolean, log: Logger): Promise<FifoSizingMethod> {
  if (choice !== 'auto') {
    if (choice === 'sim' && !(await availableSimulators()).some((s) => s.kind === 'verilator')) {
      throw new BrainsmithError('E_NO_SIMULATOR', '--fifo-sizing sim needs Verilator (apt-get install verilator); --fifo-sizing model needs no simulator', { kind: 'usage' });
    }
    return choice;
  }
  const verilator = generate && (await availableSimulators()).some((s) => s.kind === 'verilator');
  if (!verilator) log.info(`fifo sizing: the dataflow model (${generate ? 'Verilator is not installed' : 'no --generate'})`);
  return verilator ? 'sim' : 'model';
}

export interface FifoSizingStep {
  method: FifoSizingMethod;
  target: FpgaTarget;
  clockNs: number;
  prefer?: 'rtl' | 'hls';
  topName?: string;
  log: Logger;
  note?: (text: string) => void;
}

/** Sizes the FIFOs of `model` in place. */
export async function sizeFifos(model: Model, reg: Registry, s: FifoSizingStep): Promise<FifoSizingReport> {
  s.note?.(`fifo sizing (${s.method})`);
  if (s.method === 'model') {
    const { sizeFifosByModel } = await import('./size.js');
    return sizeFifosByModel(model, reg.hw, { target: s.target, prefer: s.prefer, clockNs: s.clockNs });
  }
  const { sizeFifosBySim } = await import('./sim-sizing.js');
  return sizeFifosBySim(model, reg, { target: s.target, clockNs: s.clockNs, prefer: s.prefer, topName: s.topName, progress: s.note });
}

/** After hw/ is written: the confirming simulation (sim), the report file and a log line. */
export async function finishFifoSizing(report: FifoSizingReport, dir: string, reg: Registry, s: FifoSizingStep, reportFile: string): Promise<void> {
  if (report.method === 'sim') {
    const { confirmSizing } = await import('./sim-sizing.js');
    const ok = await confirmSizing(report, dir, reg, { target: s.target, clockNs: s.clockNs, prefer: s.prefer, topName: s.topName, progress: s.note });
    if (!ok) s.log.warn(`fifo sizing: the sized design reaches ${(report.ratio! * 100).toFixed(1)}% of the deep-FIFO throughput (below 99%)`);
  }
  if (report.deadlock_before) s.log.warn(`fifo sizing: with the FIFOs as InsertFIFO left them the design deadlocks (${report.deadlock_before}); the sized depths do not`);
  writeFileSync(reportFile, `${JSON.stringify(report, null, 2)}\n`);
  const fps = (p?: { 'throughput[images/s]': number }) => (p ? `${Math.round(p['throughput[images/s]']).toLocaleString('en-US')} fps` : 'deadlock');
  s.log.info({ fifoSizing: { method: report.method, bits: report.total_fifo_bits, ratio: report.ratio } }, `fifo sizing (${report.method}): ${report.fifos.length} FIFOs, ${report.total_fifo_bits.before} -> ${report.total_fifo_bits.after} bits; throughput before ${fps(report.throughput.before)}, deep ${fps(report.throughput.deep)}, after ${fps(report.throughput.after)} in ${Math.round(report.ms)} ms`);
}
