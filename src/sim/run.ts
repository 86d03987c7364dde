/**
 * Runs a built simulation on stream words: writes one input file per input stream, passes files, counts,
 * stall probability and seed as plusargs, and reads back each output's words with the cycle of each
 * handshake. A design that stops moving before the expected output count is a deadlock error.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BrainsmithError } from '../errors.js';
import type { SimBuild } from './build.js';
import { runTool, tail } from './process.js';
import { bytesOf } from './testbench.js';

export interface SimStimulus {
  /** Words per input stream, in the order of the design's inputs. */
  inputs: readonly (readonly bigint[])[];
  /** Output words to wait for, per output stream. */
  expected: readonly number[];
  /** Probability (0 ≤ P < 1) that an input's TVALID or an output's TREADY is held low in a cycle. */
  stall?: number;
  /** Per-stream stall probabilities that replace `stall` for that stream (several-stream designs). */
  streamStalls?: { inputs?: readonly (number | undefined)[]; outputs?: readonly (number | undefined)[] };
  seed?: number;
  /** Cycles without any handshake after which the run is a deadlock (default 1,000,000). */
  idleTimeout?: number;
  /** Folder the simulation runs in: where relative `$readmemh` paths are found (default: the work folder). */
  cwd?: string;
  /** Where the stream files go (default: a temporary folder, removed afterwards). */
  workDir?: string;
}

export interface SimResult {
  /** Words per output stream. */
  outputs: bigint[][];
  /** Cycle (after reset) of each output word's handshake, per output stream. */
  cycles: number[][];
  /** Cycles from reset release to the last output word. */
  totalCycles: number;
  /** Wall time of the simulation run. */
  ms: number;
  /** Per occupancy probe of the design (testbench `probes`): the most words it held, counting a write in progress. */
  probes: number[];
}

/** Words as the testbench reads them: ceil(width/8) bytes each, most significant byte first. */
export function wordBytes(words: readonly bigint[], width: number): Buffer {
  const n = bytesOf(width);
  const max = (1n << BigInt(width)) - 1n;
  const buf = Buffer.alloc(words.length * n);
  words.forEach((w, k) => {
    if (w < 0n || w > max) throw new BrainsmithError('E_SIM_STIMULUS', `input word ${w} does not fit the ${width}-bit stream`, { kind: 'work' });
    if (n <= 6) {
      buf.writeUIntBE(Number(w), k * n, n);
      return;
    }
    let v = w;
    for (let b = n - 1; b >= 0; b--) {
      buf[k * n + b] = Number(v & 0xffn);
      v >>= 8n;
    }
  });
  return buf;
}

function parseOutput(text: string, stream: string): { words: bigint[]; cycles: number[] } {
  const words: bigint[] = [];
  const cycles: number[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    const sp = line.indexOf(' ');
    const hex = line.slice(0, sp);
    if (!/^[0-9a-f]+$/i.test(hex)) {
      throw new BrainsmithError('E_SIM_X', `output ${stream} word ${words.length} has undefined bits (${hex}): a register without reset or an undriven signal reaches the output`, { kind: 'work' });
    }
    words.push(BigInt(`0x${hex}`));
    cycles.push(Number(line.slice(sp + 1)));
  }
  return { words, cycles };
}

