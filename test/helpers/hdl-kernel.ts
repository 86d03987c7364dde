/** Runs a generated node in the Icarus harness over several stall settings and compares words bit-exactly. */
import path from 'node:path';
import type { GeneratedNode } from '../../src/index.js';
import { compileTb, writeNode, type WrittenNode } from './hdl-sim.js';
import { repoRoot } from './paths.js';

/** Stall settings every case runs: none, then input valid and output ready each dropped 30% / 60% of cycles. */
export const STALLS = [{ stall: 0, seed: 1 }, { stall: 30, seed: 7 }, { stall: 60, seed: 11 }];

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

export function runCase(c: KernelCase): CaseResult {
  const node = writeNode(c.gen, path.join(repoRoot, 'kernels', c.kernel));
  const tb = compileTb(node, c.inBits, c.outBits, c.inWords.length, c.expected.length);
  const errors: string[] = [];
  let cycles = -1;
  for (const s of STALLS) {
    const r = tb.run(c.inWords, s);
    if (s.stall === 0) cycles = r.cycles;
    const bad = c.expected.findIndex((w, i) => r.words[i] !== w);
    if (r.words.length !== c.expected.length) errors.push(`stall ${s.stall}%: ${r.words.length} words, expected ${c.expected.length}`);
    else if (bad >= 0) errors.push(`stall ${s.stall}%: word ${bad} is ${r.words[bad]!.toString(16)}, expected ${c.expected[bad]!.toString(16)}`);
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
