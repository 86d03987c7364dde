/**
 * Everything report/index.html shows, gathered from a build folder: the compile summary and estimates, the
 * graph, and the optional results that later steps write beside them (verification.json,
 * rtlsim_performance.json, post_synth_resources.json: read when present, FINN's file names and keys).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { deviceCapacity, type DeviceCapacity } from '../estimate/boards.js';
import type { CompileSummary } from '../pipeline/compile.js';
import type { ReportGraph } from './graph.js';

export interface ReportData {
  model: string;
  output: string;
  blueprint: string;
  target: CompileSummary['target'];
  capacity?: DeviceCapacity;
  graph: ReportGraph;
  estimate?: CompileSummary['estimate'];
  stages: CompileSummary['stages'];
  verification?: unknown;
  rtlsim?: unknown;
  postSynth?: unknown;
  /** Optional files that exist but could not be read: file → problem. */
  unreadable: Record<string, string>;
}

export const OPTIONAL_REPORTS = {
  verification: 'verification.json',
  rtlsim: 'rtlsim_performance.json',
  postSynth: 'post_synth_resources.json',
} as const;

export function reportData(dir: string, summary: CompileSummary, graph: ReportGraph): ReportData {
  const unreadable: Record<string, string> = {};
  const optional = (name: string): unknown => {
    const file = path.join(dir, 'report', name);
    if (!existsSync(file)) return undefined;
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as unknown;
    } catch (e) {
      unreadable[name] = (e as Error).message;
      return undefined;
    }
  };
  const capacity = deviceCapacity(summary.target.part);
  return {
    model: summary.model,
    output: summary.output,
    blueprint: summary.blueprint,
    target: summary.target,
    ...(capacity ? { capacity } : {}),
    graph,
    ...(summary.estimate ? { estimate: summary.estimate } : {}),
    stages: summary.stages,
    verification: optional(OPTIONAL_REPORTS.verification),
    rtlsim: optional(OPTIONAL_REPORTS.rtlsim),
    postSynth: optional(OPTIONAL_REPORTS.postSynth),
    unreadable,
  };
}
