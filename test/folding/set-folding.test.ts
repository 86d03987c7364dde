import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFolding, targetCyclesFor, type FoldableNode } from '../../src/rewrite.js';

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
      if (fps === 1e5) {
        // target = int(2e8/1e5) = 2000; cycles = 128·128/(PE·SIMD) = 16384/(PE·SIMD). SIMD walk, cycles first:
        // SIMD 8 → 2048 ≥ 2000 (8·4 = 32 ≤ 36, go on); SIMD 16 → 1024 < 2000: met, kept although 16·4 = 64 > 36.
        // PE 1 → 1024 < 2000: met.
        for (const v of r.values) assert.deepEqual(v, { SIMD: 16, PE: 1 });
        assert.equal(r.maxCycles, 1024);
      }
      if (fps === 1e7) {
        // target 20. SIMD 8 → 2048 (32 ≤ 36); SIMD 16 → 1024 ≥ 20 and 64 > 36: revert to 8, stop.
        // PE: 2048/PE < 20 needs PE > 102.4 → 128: 16 cycles, the floor of this network.
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
  // target = int(1e8/1e6) = 100. MVAU_0: 64·600/(PE·SIMD); SIMD walk over divisors of 600, cycles first:
  //   SIMD 40 → 960 ≥ 100, 40·2 = 80 ≤ 80 go on; SIMD 50 → 768 ≥ 100, 100 > 80: revert to 40, stop.
  //   PE: 960/PE < 100 needs PE ≥ 10 → 16 (divisors of 64): 60 cycles.
  // MVAU_1/2: 64·64/SIMD; SIMD 32 → 128 ≥ 100 (64 ≤ 80 go on); SIMD 64 → 64 < 100: met, kept although
  //   128 > 80; PE 1 → 64 < 100.
  // MVAU_3: 64·1/SIMD; SIMD 1 → 64 < 100: met; PE 1.
  assert.deepEqual(r.values, [{ SIMD: 40, PE: 16 }, { SIMD: 64, PE: 1 }, { SIMD: 64, PE: 1 }, { SIMD: 1, PE: 1 }]);
  assert.deepEqual(r.cycles, [60, 64, 64, 64]);
  assert.equal(r.passes, 1);
  assert.equal(r.maxCycles, 64);
});

test('mvau_wwidth_max: cycles are checked before the width, so only a step that misses the target reverts', () => {
  // 64×32, 4-bit weights, cap 16, target 100: 2048/(PE·SIMD). SIMD 4 → 512 (16 ≤ 16 go on); SIMD 8 → 256 ≥ 100
  // and 32 > 16: revert to 4. PE: 512/PE < 100 → PE 8: 64 cycles.
  const n = mvau('m', 64, 32, 4);
  const r = setFolding([n], { targetCycles: 100, wwidthMax: 16 });
  assert.deepEqual(r.values[0], { SIMD: 4, PE: 8 });
  assert.equal(r.cycles[0], 64);
  // 512×1: 512/SIMD. SIMD 4 → 128 ≥ 100 (16 ≤ 16); SIMD 8 → 64 < 100: met first, kept although 8·4 = 32 > 16.
  const tall = setFolding([mvau('t', 512, 1, 4)], { targetCycles: 100, wwidthMax: 16 });
  assert.deepEqual(tall.values[0], { SIMD: 8, PE: 1 });
  // A wider cap lets SIMD meet the target alone (64·32/SIMD < 100 at SIMD 32).
  const wide = setFolding([n], { targetCycles: 100, wwidthMax: 1024 });
  assert.deepEqual(wide.values[0], { SIMD: 32, PE: 1 });
});

