// The dataflow model (src/fifo-sizing) on small hand-checked graphs: timing of a chain, a FIFO that fills in
// front of a bursty consumer, a reconvergent path whose short branch deadlocks, FINN's depth rounding, and
// the default behaviour of a kernel without the hook.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { finnFifoDepth, runDataflow, type DataflowNode } from '../src/fifo-sizing/dataflow-model.js';
import { defaultStreamBehaviour, reduceBehaviour } from '../src/fifo-sizing/behaviour.js';
import type { KernelNodeView, StreamBehaviour } from '../src/plugins/types.js';

const fifo = (words: number, depth: number): StreamBehaviour => ({
  words: { in0: words, out0: words },
  rules: [{ at: 'out0', on: 'in0', word: (j) => j, delay: 1 }],
  fifo: { depth },
});

/** Reads a whole frame of `n` words, computes `busy` cycles, writes one word; takes the next frame once it left. */
const burst = (n: number, busy: number): StreamBehaviour => ({
  words: { in0: n, out0: 1 },
  rules: [
    { at: 'out0', on: 'in0', word: () => n - 1, delay: busy },
    { at: 'in0', on: 'out0', word: (i) => (i === 0 ? -1 : undefined), delay: 0 },
  ],
});

test('a chain: one word per cycle through a register, a FIFO, and a 4-to-1 reduction (hand-checked cycles)', () => {
  const nodes: DataflowNode[] = [
    { name: 'A', behaviour: reduceBehaviour(8, 1), inputs: ['x'], outputs: ['a'] },
    { name: 'F', behaviour: fifo(8, 2), inputs: ['a'], outputs: ['f'] },
    { name: 'B', behaviour: reduceBehaviour(8, 4), inputs: ['f'], outputs: ['y'] },
  ];
  // A takes word i at cycle i and offers it at i+1; the FIFO offers it at i+2; B's output o follows its
  // word 4o+3 (cycle 4o+5) by one cycle: 4o+6. Two frames of 2 outputs: last at 18.
  const r = runDataflow(nodes, { frames: 2 });
  assert.equal(r.ok, true);
  assert.equal(r.cycles, 19);
  assert.equal(r.latency, 11);
  assert.deepEqual(r.frameEnds, [11, 19]);
  assert.equal(r.interval, 8);
  assert.deepEqual(r.fifos, [{ name: 'F', depth: 2, maxCount: 1, needed: 2 }]);
});

test('a bursty consumer: the period is its own (read 8, compute 10), with a FIFO of depth 2 or unbounded', () => {
  const nodes = (depth: number): DataflowNode[] => [
    { name: 'A', behaviour: reduceBehaviour(8, 1), inputs: ['x'], outputs: ['a'] },
    { name: 'F', behaviour: fifo(8, depth), inputs: ['a'], outputs: ['f'] },
    { name: 'B', behaviour: burst(8, 10), inputs: ['f'], outputs: ['y'] },
  ];
  // Frame 0: B reads at 2..9, writes at 19; frame 1 starts in that cycle: 19..26, writes at 36.
  for (const r of [runDataflow(nodes(2), { frames: 3 }), runDataflow(nodes(2), { frames: 3, deep: true })]) {
    assert.equal(r.ok, true);
    assert.deepEqual(r.frameEnds, [20, 37, 54]);
    assert.equal(r.interval, 17);
  }
  // Unbounded, the FIFO holds what A makes while B computes: more every frame (A is faster).
  const deep = runDataflow(nodes(2), { frames: 3, deep: true });
  assert.equal(deep.fifos[0]!.depth, Infinity);
  assert.ok(deep.fifos[0]!.maxCount > 8, JSON.stringify(deep.fifos));
  // Driven at B's own rate (17 cycles per frame, spread), it needs far less.
  const paced = runDataflow(nodes(2), { frames: 3, deep: true, sourceInterval: 17 });
  assert.ok(paced.fifos[0]!.needed < deep.fifos[0]!.needed, JSON.stringify(paced.fifos));
  assert.deepEqual(paced.frameEnds.slice(1).map((e, i) => e - paced.frameEnds[i]!), [17, 17]);
});

/** DuplicateStreams → (a frame-buffering node | a FIFO) → AddStreams: the residual block. */
function residual(shortDepth: number): DataflowNode[] {
  const dup: StreamBehaviour = {
    words: { in0: 8, out0: 8, out1: 8 },
    rules: [
      { at: 'in0', on: 'out0', word: (i) => i - 1, delay: 0 },
      { at: 'out0', on: 'in0', word: (j) => j, delay: 1 },
    ],
    together: [['out0', 'out1']],
  };
  const add: StreamBehaviour = {
    words: { in0: 8, in1: 8, out0: 8 },
    rules: [
      { at: 'in0', on: 'out0', word: (i) => i - 1, delay: 0 },
      { at: 'out0', on: 'in0', word: (j) => j, delay: 1 },
    ],
    together: [['in0', 'in1']],
  };
  // The long branch needs a whole frame before its first word (a line buffer, say), then streams it out.
  const long: StreamBehaviour = {
    words: { in0: 8, out0: 8 },
    rules: [
      { at: 'out0', on: 'in0', word: () => 7, delay: 1 },
      { at: 'in0', on: 'out0', word: (i) => i - 9, delay: 0 },
    ],
  };
  return [
    { name: 'Dup', behaviour: dup, inputs: ['x'], outputs: ['d0', 'd1'] },
    { name: 'FifoLong', behaviour: fifo(8, 2), inputs: ['d0'], outputs: ['l0'] },
    { name: 'Conv', behaviour: long, inputs: ['l0'], outputs: ['l1'] },
    { name: 'FifoShort', behaviour: fifo(8, shortDepth), inputs: ['d1'], outputs: ['s'] },
    { name: 'Add', behaviour: add, inputs: ['l1', 's'], outputs: ['y'] },
  ];
}

