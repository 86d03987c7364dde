/**
 * Benchmark records. Each bench module exports `run(report)`; bench/run.ts calls them in one process,
 * prints a table and writes bench/results/latest.json. Figures are medians over repeated samples because
 * the machines are small and noisy; ratios are measured side by side in the same run.
 */
export interface BenchRecord {
  /** Group, e.g. 'io', 'cli', 'plugins'. */
  suite: string;
  name: string;
  /** Median of the samples, in `unit`. */
  median: number;
  unit: 'ms' | 's' | 'us' | 'ns' | 'MB/s' | 'GB/s' | 'x' | 'items/s' | 'MB' | '%';
  samples?: number[];
  /** A target from the issue, as text, e.g. '>= 1 GB/s'. */
  target?: string;
  /** Whether the target was met, when there is one. */
  ok?: boolean;
  note?: string;
}

export type Report = (r: BenchRecord) => void;

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 ? s[(n - 1) >> 1]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

/** Time `fn` `n` times (after `warmup` untimed runs); returns milliseconds per run. */
export async function timeRuns(fn: () => unknown | Promise<unknown>, n: number, warmup = 1): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    out.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return out;
}