test('mixed network (Thresholding PE, MVAUs, LabelSelect PE): each node meets the target with the least parallelism', () => {
  const nodes = [pe('Thresholding_rtl_0', 784, 1), mvau('MVAU_hls_0', 784, 64, 1), mvau('MVAU_hls_1', 64, 10, 1), pe('LabelSelect_hls_0', 10, 1)];
  const r = setFolding(nodes, { targetCycles: 500 });
  assertLegal(nodes, r.values);
  assert.deepEqual(r.values[0], { PE: 2 }); // 784/2 = 392 < 500 (PE 1: 784)
  assert.deepEqual(r.values[1], { SIMD: 28, PE: 4 }); // SIMD 28 → 1792 ≥ 500 (28 ≤ 36 go on); SIMD 49 → 1024 ≥ 500, 49 > 36: revert to 28; PE 4: 1792/4 = 448
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
  // Second pass at 64 (a candidate at the target is accepted): SIMD 32 gives 64·2 = 128 > 64, SIMD 64 gives
  // 64 ≤ 64, kept although 64 weight bits pass the cap (cycles are checked first), PE stays 1.
  assert.deepEqual(r.values[1], { SIMD: 64, PE: 1 });
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

/** A sliding window generator: SIMD over C, and with the window switch on, one window per cycle. */
function swgRtl(name: string, C: number, pixels: number, k2: number, producer?: number): FoldableNode {
  const n: FoldableNode = {
    name,
    params: [{ name: 'SIMD', size: C, mode: 'walk', overTargetSwitch: 'parallel_window' }],
    values: { SIMD: 1, parallel_window: 0 },
    cycles: (v) => (v.parallel_window === 1 ? pixels * (C / v.SIMD!) + 2 : pixels * k2 * (C / v.SIMD!) + 2),
  };
  if (producer !== undefined) n.producer = producer;
  return n;
}

test('an rtl SWG still over target at max SIMD turns on its window switch; one that meets it does not', () => {
  // 100 pixels, 3×3, C 4: SIMD 4 → 100·9 + 2 = 902 ≥ 500 at max SIMD → parallel_window 1 (102 cycles).
  const r = setFolding([swgRtl('ConvolutionInputGenerator_rtl_0', 4, 100, 9)], { targetCycles: 500, twoPassRelaxation: false });
  assert.deepEqual(r.values[0], { SIMD: 4, parallel_window: 1 });
  assert.equal(r.cycles[0], 102);
  // target 1000: SIMD 4 → 902 < 1000 met: switch stays off.
  const met = setFolding([swgRtl('s', 4, 100, 9)], { targetCycles: 1000 });
  assert.deepEqual(met.values[0], { SIMD: 4, parallel_window: 0 });
});

test('the second pass re-walks a switched SWG with the switch off, so it is never on below max SIMD', () => {
  // Pass 1 (target 500): SWG SIMD 4 → 902, switched → 102; 'slow' is stuck at 1000 → pass 2 at 1000.
  // Pass 2: SIMD 1 → 3602, 2 → 1802, 4 → 902 < 1000: met with the switch off. (Left on, SIMD 1 with a window
  // per cycle would read 402 < 1000 — a parallel_window the rtl SWG cannot build, as it needs SIMD = C.)
  const r = setFolding([swgRtl('s', 4, 100, 9), pe('slow', 1, 1000)], { targetCycles: 500 });
  assert.equal(r.passes, 2);
  assert.deepEqual(r.values[0], { SIMD: 4, parallel_window: 0 });
  assert.equal(r.cycles[0], 902);
});

test('a VVAU with SIMD > 1 switches its depthwise SWG producer to parallel_window, SIMD ≤ 1 switches it off', () => {
  const dwSwg = (): FoldableNode => ({
    name: 'swg',
    params: [{ name: 'SIMD', size: 16, mode: 'follow', followSwitch: { attribute: 'parallel_window', whenConsumer: 'SIMD' } }],
    values: { SIMD: 1, parallel_window: 1 },
    cycles: (v) => 160 / v.SIMD!,
  });
  const vvau: FoldableNode = {
    name: 'vvau',
    params: [{ name: 'PE', size: 16, mode: 'walk', drivesProducer: 'SIMD' }, { name: 'SIMD', size: 9, mode: 'walk' }],
    values: { PE: 1, SIMD: 1 },
    cycles: (v) => (16 * 9 * 10) / v.PE! / v.SIMD!,
    producer: 0,
  };
  // 1440/(PE·SIMD): PE 16 → 90 ≥ 50, SIMD 3 → 30 < 50: SWG SIMD 16, parallel_window 1.
  const r = setFolding([dwSwg(), vvau], { targetCycles: 50, twoPassRelaxation: false });
  assert.deepEqual(r.values[0], { SIMD: 16, parallel_window: 1 });
  // target 200: PE 8 → 180 < 200, SIMD stays 1: switch turned off (it started on).
  const off = setFolding([dwSwg(), vvau], { targetCycles: 200 });
  assert.deepEqual(off.values[1], { PE: 8, SIMD: 1 });
  assert.deepEqual(off.values[0], { SIMD: 8, parallel_window: 0 });
});

test('a Pool walks its PE until its depthwise SWG meets the target too (followerCycles); FINN\'s rule is the default', () => {
  // GTSRB's second pooling: the SWG at SIMD s takes 1400/s cycles, the Pool at PE p only 720/p.
  const swg: FoldableNode = { name: 'swg', params: [{ name: 'SIMD', size: 24, mode: 'follow' }], values: { SIMD: 1 }, cycles: (v) => 1400 / v.SIMD! };
  const pool: FoldableNode = {
    name: 'pool',
    params: [{ name: 'PE', size: 24, mode: 'walk', drivesProducer: 'SIMD' }],
    values: { PE: 1 },
    cycles: (v) => 720 / v.PE!,
    producer: 0,
  };
  // Target 300: FINN stops at PE 3 (240 < 300) and leaves the SWG at 1400/3 ≈ 467, over the target.
  const finn = setFolding([swg, pool], { targetCycles: 300, twoPassRelaxation: false });
  assert.deepEqual(finn.values[1], { PE: 3 });
  assert.equal(finn.bottleneck, 'swg');
  assert.ok(finn.maxCycles > 300);
  // Both judged: PE 6 (SWG 1400/6 ≈ 233 < 300).
  const both = setFolding([swg, pool], { targetCycles: 300, twoPassRelaxation: false, followerCycles: true });
  assert.deepEqual(both.values[1], { PE: 6 });
  assert.deepEqual(both.values[0], { SIMD: 6 });
  assert.ok(both.maxCycles < 300);
});

test('a bad target is a usage error', () => {
  assert.throws(() => setFolding([], { targetCycles: 0 }), /target cycles per frame must be a positive number/);
});
