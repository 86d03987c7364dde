/**
 * FINN's rtlsim_performance.json (reference §4.2) from one simulation of N frames: `cycles` from reset release
 * to the last output word; `latency_cycles` to the last word of the first frame; throughput N / runtime;
 * `stable_throughput` N / (cycles − latency) past the first frame (FINN's formula; equal to throughput for
 * N = 1); DRAM bandwidths from the bytes the top's streams carry per frame (TDATA bytes × words).
 */
import type { StreamInfo } from '../codegen/design.js';

export interface RtlsimPerformance {
  cycles: number;
  'runtime[ms]': number;
  'throughput[images/s]': number;
  'DRAM_in_bandwidth[MB/s]': number;
  'DRAM_out_bandwidth[MB/s]': number;
  'fclk[mhz]': number;
  N: number;
  latency_cycles: number;
  'stable_throughput[images/s]': number;
}

export interface PerformanceInput {
  frames: number;
  clockNs: number;
  /** Cycles of the whole run. */
  cycles: number;
  /** Cycle count at the last word of the first frame on output 0. */
  latencyCycles: number;
  inputs: readonly StreamInfo[];
  outputs: readonly StreamInfo[];
}

function bytesPerFrame(streams: readonly StreamInfo[]): number {
  return streams.reduce((a, s) => a + (s.width / 8) * (s.wordsPerFrame ?? 0), 0);
}

export function rtlsimPerformance(p: PerformanceInput): RtlsimPerformance {
  const seconds = p.cycles * p.clockNs * 1e-9;
  const throughput = p.frames / seconds;
  const stable = p.frames === 1 ? throughput : p.frames / ((p.cycles - p.latencyCycles) * p.clockNs * 1e-9);
  return {
    cycles: p.cycles,
    'runtime[ms]': seconds * 1e3,
    'throughput[images/s]': throughput,
    'DRAM_in_bandwidth[MB/s]': (bytesPerFrame(p.inputs) * p.frames) / seconds / 1e6,
    'DRAM_out_bandwidth[MB/s]': (bytesPerFrame(p.outputs) * p.frames) / seconds / 1e6,
    'fclk[mhz]': 1000 / p.clockNs,
    N: p.frames,
    latency_cycles: p.latencyCycles,
    'stable_throughput[images/s]': stable,
  };
}
