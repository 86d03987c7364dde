/**
 * The dataflow model: a pure, cycle-level prediction of a stitched design from each node's stream behaviour
 * (src/plugins/types.ts `StreamBehaviour`). Every stream between two nodes is one sequence of handshakes that
 * both nodes' rules constrain; every event happens at the earliest cycle its rules allow (a max-plus system
 * solved event by event, waking a sequence when the one it waits for moves). Graph inputs are driven one word
 * per cycle from cycle 0, graph outputs are always ready. A FIFO's "full" rule (write j waits one cycle after
 * read j − depth) comes from its depth, or is left out to measure the occupancy deep FIFOs would reach. Events
 * that can never happen are a deadlock, reported with the FIFOs that are full at that point.
 */
import { BrainsmithError } from '../errors.js';
import type { StreamBehaviour } from '../plugins/types.js';

export interface DataflowNode {
  name: string;
  behaviour: StreamBehaviour;
  /** Tensor of each input stream (`in<i>`). */
  inputs: readonly string[];
  /** Tensor of each output stream (`out<k>`). */
  outputs: readonly string[];
}

export interface DataflowOptions {
  /** Frames driven through the design (default 4). */
  frames?: number;
  /** Leave out every FIFO's "full" rule (FINN's "every FIFO deep" run). */
  deep?: boolean;
  /** FIFO depths by node name, instead of their own. */
  depths?: Readonly<Record<string, number>>;
  /**
   * Cycles per frame at which graph inputs are driven, spread evenly over the frame's words (FINN's Python
   * FIFO sizing drives its input this way); default: one word per cycle whenever the design takes it.
   */
  sourceInterval?: number;
  /** Stop (as an error) beyond this many events in all (default 50 million). */
  maxEvents?: number;
}

export interface FifoOccupancy {
  name: string;
  /** The depth the run used (Infinity when deep). */
  depth: number;
  /** Most words stored at once. */
  maxCount: number;
  /** The smallest depth with which no write of this run would have waited: max over writes of (count + 1). */
  needed: number;
}

export interface DataflowResult {
  ok: boolean;
  frames: number;
  /** Cycles until the last output word (+1), as rtlsim_performance.json's `cycles`. */
  cycles: number;
  /** Cycles until the last word of the first frame on the first output (+1). */
  latency: number;
  /** Steady-state cycles per frame: (last frame's end − first frame's end) / (frames − 1). */
  interval: number;
  fifos: FifoOccupancy[];
  /** Last output cycle of each frame on the first output. */
  frameEnds: number[];
  /** Cycle of every word on each graph output (a stream no node consumes), in node order. */
  outputs: number[][];
  deadlock?: { message: string; fullFifos: string[]; stuck: string[] };
  events: number;
}

interface Rule {
  on: number;
  word: (j: number) => number | undefined;
  delay: number;
  /** Per-frame counts of the rule's own sequence and of the one it waits for. */
  wAt: number;
  wOn: number;
}

interface Seq {
  label: string;
  perFrame: number;
  total: number;
  times: Float64Array;
  cursor: number;
  rules: Rule[];
  waiting: number[];
  /** A graph input (no producer). */
  source: boolean;
}

class UnionFind {
  parent: number[] = [];
  add(): number {
    this.parent.push(this.parent.length);
    return this.parent.length - 1;
  }
  find(x: number): number {
    while (this.parent[x] !== x) {
      this.parent[x] = this.parent[this.parent[x]!]!;
      x = this.parent[x]!;
    }
    return x;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[rb] = ra;
  }
}

function modelError(message: string): BrainsmithError {
  return new BrainsmithError('E_FIFO_MODEL', message, { kind: 'input' });
}

