/**
 * Issue 13: the default compile follows FINN's rules; one test per rule, with numbers derived by hand. The
 * end-to-end check on labs/tfc-w1a1 (Thresholding_rtl_0 at 117 LUT, FINN's nodes in the four files) is in
 * test/acceptance/issue5.test.ts (a).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getFloat, getString, parseDataType, tensorFromProto, tensorToNumbers, type Model } from '../../src/index.js';
import { applyTransform } from '../../src/host.js';
import { finnWeightTypeFor, setFolding, weightTypeFor, foldingConfigOf } from '../../src/rewrite.js';
import { splitStreamInfrastructure } from '../../src/estimate/stream-infrastructure.js';
import type { ModelEstimate, NodeEstimate } from '../../src/estimate/estimate.js';
import { resolveTarget } from '../../src/estimate/boards.js';
import { clippedThresholdType } from '../../transforms/topology/streamline/round-and-clip-thresholds.js';
import labelSelect, { labelSelectAttributes, labelDatatype } from '../../kernels/LabelSelect/kernel.js';
import { attrI, attrInts, attrS, buildModel, node } from '../transforms/topology/support.js';
import { harness } from '../transforms/optimization/support.js';
import { view, ctx } from '../kernels/support.js';

const HW = 'finn.custom_op.fpgadataflow';
const initValues = (m: Model, t: string) => Array.from(tensorToNumbers(tensorFromProto(m.graph.getInitializer(t)!)));

function est(name: string, kernel: string, LUT: number, cycles: number): NodeEstimate {
  return { name, opType: `${kernel}_x`, kernel, backend: 'rtl', parallelism: {}, cycles, resources: { BRAM_18K: 0, LUT, URAM: 0, DSP: 0 }, opAndParamCounts: {}, warnings: [] };
}

test('rule 1: the estimate files hold no DWC/FIFO; their costs go to a report of their own', () => {
  const nodes = [est('Thresholding_rtl_0', 'Thresholding', 117, 784), est('StreamingFIFO_0', 'StreamingFIFO', 3, 0), est('StreamingDataWidthConverter_0', 'StreamingDataWidthConverter', 32, 0), est('MVAU_hls_0', 'MVAU', 687, 896)];
  const all: ModelEstimate = {
    target: resolveTarget({ board: 'Pynq-Z2' }), clockNs: 10, nodes, hostNodes: [],
    cycles: Object.fromEntries(nodes.map((n) => [n.name, n.cycles])),
    resources: { ...Object.fromEntries(nodes.map((n) => [n.name, n.resources])), total: { BRAM_18K: 0, LUT: 839, URAM: 0, DSP: 0 } },
    performance: { critical_path_cycles: 1680, max_cycles: 896, max_cycles_node_name: 'MVAU_hls_0', estimated_throughput_fps: 1e8 / 896, estimated_latency_ns: 16800 },
    opAndParamCounts: {},
  };
  const s = splitStreamInfrastructure(all, (k) => k === 'StreamingFIFO' || k === 'StreamingDataWidthConverter');
  assert.deepEqual(Object.keys(s.finn.cycles), ['Thresholding_rtl_0', 'MVAU_hls_0']);
  assert.deepEqual(Object.keys(s.finn.resources), ['Thresholding_rtl_0', 'MVAU_hls_0', 'total']);
  assert.equal(s.finn.resources.total!.LUT, 117 + 687);
  assert.equal(s.streams!.total!.LUT, 3 + 32);
  // 0-cycle nodes change neither the bottleneck nor the critical path.
  assert.deepEqual(s.finn.performance, all.performance);
});

// rule 2 (no TopK unless asked): test/transforms/kernel_mapping/insert-top-k.test.ts and the acceptance tests.

test('rule 3: a Thresholding kernel\'s thresholds get the type of max + 1 (UINT9 for UINT8), whatever the values', async () => {
  assert.equal(clippedThresholdType(parseDataType('UINT8')).name, 'UINT9'); // 256
  assert.equal(clippedThresholdType(parseDataType('INT8')).name, 'INT9'); // −(127 + 1) − 1 = −129
  assert.equal(clippedThresholdType(parseDataType('UINT2')).name, 'UINT3'); // 4
  const h = await harness();
  const mk = () => {
    const m = buildModel({
      inputs: [['x', [1, 2], 'UINT8']], outputs: [['y', [1, 2]]],
      nodes: [node('Thresholding_rtl', ['x', 'T'], ['y'], [attrI('PE', 1), attrI('NumChannels', 2), attrI('numSteps', 2), attrS('inputDataType', 'UINT8'), attrS('weightDataType', 'UINT8'), attrS('outputDataType', 'UINT2')], `${HW}.rtl`)],
      inits: { T: { dims: [2, 2], data: [-3.5, 10.2, 100, 254.5] } },
    });
    m.graph.nodeList()[0]!.proto.name = 'Thresholding_rtl_0';
    return m;
  };
  const m = mk();
  await applyTransform(h.reg, 'RoundAndClipThresholds', m);
  const th = m.graph.nodeList()[0]!;
  // ⌈t⌉ clipped to [0, 256]: −3.5 → 0, 10.2 → 11, 254.5 → 255.
  assert.deepEqual(initValues(m, th.inputs[1]!), [0, 11, 100, 255]);
  assert.equal(getString(th, 'weightDataType'), 'UINT9');
  assert.equal(m.graph.getDatatypeName(th.inputs[1]!), 'UINT9');
  // optimized: the values need only UINT8 (no threshold is 256).
  const o = mk();
  await applyTransform(h.reg, 'RoundAndClipThresholds', o, { kernel_threshold_type: 'values' });
  assert.equal(getString(o.graph.nodeList()[0]!, 'weightDataType'), 'UINT8');
});

test('rule 4: SetFolding accepts a candidate at the target; the second pass targets the first pass\'s maximum', () => {
  const pe = (name: string, channels: number, vectors: number) => ({ name, params: [{ name: 'PE', size: channels, mode: 'walk' as const }], values: { PE: 1 }, cycles: (v: Readonly<Record<string, number>>) => (channels / v.PE!) * vectors });
  // 8 channels × 10 vectors at target 40: PE 1 → 80, PE 2 → 40 ≤ 40, accepted (a strict rule would take PE 4).
  assert.deepEqual(setFolding([pe('t', 8, 10)], { targetCycles: 40 }).values, [{ PE: 2 }]);
  // 'slow' bottoms out at 64 (PE 8 of 8 channels × 64 vectors); the second pass folds 'fast' (16 × 16) to 256/PE ≤ 64: PE 4.
  const r = setFolding([pe('slow', 8, 64), pe('fast', 16, 16)], { targetCycles: 10 });
  assert.equal(r.targetCycles, 64);
  assert.deepEqual(r.values, [{ PE: 8 }, { PE: 4 }]);
  // The Pool/VVAU follower rule is off by default (tested with numbers in test/folding/set-folding.test.ts).
});

test('rule 5: accumulators: thresholds clipped to the range; XNOR range from ±1 weights; the last node rounds to bytes', async () => {
  const h = await harness();
  // MW 4, MH 2, XNOR: weights stored 0/1 for ∓1. Column 0 = [1,1,1,0]: three +1, one −1; column 1 = [0,0,1,0]:
  // one +1, three −1. FINN's range: [−max #(−1), max #(+1)] = [−3, 3]; the popcount's is [0, 4].
  const mk = (noActivation: number, consumer?: string) => buildModel({
    inputs: [['x', [1, 4], 'BINARY']], outputs: [[consumer ? 'z' : 'y', [1, 2]]],
    nodes: [
      node('MVAU_hls', noActivation ? ['x', 'W'] : ['x', 'W', 'T'], ['y'], [
        attrI('PE', 1), attrI('SIMD', 1), attrI('MW', 4), attrI('MH', 2), attrS('inputDataType', 'BINARY'), attrS('weightDataType', 'BINARY'),
        attrS('outputDataType', noActivation ? 'INT32' : 'BINARY'), attrS('accDataType', 'INT32'), attrI('binaryXnorMode', 1), attrI('noActivation', noActivation), attrInts('numInputVectors', [1]),
      ], `${HW}.hls`),
      ...(consumer ? [node(consumer, ['y'], ['z'])] : []),
    ],
    inits: { W: { dims: [4, 2], data: [1, 0, 1, 0, 1, 1, 0, 0] }, T: { dims: [2, 1], data: [2, 4] } },
    valueInfo: consumer ? [['y', [1, 2]]] : [],
  });
  const m = mk(0);
  m.graph.nodeList()[0]!.proto.name = 'MVAU_hls_0';
  await applyTransform(h.reg, 'MinimizeAccumulatorWidth', m);
  const n = m.graph.nodeList()[0]!;
  // Threshold 4 > 3 is clipped to 3; [−3, 3]: 2^(n−1) ≥ max(3, 4) → INT3; the thresholds take that type.
  assert.deepEqual(initValues(m, n.inputs[2]!), [2, 3]);
  assert.equal(getString(n, 'accDataType'), 'INT3');
  assert.equal(m.graph.getDatatypeName(n.inputs[2]!), 'INT3');
  // optimized (`exact`): popcount [0, 4], thresholds clipped to [0, 5] (4 stays) → UINT3.
  const o = mk(0);
  await applyTransform(h.reg, 'MinimizeAccumulatorWidth', o, { ranges: 'exact' });
  assert.equal(getString(o.graph.nodeList()[0]!, 'accDataType'), 'UINT3');
  assert.deepEqual(initValues(o, o.graph.nodeList()[0]!.inputs[2]!), [2, 4]);
  // No activation, last of the dataflow (only a host node reads it): INT3 rounded up to INT8.
  const last = mk(1, 'Relu');
  await applyTransform(h.reg, 'MinimizeAccumulatorWidth', last);
  assert.equal(getString(last.graph.nodeList()[0]!, 'accDataType'), 'INT8');
  assert.equal(getString(last.graph.nodeList()[0]!, 'outputDataType'), 'INT8');
});

test('rule 6: AbsorbSignBiasIntoMultiThreshold assumes a narrow-range quantizer: 2 steps from −1 are INT2, not TERNARY', async () => {
  const h = await harness();
  const mk = () => buildModel({
    inputs: [['x', [1, 4], 'INT8']], outputs: [['y', [1, 4]]],
    nodes: [node('MultiThreshold', ['x', 'T'], ['q'], [attrS('out_dtype', 'UINT2')], 'qonnx.custom_op.general'), node('Add', ['q', 'b'], ['y'])],
    inits: { T: { dims: [1, 2], data: [-1, 1] }, b: { dims: [], data: [-1] } },
  });
  // Outputs −1 + {0, 1, 2} = {−1, 0, 1}. FINN: smallest type of 2 steps is UINT2 → INT2 ([−2, 1]).
  const m = mk();
  await applyTransform(h.reg, 'AbsorbSignBiasIntoMultiThreshold', m);
  const n = m.graph.nodeList()[0]!;
  assert.equal(getFloat(n, 'out_bias'), -1);
  assert.equal(getString(n, 'out_dtype'), 'INT2');
  const o = mk();
  await applyTransform(h.reg, 'AbsorbSignBiasIntoMultiThreshold', o, { output_type: 'exact' });
  assert.equal(getString(o.graph.nodeList()[0]!, 'out_dtype'), 'TERNARY');
});

test('rule 7: MinimizeWeightBitWidth picks the smallest type holding −w_max − 1: ±1 weights become INT2', () => {
  assert.equal(finnWeightTypeFor({ min: -1, max: 1 }).name, 'INT2'); // from −2
  assert.equal(finnWeightTypeFor({ min: -1, max: 5 }).name, 'INT4'); // from −6
  assert.equal(finnWeightTypeFor({ min: -3, max: 1 }).name, 'INT3'); // |−3| > 1: from −3
  assert.equal(finnWeightTypeFor({ min: 0, max: 1 }).name, 'BINARY');
  // optimized (`narrow`): never wider than the current type, so BIPOLAR (1 bit) stays; same INTn otherwise.
  assert.equal(weightTypeFor({ min: -1, max: 5 }).name, 'INT4');
});

test('rule 8: LabelSelect\'s output type is the label range rounded up to 8 bits', () => {
  assert.equal(labelDatatype(10).name, 'UINT8'); // 0..9: UINT4 → UINT8
  assert.equal(labelDatatype(43).name, 'UINT8'); // 0..42: UINT6 → UINT8
  assert.equal(labelDatatype(1000).name, 'UINT16'); // 0..999: UINT10 → UINT16
  assert.equal(labelDatatype(2).name, 'BINARY'); // FINN renames by width; BINARY has none
  assert.deepEqual(labelSelect.inferDatatypes!(view(labelSelectAttributes, { Labels: 43, K: 1, inputDataType: 'INT8' }), ctx), ['UINT8']);
});

test('rule 9: auto_folding_config lists only the attributes FINN\'s node type has, with effective values', async () => {
  const h = await harness();
  const m = buildModel({
    inputs: [['x', [1, 4], 'UINT8']], outputs: [['z', [1, 2]]],
    nodes: [
      node('Thresholding_rtl', ['x', 'T'], ['y'], [attrI('PE', 1), attrI('NumChannels', 4), attrI('numSteps', 1), attrS('inputDataType', 'UINT8'), attrS('weightDataType', 'UINT9'), attrS('outputDataType', 'BINARY')], `${HW}.rtl`),
      node('MVAU_hls', ['y', 'W'], ['z'], [attrI('PE', 1), attrI('SIMD', 1), attrI('MW', 4), attrI('MH', 2), attrS('inputDataType', 'BINARY'), attrS('weightDataType', 'INT2'), attrS('outputDataType', 'INT8'), attrS('accDataType', 'INT8'), attrI('noActivation', 1)], `${HW}.hls`),
    ],
    inits: { T: { dims: [4, 1], data: [1, 2, 3, 4] }, W: { dims: [4, 2], data: [1, -1, 0, 1, 1, 1, -1, 0] } },
    valueInfo: [['y', [1, 4]]],
  });
  m.graph.nodeList()[0]!.proto.name = 'Thresholding_rtl_0';
  m.graph.nodeList()[1]!.proto.name = 'MVAU_hls_0';
  await applyTransform(h.reg, 'SetFolding', m, { target_cycles: 1000, output: `${h.dir}/auto.json` });
  const { readFileSync } = await import('node:fs');
  const auto = JSON.parse(readFileSync(`${h.dir}/auto.json`, 'utf8')) as Record<string, Record<string, unknown>>;
  // FINN's Thresholding_rtl has no ram_style; its list has no ram_style_thresholds; MVAU_hls's resType is lut.
  assert.deepEqual(Object.keys(auto.Thresholding_rtl_0!), ['PE', 'runtime_writeable_weights', 'depth_trigger_uram', 'depth_trigger_bram']);
  assert.deepEqual(auto.MVAU_hls_0, { PE: 1, SIMD: 1, ram_style: 'auto', resType: 'lut', mem_mode: 'internal_decoupled', runtime_writeable_weights: 0 });
  // Without the transform's FINN table the kernel schema's own attributes all appear.
  assert.ok('ram_style' in (await foldingConfigOf(m, h.reg.hw)).Thresholding_rtl_0!);
});

// rule 10 (activation thresholds at the quantizer's own rounding, not FINN's midpoints): no report figure
// depends on it; documented in docs/FINN-PARITY.md.
