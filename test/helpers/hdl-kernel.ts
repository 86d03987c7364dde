/**
 * Simulates one generated node alone with the project's harness (src/sim, Icarus: hundreds of small builds
 * compile fast) over several stall settings, and compares its output words bit-exactly with the expected ones.
 * A node may have several input and output streams (FINN's `in<i>_V`, `out_V` or `out<k>_V`): the testbench
 * throttles every input's TVALID and every output's TREADY with its own seeded random sequence, so the
 * streams stall independently of each other.
 */
import path from 'node:path';
import type { GeneratedNode } from '../../src/index.js';
import { paddedWidth } from '../../src/hdl/index.js';
import { datatype } from '../../src/estimate/index.js';
import { buildSimulation, finnNodeInterface, runSimulation } from '../../src/sim/index.js';
import { parseStatCells, resourcesOfCells } from '../../src/synth/stat.js';
import { synth, writeNode, type WrittenNode } from './hdl-sim.js';
import { repoRoot } from './paths.js';
import { tempDir } from './tmp.js';

/** Stall settings every case runs: none, then input valid and output ready each held low 30% / 60% of cycles. */
export const STALLS: readonly StallSetting[] = [{ stall: 0, seed: 1 }, { stall: 0.3, seed: 7 }, { stall: 0.6, seed: 11 }];

export interface StallSetting {
  stall: number;
  seed: number;
  inputs?: readonly (number | undefined)[];
  outputs?: readonly (number | undefined)[];
}

/**
 * Lopsided stalls for several-stream kernels: stream 0 (input and output) never stalls while the others stall
 * 90% of the cycles, then the reverse.
 */
export function lopsidedStalls(inputs: number, outputs: number): StallSetting[] {
  const first = (n: number, p0: number, rest: number) => Array.from({ length: n }, (_, i) => (i === 0 ? p0 : rest));
  return [
    { stall: 0, seed: 17, inputs: first(inputs, 0, 0.9), outputs: first(outputs, 0, 0.9) },
    { stall: 0, seed: 19, inputs: first(inputs, 0.9, 0), outputs: first(outputs, 0.9, 0) },
  ];
}

export interface KernelCase {
  gen: GeneratedNode;
  /** Kernel folder name under kernels/ (library paths are relative to it). */
  kernel: string;
  /** Data bits of the input stream, or of each input stream (TDATA is this padded to a multiple of 8). */
  inBits: number | readonly number[];
  /** Data bits of the output stream, or of each output stream. */
  outBits: number | readonly number[];
  /** Words of the input stream, or one list per input stream (with `inBits` a list). */
  inWords: readonly bigint[] | readonly (readonly bigint[])[];
  /** Expected words of the output stream, or one list per output stream (with `outBits` a list). */
  expected: readonly bigint[] | readonly (readonly bigint[])[];
  /** Stall settings (default STALLS); `inputs`/`outputs` give single streams their own stall probability. */
  stalls?: readonly StallSetting[];
}

export interface CaseResult {
  node: WrittenNode;
  /** Cycles of the unstalled run (from the end of reset to the last output handshake). */
  cycles: number;
  errors: string[];
}

let cache: string | undefined;

/** One list per stream: a single stream's words become a list of one. */
function perStream(multi: boolean, words: KernelCase['inWords']): readonly (readonly bigint[])[] {
  return multi ? (words as readonly (readonly bigint[])[]) : [words as readonly bigint[]];
}