/** Solves the design's stream rules for `frames` frames. */
export function runDataflow(nodes: readonly DataflowNode[], opts: DataflowOptions = {}): DataflowResult {
  const frames = opts.frames ?? 4;
  if (!(Number.isInteger(frames) && frames >= 1)) throw modelError(`frames must be a positive integer, got ${frames}`);
  const uf = new UnionFind();
  const ids = new Map<string, number>();
  const labels: string[] = [];
  const perFrame: number[] = [];
  const key = (n: number, s: string): string => `${n}\0${s}`;
  nodes.forEach((n, ni) => {
    for (const [s, w] of Object.entries(n.behaviour.words)) {
      ids.set(key(ni, s), uf.add());
      labels.push(`${n.name}.${s}`);
      perFrame.push(w);
    }
  });
  const idOf = (ni: number, s: string): number => {
    const id = ids.get(key(ni, s));
    if (id === undefined) throw modelError(`node '${nodes[ni]!.name}': its stream behaviour has no sequence '${s}'`);
    return id;
  };
  const join = (a: number, b: number, why: string): void => {
    if (perFrame[a] !== perFrame[b]) throw modelError(`${why}: ${labels[a]} moves ${perFrame[a]} words per frame, ${labels[b]} ${perFrame[b]}`);
    uf.union(a, b);
  };
  // Streams: a producer's out<k> and its consumer's in<i> are one handshake sequence.
  const producer = new Map<string, number>();
  nodes.forEach((n, ni) => n.outputs.forEach((t, k) => producer.set(t, idOf(ni, `out${k}`))));
  const consumed = new Set<string>();
  nodes.forEach((n, ni) => {
    for (const g of n.behaviour.together ?? []) for (const s of g.slice(1)) join(idOf(ni, g[0]!), idOf(ni, s), `node '${n.name}' moves ${g.join(', ')} together`);
    n.inputs.forEach((t, i) => {
      consumed.add(t);
      const p = producer.get(t);
      if (p !== undefined) join(p, idOf(ni, `in${i}`), `stream '${t}'`);
    });
  });

  const roots = new Map<number, number>();
  const seqs: Seq[] = [];
  const seqOf = (id: number): number => {
    const r = uf.find(id);
    let s = roots.get(r);
    if (s === undefined) {
      s = seqs.length;
      roots.set(r, s);
      seqs.push({ label: labels[r]!, perFrame: perFrame[r]!, total: perFrame[r]! * frames, times: new Float64Array(perFrame[r]! * frames), cursor: 0, rules: [], waiting: [], source: false });
    }
    return s;
  };
  for (const id of ids.values()) seqOf(id);
  nodes.forEach((n, ni) => n.inputs.forEach((t, i) => {
    if (!producer.has(t)) seqs[seqOf(idOf(ni, `in${i}`))]!.source = true;
  }));
  const spread = opts.sourceInterval;
  const fifoNodes: Array<{ name: string; depth: number; push: number; pop: number }> = [];
  nodes.forEach((n, ni) => {
    const b = n.behaviour;
    for (const r of b.rules) {
      seqs[seqOf(idOf(ni, r.at))]!.rules.push({ on: seqOf(idOf(ni, r.on)), word: r.word, delay: r.delay, wAt: b.words[r.at]!, wOn: b.words[r.on]! });
    }
    if (b.fifo) {
      const depth = opts.deep ? Infinity : opts.depths?.[n.name] ?? b.fifo.depth;
      const push = seqOf(idOf(ni, 'in0'));
      const pop = seqOf(idOf(ni, 'out0'));
      fifoNodes.push({ name: n.name, depth, push, pop });
      if (Number.isFinite(depth)) {
        const d = depth;
        seqs[push]!.rules.push({ on: pop, word: (j) => j - d, delay: 1, wAt: 1, wOn: 1 });
      }
    }
  });

  // Solve: a stack of sequences to advance; one that waits on another is woken when that one moves.
  const maxEvents = opts.maxEvents ?? 50_000_000;
  let events = 0;
  const stack: number[] = seqs.map((_, i) => i);
  const queued = new Uint8Array(seqs.length).fill(1);
  while (stack.length) {
    const v = stack.pop()!;
    queued[v] = 0;
    const s = seqs[v]!;
    let advanced = false;
    let blockedOn = -1;
    while (s.cursor < s.total) {
      const j = s.cursor;
      let t = j > 0 ? s.times[j - 1]! + 1 : 0;
      if (spread && s.source) t = Math.max(t, Math.floor((j * spread) / s.perFrame));
      for (const r of s.rules) {
        const f = Math.floor(j / r.wAt);
        const w = r.word(j - f * r.wAt);
        if (w === undefined) continue;
        const g = f * r.wOn + w;
        if (g < 0) continue;
        const o = seqs[r.on]!;
        if (g >= o.total) continue;
        if (g >= o.cursor) {
          if (r.on === v) throw modelError(`sequence ${s.label}: event ${j} waits for event ${g} of its own sequence`);
          blockedOn = r.on;
          break;
        }
        const c = o.times[g]! + r.delay;
        if (c > t) t = c;
      }
      if (blockedOn >= 0) break;
      s.times[j] = t;
      s.cursor++;
      advanced = true;
      if (++events > maxEvents) throw modelError(`the model stopped after ${maxEvents} events (a design this large needs fewer frames)`);
    }
    if (blockedOn >= 0) seqs[blockedOn]!.waiting.push(v);
    if (advanced) {
      for (const w of s.waiting) if (!queued[w]) {
        queued[w] = 1;
        stack.push(w);
      }
      s.waiting = [];
    }
  }

  const fifos: FifoOccupancy[] = fifoNodes.map((f) => ({ name: f.name, depth: f.depth, ...occupancy(seqs[f.push]!, seqs[f.pop]!) }));
  const sinks = nodes.flatMap((n, ni) => n.outputs.map((t, k) => ({ t, s: seqOf(idOf(ni, `out${k}`)) }))).filter((o) => !consumed.has(o.t));
  const stuck = seqs.filter((s) => s.cursor < s.total);
  const first = sinks[0] ? seqs[sinks[0].s]! : undefined;
  const frameEnds: number[] = [];
  if (first) for (let f = 0; f < frames && (f + 1) * first.perFrame <= first.cursor; f++) frameEnds.push(first.times[(f + 1) * first.perFrame - 1]! + 1);
  const cycles = Math.max(0, ...sinks.map((o) => {
    const s = seqs[o.s]!;
    return s.cursor ? s.times[s.cursor - 1]! + 1 : 0;
  }));
  const result: DataflowResult = {
    ok: stuck.length === 0,
    frames,
    cycles,
    latency: frameEnds[0] ?? 0,
    interval: frameEnds.length > 1 ? (frameEnds.at(-1)! - frameEnds[0]!) / (frameEnds.length - 1) : frameEnds[0] ?? 0,
    fifos,
    frameEnds,
    outputs: sinks.map((o) => Array.from(seqs[o.s]!.times.subarray(0, seqs[o.s]!.cursor))),
    events,
  };
  if (stuck.length) {
    const full = fifoNodes.filter((f) => Number.isFinite(f.depth) && seqs[f.push]!.cursor - seqs[f.pop]!.cursor >= f.depth && seqs[f.push]!.cursor < seqs[f.push]!.total);
    const fullNames = full.map((f) => f.name);
    const where = full.length
      ? `FIFO ${full.map((f) => `${f.name} (depth ${f.depth})`).join(', ')} ${full.length === 1 ? 'is' : 'are'} full while the design waits for ${stuck.slice(0, 3).map((s) => `${s.label} word ${s.cursor}`).join(', ')}`
      : `nothing can move: ${stuck.slice(0, 3).map((s) => `${s.label} waits at word ${s.cursor}`).join(', ')}`;
    result.deadlock = { message: `deadlock after ${events} events: ${where}`, fullFifos: fullNames, stuck: stuck.map((s) => s.label) };
  }
  return result;
}

/** Most words stored at once, and the depth a FIFO needs so that no write waits: max over writes of count + 1. */
function occupancy(push: Seq, pop: Seq): { maxCount: number; needed: number } {
  let popped = 0;
  let needed = 0;
  for (let j = 0; j < push.cursor; j++) {
    const t = push.times[j]!;
    while (popped < pop.cursor && pop.times[popped]! < t) popped++;
    const count = j - popped;
    if (count + 1 > needed) needed = count + 1;
  }
  // The count after each write: also before any read of that cycle (reads happen in later cycles than writes).
  let maxCount = 0;
  popped = 0;
  for (let j = 0; j < push.cursor; j++) {
    const t = push.times[j]!;
    while (popped < pop.cursor && pop.times[popped]! <= t) popped++;
    const count = j + 1 - popped;
    if (count > maxCount) maxCount = count;
  }
  return { maxCount, needed: Math.max(needed, maxCount) };
}

/** FINN's optimize_depth (reference §4.3): ≤ 2 → 2, ≤ 32 → 32, otherwise unchanged. */
export function finnFifoDepth(needed: number): number {
  if (needed <= 2) return 2;
  if (needed <= 32) return 32;
  return needed;
}
