import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFolding, targetCyclesFor, type FoldableNode } from '../../src/folding/index.js';

/** An MVAU as FINN folds it: SIMD (costing W bits each against the cap) first, then PE. */
function mvau(name: string, MW: number, MH: number, W: number, vectors = 1): FoldableNode {
  return {
    name,
    params: [{ name: 'SIMD', size: MW, mode: 'walk', widthBits: W }, { name: 'PE', size: MH, mode: 'walk' }],
    values: { SIMD: 1, PE: 1 },
    cycles: (v) => (MH / v.PE!) * (MW / v.SIMD!) * vectors,
  };
}

function pe(name: string, channels: number, vectors: number): FoldableNode {
  return { name, params: [{ name: 'PE', size: channels, mode: 'walk' }], values: { PE: 1 }, cycles: (v) => (channels / v.PE!) * vectors };
}

function assertLegal(nodes: FoldableNode[], values: Record<string, number>[]): void {
  for (const [i, n] of nodes.entries()) {
    for (const p of n.params) {
      const v = values[i]![p.name]!;
      assert.ok(Number.isInteger(v) && v >= 1 && p.size % v === 0, `${n.name}.${p.name}=${v} must divide ${p.size}`);
    }
  }
}

test('targetCyclesFor is FINN\'s int((1e9/clk)/fps)', () => {
  assert.equal(targetCyclesFor(1e6, 10), 100);
  assert.equal(targetCyclesFor(30, 5), 6666666);
  assert.equal(targetCyclesFor(1e7, 5), 20);
  assert.throws(() => targetCyclesFor(0, 5), /target fps/);
});

// FINN tests/fpgadataflow/test_set_folding.py: 5 MVAUs 128×128, INT4 weights, clock 5 ns.
for (const [platform, floor] of [['Pynq-Z1', 128], ['Ultra96', 64], ['U200', 1]] as const) {
  for (const fps of [30, 1e5, 1e7]) {
    test(`test_set_folding: 5×MVAU 128×128 INT4 on ${platform} at ${fps} fps`, () => {
      const nodes = Array.from({ length: 5 }, (_, i) => mvau(`MVAU_hls_${i}`, 128, 128, 4));
      const target = targetCyclesFor(fps, 5);
      const r = setFolding(nodes, { targetCycles: target });
      assertLegal(nodes, r.values);
      assert.ok(r.maxCycles <= Math.max(floor, target), `achieved ${r.maxCycles} > max(${floor}, ${target})`);
      for (const v of r.values) assert.ok(v.SIMD! * 4 <= 36, `SIMD ${v.SIMD} × 4 bits exceeds mvau_wwidth_max 36`);
      if (fps === 1e7) {
        // SIMD stops at 8 (8·4 = 32 ≤ 36 < 64), PE goes to 128: 16 cycles, the floor of this network.
        assert.deepEqual(r.values[0], { SIMD: 8, PE: 128 });
        assert.equal(r.maxCycles, 16);
        assert.equal(r.passes, 1); // 16 < 20: met in one pass
      }
      if (fps === 30) assert.deepEqual(r.values[0], { SIMD: 1, PE: 1 });
    });
  }
}

test('cybsec 600-64-64-64-1 INT2 at 100 cycles, wwidth 80: the reference folding (MVAU_0 PE16/SIMD40 = 60 cycles)', () => {
  const nodes = [mvau('MVAU_hls_0', 600, 64, 2), mvau('MVAU_hls_1', 64, 64, 2), mvau('MVAU_hls_2', 64, 64, 2), mvau('MVAU_hls_3', 64, 1, 2)];
  const r = setFolding(nodes, { targetCycles: targetCyclesFor(1e6, 10), wwidthMax: 80 });
  assert.deepEqual(r.values, [{ SIMD: 40, PE: 16 }, { SIMD: 32, PE: 2 }, { SIMD: 32, PE: 2 }, { SIMD: 1, PE: 1 }]);
  assert.deepEqual(r.cycles, [60, 64, 64, 64]);
  assert.equal(r.passes, 1);
  assert.equal(r.maxCycles, 64);
});

