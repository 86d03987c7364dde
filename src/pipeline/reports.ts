/** report/time_per_step.json: seconds per stage (FINN keys its file by step, in seconds) and per transform. */
import type { RunResult } from './pass-manager.js';

export interface TimeReport {
  /** Seconds per stage, in run order, then `total`. */
  [stage: string]: number | TransformTime[] | undefined;
  transforms?: TransformTime[];
}

export interface TransformTime {
  stage: string;
  transform: string;
  seconds: number;
  runs: number;
  changed: boolean;
}

const s = (ms: number): number => Math.round(ms * 1e3) / 1e6;

export function timeReport(run: RunResult): TimeReport {
  const out: TimeReport = {};
  for (const st of run.stages) out[st.stage] = s(st.ms);
  out.total = s(run.ms);
  out.transforms = run.stages.flatMap((st) =>
    st.items.map((i) => ({ stage: st.stage, transform: i.name, seconds: s(i.ms), runs: i.runs, changed: i.changed })),
  );
  return out;
}
