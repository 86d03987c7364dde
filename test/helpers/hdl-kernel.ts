/**
 * Simulates one generated node alone with the project's harness (src/sim, Icarus: hundreds of small builds
 * compile fast) over several stall settings, and compares its output words bit-exactly with the expected ones.
 */
import path from 'node:path';
import type { GeneratedNode } from '../../src/index.js';
import { paddedWidth } from '../../src/hdl/index.js';
import { buildSimulation, finnNodeInterface, runSimulation } from '../../src/sim/index.js';
import { writeNode, type WrittenNode } from './hdl-sim.js';
import { repoRoot } from './paths.js';
import { tempDir } from './tmp.js';

/** Stall settings every case runs: none, then input valid and output ready each held low 30% / 60% of cycles. */
export const STALLS = [{ stall: 0, seed: 1 }, { stall: 0.3, seed: 7 }, { stall: 0.6, seed: 11 }];

export interface KernelCase {
  gen: GeneratedNode;
  /** Kernel folder name under kernels/ (library paths are relative to it). */
  kernel: string;
  inBits: number;
  outBits: number;
  inWords: bigint[];
  expected: bigint[];
}

export interface CaseResult {
  node: WrittenNode;
  /** Cycles of the unstalled run (from the end of reset to the last output handshake). */
  cycles: number;
  errors: string[];
}

let cache: string | undefined;

export async function runCase(c: KernelCase): Promise<CaseResult> {
  const node = writeNode(c.gen, path.join(repoRoot, 'kernels', c.kernel));
  cache ??= tempDir('bs-hdl-cache-');
  const dut = finnNodeInterface(node.top, [paddedWidth(c.inBits)], [paddedWidth(c.outBits)]);
  const build = await buildSimulation({ sources: node.sources, dut }, { simulator: 'icarus', cacheDir: cache });
  const errors: string[] = [];
  let cycles = -1;
  for (const s of STALLS) {
    const r = await runSimulation(build, { inputs: [c.inWords], expected: [c.expected.length], stall: s.stall, seed: s.seed, cwd: node.dir, idleTimeout: 10_000 });
    if (s.stall === 0) cycles = r.totalCycles;
    const words = r.outputs[0]!;
    const bad = c.expected.findIndex((w, i) => words[i] !== w);
    if (words.length !== c.expected.length) errors.push(`stall ${s.stall}: ${words.length} words, expected ${c.expected.length}`);
    else if (bad >= 0) errors.push(`stall ${s.stall}: word ${bad} is ${words[bad]!.toString(16)}, expected ${c.expected[bad]!.toString(16)}`);
  }
  return { node, cycles, errors };
}

/** A seeded generator of integers in [lo, hi]. */
export function rng(seed: number): (lo: number, hi: number) => number {
  let s = seed >>> 0 || 1;
  return (lo, hi) => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return lo + (s % (hi - lo + 1));
  };
}