test('a residual block whose short-branch FIFO is too shallow deadlocks, naming that FIFO', () => {
  const r = runDataflow(residual(2), { frames: 2 });
  assert.equal(r.ok, false);
  assert.deepEqual(r.deadlock?.fullFifos, ['FifoShort']);
  assert.match(r.deadlock!.message, /FIFO FifoShort \(depth 2\) is full/);
  // Unbounded FIFOs: no deadlock, and the depth it measures keeps the timing; below 8 (the long branch needs
  // the whole frame of 8 words before its first output) it deadlocks again.
  const deep = runDataflow(residual(2), { frames: 2, deep: true });
  assert.equal(deep.ok, true);
  const need = deep.fifos.find((f) => f.name === 'FifoShort')!.needed;
  // Dup writes word j at cycle j+1; Add first reads at cycle 10 (Conv's first output after word 7 at 9):
  // words 0…8 are queued when word 9 is written at cycle 10, so depth 10.
  assert.equal(need, 10);
  const sized = runDataflow(residual(need), { frames: 2 });
  assert.equal(sized.ok, true);
  assert.equal(sized.cycles, deep.cycles);
  assert.equal(runDataflow(residual(8), { frames: 2 }).ok, true);
  assert.equal(runDataflow(residual(7), { frames: 2 }).ok, false);
});

test("FINN's optimize_depth rounding", () => {
  assert.deepEqual([1, 2, 3, 32, 33, 700].map(finnFifoDepth), [2, 2, 32, 32, 33, 700]);
});

test('streams that disagree on words per frame, and rules on unknown sequences, are errors naming them', () => {
  assert.throws(() => runDataflow([
    { name: 'A', behaviour: reduceBehaviour(8, 1), inputs: ['x'], outputs: ['a'] },
    { name: 'B', behaviour: reduceBehaviour(6, 1), inputs: ['a'], outputs: ['y'] },
  ]), /stream 'a': A\.out0 moves 8 words per frame, B\.in0 6/);
  assert.throws(() => runDataflow([{ name: 'A', behaviour: reduceBehaviour(8, 1), inputs: ['x', 'z'], outputs: ['a'] }]), /node 'A': its stream behaviour has no sequence 'in1'/);
});

test('the default behaviour (no hook): a whole frame in, then the frame out, one frame per `cycles`', () => {
  const view = {
    name: 'K', opType: 'K', domain: '', attrs: {}, inputs: ['x'], outputs: ['y'],
    inputShapes: [[1, 16]], outputShapes: [[1, 4]], inputDatatypes: ['UINT4'], outputDatatypes: ['UINT8'],
    constantInput: () => undefined,
  } as KernelNodeView;
  const b = defaultStreamBehaviour(view, { inputs: [16], outputs: [8] }, 10);
  assert.deepEqual(b.words, { in0: 4, out0: 4 });
  const r = runDataflow([{ name: 'K', behaviour: b, inputs: ['x'], outputs: ['y'] }], { frames: 3 });
  // Frame f: reads at 10f..10f+3, writes 10f+4..10f+7.
  assert.deepEqual(r.frameEnds, [8, 18, 28]);
  assert.equal(r.interval, 10);
});

test('the testbench records max(count + write) of each occupancy probe and rejects a probe that is no path', async () => {
  const { axisTestbench, topInterface } = await import('../src/sim/testbench.js');
  const dut = { ...topInterface('top', [8], [8]), probes: [{ count: 'StreamingFIFO_0.fifo.count', push: 'StreamingFIFO_0.fifo.push' }] };
  const tb = axisTestbench(dut);
  assert.match(tb, /pv = dut\.StreamingFIFO_0\.fifo\.count;\n\s+pv = pv \+ dut\.StreamingFIFO_0\.fifo\.push;\n\s+if \(pv > p0_max\) p0_max = pv;/);
  assert.match(tb, /\$display\("BSIM PROBE 0 %0d", p0_max\); \$display\("BSIM DONE/);
  assert.doesNotMatch(axisTestbench(topInterface('top', [8], [8])), /PROBE/);
  assert.throws(() => axisTestbench({ ...dut, probes: [{ count: 'x); $finish; //', push: 'a.b' }] }), /is not a hierarchical Verilog path/);
});
