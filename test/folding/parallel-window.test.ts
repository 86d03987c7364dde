/**
 * parallel_window through the real kernel plugins: the ConvolutionInputGenerator declares it as a switch of
 * its SIMD (rtl only), SetFolding turns it on for an rtl SWG still over target at max SIMD, and a depthwise
 * rtl SWG takes it from its VVAU's SIMD. GTSRB (kernel_mapping output) at 800k fps shows the effect.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ElemType, getInt, makeNode, makeTensor, makeValueInfo, Model, tensorToProto, type AttributeProto, type ModelProto } from '../../src/index.js';
import { foldableNodes, foldModel, setFolding, targetCyclesFor } from '../../src/rewrite.js';
import { shared, skipNoShared } from '../helpers/paths.js';
import { harness } from '../transforms/optimization/support.js';
import { KERNEL_MAPPING, applyAll, builtins, streamlined } from '../transforms/kernel_mapping/support.js';

const int = (name: string, i: number): AttributeProto => ({ name, type: 2, i });
const ints = (name: string, v: readonly number[]): AttributeProto => ({ name, type: 7, ints: [...v] });
const str = (name: string, s: string): AttributeProto => ({ name, type: 3, s: new TextEncoder().encode(s) });

/** x [1,8,8,4] UINT4 → SWG (3×3, stride 1) [1,6,6,36] → MVAU 36→8 (INT4 weights, no activation) [1,6,6,8]. */
function swgMvauModel(language: 'rtl' | 'hls'): Model {
  const swg = makeNode({
    opType: `ConvolutionInputGenerator_${language}`, domain: `finn.custom_op.fpgadataflow.${language}`, name: `ConvolutionInputGenerator_${language}_0`,
    inputs: ['x'], outputs: ['win'],
    attributes: [
      ints('ConvKernelDim', [3, 3]), int('IFMChannels', 4), ints('IFMDim', [8, 8]), ints('OFMDim', [6, 6]), ints('Stride', [1, 1]), int('SIMD', 1),
      int('depthwise', 0), str('inputDataType', 'UINT4'), str('outputDataType', 'UINT4'),
    ],
  });
  const mvau = makeNode({
    opType: 'MVAU_hls', domain: 'finn.custom_op.fpgadataflow.hls', name: 'MVAU_hls_0', inputs: ['win', 'w'], outputs: ['y'],
    attributes: [
      int('MW', 36), int('MH', 8), int('PE', 1), int('SIMD', 1), str('inputDataType', 'UINT4'), str('weightDataType', 'INT4'),
      str('outputDataType', 'INT32'), str('accDataType', 'INT32'), int('noActivation', 1), ints('numInputVectors', [1, 6, 6]),
    ],
  });
  const m = new Model({
    ir_version: 8,
    opset_import: [{ domain: '', version: 13 }],
    graph: {
      name: 'g', node: [swg, mvau],
      input: [makeValueInfo('x', ElemType.FLOAT, [1, 8, 8, 4])],
      output: [makeValueInfo('y', ElemType.FLOAT, [1, 6, 6, 8])],
      value_info: [makeValueInfo('win', ElemType.FLOAT, [1, 6, 6, 36])],
    },
  } as ModelProto);
  const g = m.graph;
  g.setDatatypeName('x', 'UINT4');
  g.setDatatypeName('win', 'UINT4');
  g.setDatatypeName('y', 'INT32');
  g.setInitializer(tensorToProto(makeTensor(ElemType.FLOAT, [36, 8], Float32Array.from({ length: 288 }, (_, k) => (k % 15) - 7)), 'w'));
  g.setDatatypeName('w', 'INT4');
  return m;
}

const attr = (m: Model, node: string, name: string): number => getInt(m.graph.nodeList().find((n) => n.name === node)!, name, 0);

test('SWG_rtl → MVAU at 200 cycles: the SWG at max SIMD is still over target and gets parallel_window=1', async () => {
  const h = await harness();
  const m = swgMvauModel('rtl');
  const r = await foldModel(m, h.reg.hw, { targetCycles: 200 });
  // SWG rtl: ((3−1)·8 + (3−1) + 1)·cf + 6·max(6·9·cf, 8·cf) = 343·cf; SIMD 4 (cf 1) → 343 ≥ 200 at max SIMD:
  // parallel_window 1 → 8·8·cf + 2 = 66.
  assert.deepEqual([attr(m, 'ConvolutionInputGenerator_rtl_0', 'SIMD'), attr(m, 'ConvolutionInputGenerator_rtl_0', 'parallel_window')], [4, 1]);
  // MVAU: 8·36·36/(PE·SIMD); SIMD 9 → 1152 (36 ≤ 36), SIMD 12 → 864 ≥ 200 and 48 > 36: revert to 9; PE 8 → 144.
  assert.deepEqual([attr(m, 'MVAU_hls_0', 'SIMD'), attr(m, 'MVAU_hls_0', 'PE')], [9, 8]);
  assert.deepEqual(r.cycles, [66, 144]);
  assert.equal(r.passes, 1);
  // The switched SWG emits a whole window per cycle: 4·4 bits × 9.
  const { nodes } = await h.reg.hw.nodes(m);
  assert.deepEqual(nodes[0]!.streamWidths(), { inputs: [16], outputs: [144] });
});

test('an rtl SWG that meets the target, and an hls SWG, get no parallel_window', async () => {
  const h = await harness();
  const met = swgMvauModel('rtl');
  await foldModel(met, h.reg.hw, { targetCycles: 400 }); // SIMD 4 → 343 < 400
  assert.equal(attr(met, 'ConvolutionInputGenerator_rtl_0', 'parallel_window'), 0);
  const hls = swgMvauModel('hls');
  const r = await foldModel(hls, h.reg.hw, { targetCycles: 200 });
  assert.equal(attr(hls, 'ConvolutionInputGenerator_hls_0', 'parallel_window'), 0);
  assert.ok(r.cycles[0]! > 200, 'the hls SWG has no window switch, so it stays the bottleneck');
  assert.equal(r.passes, 2);
});

test('gtsrb (kernel_mapping) at 800k fps @10 ns: achieved max cycles with and without parallel_window', { skip: skipNoShared }, async () => {
  const reg = await builtins();
  const model = await streamlined(shared('labs/gtsrb_12x12_w2a3_c12x24x36.onnx'));
  await applyAll(model, KERNEL_MAPPING);
  const target = targetCyclesFor(800000, 10); // 125
  // Without the switch: the same walk with the SWGs' overTargetSwitch removed.
  const { foldable } = await foldableNodes(model, reg.hw);
  const plain = foldable.map((f) => ({ ...f, params: f.params.map(({ overTargetSwitch: _s, ...p }) => p) }));
  const without = setFolding(plain, { targetCycles: target });
  const r = await foldModel(model, reg.hw, { targetCycles: target });
  const swgs = r.names.filter((n) => n.startsWith('ConvolutionInputGenerator_rtl'));
  const switched = swgs.filter((n) => attr(model, n, 'parallel_window') === 1);
  console.log(`gtsrb @800k fps, 10 ns (target ${target}): max cycles ${without.maxCycles} (${without.bottleneck}) without parallel_window, ${r.maxCycles} (${r.bottleneck}) with; switched: ${switched.join(', ')}`);
  assert.ok(switched.length > 0);
  assert.ok(r.maxCycles < without.maxCycles, `${r.maxCycles} should beat ${without.maxCycles}`);
  for (const n of switched) assert.equal(attr(model, n, 'SIMD'), getInt(model.graph.nodeList().find((x) => x.name === n)!, 'IFMChannels'));
});