test('mvau_wwidth_max is respected even where a wider SIMD would meet the target', () => {
  // 4-bit weights, cap 16: SIMD ≤ 4; the target then needs PE.
  const n = mvau('m', 64, 32, 4);
  const r = setFolding([n], { targetCycles: 100, wwidthMax: 16 });
  assert.equal(r.values[0]!.SIMD, 4);
  assert.ok(r.values[0]!.SIMD! * 4 <= 16);
  assert.ok(r.cycles[0]! < 100);
  // A wider cap lets SIMD meet the target alone (64·32/SIMD < 100 at SIMD 32).
  const wide = setFolding([n], { targetCycles: 100, wwidthMax: 1024 });
  assert.deepEqual(wide.values[0], { SIMD: 32, PE: 1 });
});

test('mixed network (Thresholding PE, MVAUs, LabelSelect PE): each node meets the target with the least parallelism', () => {
  const nodes = [pe('Thresholding_rtl_0', 784, 1), mvau('MVAU_hls_0', 784, 64, 1), mvau('MVAU_hls_1', 64, 10, 1), pe('LabelSelect_hls_0', 10, 1)];
  const r = setFolding(nodes, { targetCycles: 500 });
  assertLegal(nodes, r.values);
  assert.deepEqual(r.values[0], { PE: 2 }); // 784/2 = 392 < 500 (PE 1: 784)
  assert.deepEqual(r.values[1], { SIMD: 28, PE: 4 }); // SIMD capped at 28 (36/1 → largest divisor of 784 ≤ 36), 64/4·28 = 448
  assert.deepEqual(r.values[2], { SIMD: 2, PE: 1 }); // 10·32 = 320
  assert.deepEqual(r.values[3], { PE: 1 }); // 10 cycles already
  assert.ok(r.maxCycles < 500);
  assert.equal(r.passes, 1);
});

test('unreachable target: two-pass relaxation re-folds everything to the bottleneck', () => {
  // The first node cannot go below 64 cycles (PE is its only parameter and it is already at max).
  const nodes = [pe('slow', 8, 64), mvau('MVAU_hls_0', 64, 64, 1)];
  const noRelax = setFolding(nodes, { targetCycles: 10, twoPassRelaxation: false });
  assert.equal(noRelax.passes, 1);
  assert.equal(noRelax.maxCycles, 64);
  assert.deepEqual(noRelax.values[1], { SIMD: 32, PE: 16 }); // 64/16 · 2 = 8 < 10: over-provisioned
  const r = setFolding(nodes, { targetCycles: 10 });
  assert.equal(r.passes, 2);
  assert.deepEqual(r.relaxedFrom, { node: 'slow', cycles: 64 });
  assert.equal(r.targetCycles, 64);
  assert.deepEqual(r.values[1], { SIMD: 32, PE: 4 }); // balanced: 64/4 · 2 = 32 < 64
  assert.equal(r.maxCycles, 64);
  assert.equal(r.bottleneck, 'slow');
});

test('walk order, kept and followed parameters, and a consumer driving its producer', () => {
  const swg: FoldableNode = { name: 'swg', params: [{ name: 'SIMD', size: 16, mode: 'follow' }], values: { SIMD: 1 }, cycles: (v) => 160 / v.SIMD! };
  const vvau: FoldableNode = {
    name: 'vvau',
    params: [{ name: 'PE', size: 16, mode: 'walk', drivesProducer: 'SIMD' }, { name: 'SIMD', size: 9, mode: 'walk' }, { name: 'K', size: 4, mode: 'keep' }],
    values: { PE: 1, SIMD: 1, K: 2 },
    cycles: (v) => (16 * 9 * 10) / v.PE! / v.SIMD!,
    producer: 0,
  };
  const r = setFolding([swg, vvau], { targetCycles: 50, twoPassRelaxation: false });
  // PE to 16 (90 cycles), then SIMD 3 → 30 < 50; K kept; the SWG follows PE.
  assert.deepEqual(r.values[1], { PE: 16, SIMD: 3, K: 2 });
  assert.deepEqual(r.values[0], { SIMD: 16 });
  assert.equal(r.cycles[0], 10);
});

test('a bad target is a usage error', () => {
  assert.throws(() => setFolding([], { targetCycles: 0 }), /target cycles per frame must be a positive number/);
});