export async function runCase(c: KernelCase): Promise<CaseResult> {
  const node = writeNode(c.gen, path.join(repoRoot, 'kernels', c.kernel));
  cache ??= tempDir('bs-hdl-cache-');
  const inBits = typeof c.inBits === 'number' ? [c.inBits] : c.inBits;
  const outBits = typeof c.outBits === 'number' ? [c.outBits] : c.outBits;
  const inWords = perStream(typeof c.inBits !== 'number', c.inWords);
  const expected = perStream(typeof c.outBits !== 'number', c.expected);
  if (inWords.length !== inBits.length || expected.length !== outBits.length) {
    throw new Error(`runCase: ${inBits.length} input / ${outBits.length} output widths but ${inWords.length} / ${expected.length} word lists`);
  }
  const dut = finnNodeInterface(node.top, inBits.map(paddedWidth), outBits.map(paddedWidth));
  const build = await buildSimulation({ sources: node.sources, dut }, { simulator: 'icarus', cacheDir: cache });
  const errors: string[] = [];
  let cycles = -1;
  for (const s of c.stalls ?? STALLS) {
    const streamStalls = s.inputs || s.outputs ? { inputs: s.inputs, outputs: s.outputs } : undefined;
    const r = await runSimulation(build, { inputs: inWords, expected: expected.map((e) => e.length), stall: s.stall, ...(streamStalls ? { streamStalls } : {}), seed: s.seed, cwd: node.dir, idleTimeout: 10_000 });
    if (s.stall === 0 && !streamStalls) cycles = r.totalCycles;
    expected.forEach((want, k) => {
      const words = r.outputs[k]!;
      const at = expected.length === 1 ? '' : ` output ${k}`;
      const what = streamStalls ? `stalls in ${JSON.stringify(s.inputs ?? [])} out ${JSON.stringify(s.outputs ?? [])}` : `stall ${s.stall}`;
      const bad = want.findIndex((w, i) => words[i] !== w);
      if (words.length !== want.length) errors.push(`${what}${at}: ${words.length} words, expected ${want.length}`);
      else if (bad >= 0) errors.push(`${what}${at}: word ${bad} is ${words[bad]!.toString(16)}, expected ${want[bad]!.toString(16)}`);
    });
  }
  return { node, cycles, errors };
}

/** A seeded generator of integers in [lo, hi]. */
export { seededInts as rng } from '../../src/util/prng.js';

/**
 * A random element of the datatype (BIPOLAR as ±1) from a seeded generator, within ±2^23 so that the float32
 * tensors `execute` reads and writes hold it (and the sum or difference of two) exactly.
 */
export function randomValue(dt: string, r: (lo: number, hi: number) => number): number {
  if (dt === 'BIPOLAR') return r(0, 1) ? 1 : -1;
  const t = datatype(dt);
  return r(Math.max(t.min(), -(2 ** 23)), Math.min(t.max(), 2 ** 23));
}

/** Cells of Yosys `synth_xilinx` in the units of an estimate: LUTs (LUT1–LUT6), BRAM_18K (RAMB36 = 2), URAM, DSP. */
export function synthCells(node: WrittenNode): { LUT: number; BRAM_18K: number; URAM: number; DSP: number } {
  // Counted as the synthesis report counts (src/synth/stat.ts: INV and LUTRAM cells are LUTs).
  const r = resourcesOfCells(parseStatCells(synth(node)) ?? {});
  return { LUT: r.LUT, BRAM_18K: r.BRAM_18K + 2 * r.BRAM_36K, URAM: r.URAM, DSP: r.DSP };
}

/**
 * Why an estimate does not predict Yosys's cells (undefined: it does): BRAM, URAM and DSP exactly; LUTs within
 * 15% above 100 LUTs, within 15 LUTs below.
 */
export function estimateMisses(est: Record<string, number>, got: ReturnType<typeof synthCells>): string | undefined {
  for (const k of ['BRAM_18K', 'URAM', 'DSP'] as const) if ((est[k] ?? 0) !== got[k]) return `${k} estimated ${est[k]}, Yosys ${got[k]}`;
  const lut = est.LUT ?? 0;
  const ok = got.LUT > 100 ? Math.abs(lut - got.LUT) <= 0.15 * got.LUT : Math.abs(lut - got.LUT) <= 15;
  return ok ? undefined : `LUT estimated ${lut}, Yosys ${got.LUT}`;
}