/** Runs `build` on the stimulus. */
export async function runSimulation(build: SimBuild, stim: SimStimulus): Promise<SimResult> {
  const { dut } = build;
  if (stim.inputs.length !== dut.inputs.length) throw new BrainsmithError('E_SIM_STIMULUS', `${dut.module} has ${dut.inputs.length} input stream(s), got words for ${stim.inputs.length}`, { kind: 'work' });
  if (stim.expected.length !== dut.outputs.length) throw new BrainsmithError('E_SIM_STIMULUS', `${dut.module} has ${dut.outputs.length} output stream(s), got counts for ${stim.expected.length}`, { kind: 'work' });
  const stall = stim.stall ?? 0;
  if (!(stall >= 0 && stall < 1)) throw new BrainsmithError('E_USAGE', `the stall probability must be in [0, 1), got ${stall}`, { kind: 'usage' });
  const own = !stim.workDir;
  const work = stim.workDir ?? mkdtempSync(path.join(os.tmpdir(), 'brainsmith-sim-'));
  try {
    const args = [...build.args];
    stim.inputs.forEach((words, i) => {
      const f = path.join(work, `in${i}.bin`);
      writeFileSync(f, wordBytes(words, dut.inputs[i]!.width));
      args.push(`+in${i}=${f}`, `+nin${i}=${words.length}`);
    });
    const outFiles = stim.expected.map((n, k) => {
      const f = path.join(work, `out${k}.txt`);
      args.push(`+out${k}=${f}`, `+nout${k}=${n}`);
      return f;
    });
    args.push(`+stall=${Math.round(stall * 65536)}`, `+seed=${stim.seed ?? 1}`, `+timeout=${stim.idleTimeout ?? 1_000_000}`);
    const streamStall = (kind: 'in' | 'out', list: readonly (number | undefined)[] | undefined) => list?.forEach((p, i) => {
      if (p === undefined) return;
      if (!(p >= 0 && p < 1)) throw new BrainsmithError('E_USAGE', `the stall probability of ${kind}${i} must be in [0, 1), got ${p}`, { kind: 'usage' });
      args.push(`+stall_${kind}${i}=${Math.round(p * 65536)}`);
    });
    streamStall('in', stim.streamStalls?.inputs);
    streamStall('out', stim.streamStalls?.outputs);
    const r = await runTool(build.command, args, { cwd: stim.cwd ?? work });
    const out = `${r.stdout}\n${r.stderr}`;
    const status = out.split('\n').find((l) => l.startsWith('BSIM ') && !l.startsWith('BSIM PROBE'));
    if (!status || status.startsWith('BSIM ERROR') || r.code !== 0) {
      throw new BrainsmithError('E_SIM_RUN', `the simulation of ${dut.module} failed: ${status ?? (tail(out) || `exit code ${r.code}`)}`, { kind: 'work' });
    }
    if (status.startsWith('BSIM TIMEOUT')) {
      const counts = status.replace(/^BSIM TIMEOUT cycles=\d+ /, '');
      const at = /cycles=(\d+)/.exec(status)?.[1];
      throw new BrainsmithError('E_SIM_DEADLOCK', `${dut.module} stopped moving: no stream handshake for ${stim.idleTimeout ?? 1_000_000} cycles (cycle ${at}; words ${describeCounts(counts, build)}); the design deadlocked or produces fewer output words than expected`, { kind: 'work' });
    }
    const outputs: bigint[][] = [];
    const cycles: number[][] = [];
    outFiles.forEach((f, k) => {
      const p = parseOutput(readFileSync(f, 'utf8'), dut.outputs[k]!.tdata);
      outputs.push(p.words);
      cycles.push(p.cycles);
    });
    const total = Number(/cycles=(\d+)/.exec(status)?.[1] ?? 0);
    const probes: number[] = [];
    for (const l of out.split('\n')) {
      const m = /^BSIM PROBE (\d+) (\d+)/.exec(l);
      if (m) probes[Number(m[1])] = Number(m[2]);
    }
    return { outputs, cycles, totalCycles: total, ms: r.ms, probes };
  } finally {
    if (own) rmSync(work, { recursive: true, force: true });
  }
}

/** `in0=3/10 out0=0/4` with the port names: `in0_V_TDATA 3/10, out_V_TDATA 0/4`. */
function describeCounts(counts: string, build: SimBuild): string {
  return counts
    .split(' ')
    .map((c) => {
      const m = /^(in|out)(\d+)=(.*)$/.exec(c);
      if (!m) return c;
      const s = (m[1] === 'in' ? build.dut.inputs : build.dut.outputs)[Number(m[2])];
      return `${s ? s.tdata.replace(/_(TDATA|tdata)$/, '') : c} ${m[3]}`;
    })
    .join(', ');
}
