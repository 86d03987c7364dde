/**
 * The optimization stage's kernel hooks (parallelism hints, stream widths) exercised through the real
 * kernel plugins: SetFolding via foldModel, InsertDWC and InsertFIFO via the registry.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ElemType, getInt, loadModel, makeNode, makeTensor, makeValueInfo, Model, tensorToProto, type AttributeProto, type ModelProto, type NodeProto } from '../../src/index.js';
import { applyTransform } from '../../src/host.js';
import { foldingConfigOf, foldModel, hwEdges, targetCyclesFor } from '../../src/rewrite.js';
import { shared, skipNoShared } from '../helpers/paths.js';
import { harness } from '../transforms/optimization/support.js';

const int = (name: string, i: number): AttributeProto => ({ name, type: 2, i });
const ints = (name: string, v: readonly number[]): AttributeProto => ({ name, type: 7, ints: [...v] });
const str = (name: string, s: string): AttributeProto => ({ name, type: 3, s: new TextEncoder().encode(s) });

interface Layer {
  node: NodeProto;
  /** Initializers of the node, by name. */
  consts?: { name: string; dims: number[]; data: Float32Array }[];
  /** Datatype and shape of the node's output. */
  out: { dt: string; shape: number[] };
}

/** A linear model x → layers → y, with shapes, datatypes and initializers annotated. */
function chainModel(inShape: number[], inDt: string, layers: Layer[]): Model {
  const m = new Model({
    ir_version: 8,
    opset_import: [{ domain: '', version: 13 }],
    graph: {
      name: 'g',
      node: layers.map((l) => l.node),
      input: [makeValueInfo(layers[0]!.node.input![0]!, ElemType.FLOAT, inShape)],
      output: [makeValueInfo(layers.at(-1)!.node.output![0]!, ElemType.FLOAT, layers.at(-1)!.out.shape)],
      value_info: layers.slice(0, -1).map((l) => makeValueInfo(l.node.output![0]!, ElemType.FLOAT, l.out.shape)),
    },
  } as ModelProto);
  const g = m.graph;
  g.setDatatypeName(layers[0]!.node.input![0]!, inDt);
  for (const l of layers) {
    g.setDatatypeName(l.node.output![0]!, l.out.dt);
    for (const c of l.consts ?? []) g.setInitializer(tensorToProto(makeTensor(ElemType.FLOAT, c.dims, c.data), c.name));
  }
  return m;
}

/** FINN's make_multi_fclayer_model: n MVAU_hls layers ch×ch, INT4 weights, INT2 activations, INT16 thresholds. */
function multiFcModel(ch: number, n: number): Model {
  const layers: Layer[] = [];
  for (let i = 0; i < n; i++) {
    const w = Float32Array.from({ length: ch * ch }, (_, k) => ((k * 7 + i) % 16) - 8);
    const thr = Float32Array.from({ length: ch * 3 }, (_, k) => (k % 3) * 4 - 4);
    layers.push({
      node: makeNode({
        opType: 'MVAU_hls', domain: 'finn.custom_op.fpgadataflow.hls', name: `MVAU_hls_${i}`,
        inputs: [i === 0 ? 'x' : `a${i - 1}`, `w${i}`, `t${i}`], outputs: [i === n - 1 ? 'y' : `a${i}`],
        attributes: [
          int('MW', ch), int('MH', ch), int('PE', 1), int('SIMD', 1), str('inputDataType', 'INT2'), str('weightDataType', 'INT4'),
          str('outputDataType', 'INT2'), str('accDataType', 'INT16'), int('ActVal', -2), ints('numInputVectors', [1]),
        ],
      }),
      consts: [{ name: `w${i}`, dims: [ch, ch], data: w }, { name: `t${i}`, dims: [ch, 3], data: thr }],
      out: { dt: 'INT2', shape: [1, ch] },
    });
  }
  return chainModel([1, ch], 'INT2', layers);
}

const attrOf = (m: Model, name: string, attr: string): number => getInt(m.graph.nodeList().find((n) => n.name === name)!, attr)!;

// FINN tests/fpgadataflow/test_set_folding.py: 5 MVAUs 128×128, clock 5 ns; achieved ≤ max(target, floor).
for (const [platform, floor] of [['Pynq-Z1', 128], ['Ultra96', 64], ['U200', 1]] as const) {
  for (const fps of [30, 1e5, 1e7]) {
    test(`foldModel on FINN's test_set_folding model (5×MVAU_hls 128×128 INT4/INT2), ${platform} at ${fps} fps`, async () => {
      const h = await harness();
      const m = multiFcModel(128, 5);
      const target = targetCyclesFor(fps, 5);
      const r = await foldModel(m, h.reg.hw, { targetCycles: target });
      assert.deepEqual(r.names, [0, 1, 2, 3, 4].map((i) => `MVAU_hls_${i}`));
      assert.deepEqual(r.skipped, []);
      assert.ok(r.maxCycles <= Math.max(floor, target), `achieved ${r.maxCycles} > max(${floor}, ${target})`);
      for (let i = 0; i < 5; i++) {
        const pe = attrOf(m, `MVAU_hls_${i}`, 'PE');
        const simd = attrOf(m, `MVAU_hls_${i}`, 'SIMD');
        assert.equal(128 % pe, 0);
        assert.equal(128 % simd, 0);
        assert.equal(r.cycles[i], (128 / pe) * (128 / simd));
      }
      // SIMD is walked first and stops at 8 (8·4 = 32 ≤ 36 < 16·4): at 1e7 fps (20 cycles) PE goes to 128.
      if (fps === 1e7) assert.deepEqual([attrOf(m, 'MVAU_hls_0', 'SIMD'), attrOf(m, 'MVAU_hls_0', 'PE'), r.maxCycles], [8, 128, 16]);
      if (fps === 30) assert.equal(r.changed, false);
    });
  }
}

const cybsecNames = [0, 1, 2, 3].map((i) => `MVAU_hls_${i}`);

/** The fixture's nodes are unnamed; FINN's GiveUniqueNodeNames calls them MVAU_hls_0…3 (as estimates do). */
async function cybsec(): Promise<Model> {
  const m = await loadModel(shared('finn', 'cybsec_PE_SIMD.onnx'));
  for (const [i, n] of m.graph.nodeList().entries()) n.proto.name = cybsecNames[i]!;
  return m;
}

test('foldModel on cybsec_PE_SIMD at 1e6 fps, 10 ns, mvau_wwidth_max 80: MVAU_hls_0 PE16/SIMD40 = 60 cycles', { skip: skipNoShared }, async () => {
  const h = await harness();
  const m = await cybsec();
  const r = await foldModel(m, h.reg.hw, { targetCycles: targetCyclesFor(1e6, 10), wwidthMax: 80 });
  assert.deepEqual(r.names, cybsecNames);
  // SIMD walk on 600: 40 (80 bits) still at 960 cycles, 50 would be 100 bits > 80: back to 40, then PE 16.
  assert.deepEqual([attrOf(m, 'MVAU_hls_0', 'PE'), attrOf(m, 'MVAU_hls_0', 'SIMD')], [16, 40]);
  assert.deepEqual([attrOf(m, 'MVAU_hls_3', 'PE'), attrOf(m, 'MVAU_hls_3', 'SIMD')], [1, 1]); // 64 cycles already
  assert.deepEqual(r.cycles, [60, 64, 64, 64]);
  assert.equal(r.passes, 1);
  // The folding config lists PE before SIMD, as FINN writes it, although SIMD is walked first.
  assert.deepEqual(Object.keys((await foldingConfigOf(m, h.reg.hw)).MVAU_hls_0!).slice(0, 2), ['PE', 'SIMD']);
});

/** Thresholding (16 ch, 10×10) → depthwise ConvolutionInputGenerator_rtl 3×3 → VVAU_hls 16 ch. */
function depthwiseModel(): Model {
  const C = 16;
  return chainModel([1, 10, 10, C], 'INT8', [
    {
      node: makeNode({
        opType: 'Thresholding_hls', domain: 'finn.custom_op.fpgadataflow.hls', name: 'Thresholding_hls_0', inputs: ['x', 'thr'], outputs: ['a'],
        attributes: [int('PE', 1), int('NumChannels', C), str('inputDataType', 'INT8'), str('outputDataType', 'UINT4'), ints('numInputVectors', [1, 10, 10]), int('numSteps', 15)],
      }),
      consts: [{ name: 'thr', dims: [C, 15], data: Float32Array.from({ length: C * 15 }, (_, k) => (k % 15) - 7) }],
      out: { dt: 'UINT4', shape: [1, 10, 10, C] },
    },
    {
      node: makeNode({
        opType: 'ConvolutionInputGenerator_rtl', domain: 'finn.custom_op.fpgadataflow.rtl', name: 'ConvolutionInputGenerator_rtl_0', inputs: ['a'], outputs: ['b'],
        attributes: [
          ints('ConvKernelDim', [3, 3]), int('IFMChannels', C), ints('IFMDim', [10, 10]), ints('OFMDim', [8, 8]), int('SIMD', 1), int('depthwise', 1),
          str('inputDataType', 'UINT4'), str('outputDataType', 'UINT4'),
        ],
      }),
      out: { dt: 'UINT4', shape: [1, 8, 8, 9 * C] },
    },
    {
      node: makeNode({
        opType: 'VVAU_hls', domain: 'finn.custom_op.fpgadataflow.hls', name: 'VVAU_hls_0', inputs: ['b', 'vw'], outputs: ['y'],
        attributes: [
          int('PE', 1), int('SIMD', 1), ints('Dim', [8, 8]), int('Channels', C), ints('Kernel', [3, 3]), int('noActivation', 1),
          str('inputDataType', 'UINT4'), str('weightDataType', 'INT4'), str('outputDataType', 'INT32'),
        ],
      }),
      consts: [{ name: 'vw', dims: [C, 1, 3, 3], data: Float32Array.from({ length: C * 9 }, (_, k) => (k % 15) - 7) }],
      out: { dt: 'INT32', shape: [1, 8, 8, C] },
    },
  ]);
}

test('foldModel: VVAU walks PE then SIMD over kh·kw, and the depthwise SWG takes the VVAU\'s PE as its SIMD', async () => {
  const h = await harness();
  // 2000 cycles: VVAU (16·9/P)·64 → PE 8 (1152); Thresholding 1600/PE → PE 1; the SWG follows with SIMD 8.
  const m = depthwiseModel();
  const r = await foldModel(m, h.reg.hw, { targetCycles: 2000 });
  assert.deepEqual(r.names, ['Thresholding_hls_0', 'ConvolutionInputGenerator_rtl_0', 'VVAU_hls_0']);
  assert.deepEqual([attrOf(m, 'VVAU_hls_0', 'PE'), attrOf(m, 'VVAU_hls_0', 'SIMD')], [8, 1]);
  assert.equal(attrOf(m, 'ConvolutionInputGenerator_rtl_0', 'SIMD'), 8);
  assert.equal(attrOf(m, 'Thresholding_hls_0', 'PE'), 1);
  assert.deepEqual([r.cycles[0], r.cycles[2]], [1600, 1152]);
  // 500 cycles: PE 16 leaves 576, so SIMD walks the divisors of 9 → 3 (192 cycles); the SWG gets SIMD 16.
  const m2 = depthwiseModel();
  const r2 = await foldModel(m2, h.reg.hw, { targetCycles: 500, twoPassRelaxation: false });
  assert.deepEqual([attrOf(m2, 'VVAU_hls_0', 'PE'), attrOf(m2, 'VVAU_hls_0', 'SIMD')], [16, 3]);
  assert.equal(attrOf(m2, 'ConvolutionInputGenerator_rtl_0', 'SIMD'), 16);
  assert.equal(attrOf(m2, 'Thresholding_hls_0', 'PE'), 4); // 1600/4 = 400 < 500
  assert.equal(r2.cycles[2], 192);
});

test('foldModel: Pool walks PE over its channels and its depthwise SWG follows with SIMD = PE', async () => {
  const h = await harness();
  const C = 4;
  const m = chainModel([1, 4, 4, C], 'UINT4', [
    {
      node: makeNode({
        opType: 'ConvolutionInputGenerator_rtl', domain: 'finn.custom_op.fpgadataflow.rtl', name: 'ConvolutionInputGenerator_rtl_0', inputs: ['x'], outputs: ['w'],
        attributes: [
          ints('ConvKernelDim', [2, 2]), int('IFMChannels', C), ints('IFMDim', [4, 4]), ints('OFMDim', [2, 2]), ints('Stride', [2, 2]), int('SIMD', 1),
          int('depthwise', 1), str('inputDataType', 'UINT4'), str('outputDataType', 'UINT4'),
        ],
      }),
      out: { dt: 'UINT4', shape: [1, 2, 2, 4 * C] },
    },
    {
      node: makeNode({
        opType: 'Pool_hls', domain: 'finn.custom_op.fpgadataflow.hls', name: 'Pool_hls_0', inputs: ['w'], outputs: ['y'],
        attributes: [
          int('Channels', C), int('PE', 1), ints('KernelSize', [2, 2]), str('Function', 'MaxPool'), ints('OutImgDims', [2, 2]),
          str('InputDataType', 'UINT4'), str('OutputDataType', 'UINT4'),
        ],
      }),
      out: { dt: 'UINT4', shape: [1, 2, 2, C] },
    },
  ]);
  // Pool: (4·4/PE)·4 = 64/PE < 20 → PE 4 (16 cycles).
  const r = await foldModel(m, h.reg.hw, { targetCycles: 20, twoPassRelaxation: false });
  assert.deepEqual([attrOf(m, 'Pool_hls_0', 'PE'), attrOf(m, 'ConvolutionInputGenerator_rtl_0', 'SIMD')], [4, 4]);
  assert.equal(r.cycles[1], 16);
});

test('stream widths of the depthwise chain from the folded shape (PE/SIMD × bits)', async () => {
  const h = await harness();
  const m = depthwiseModel();
  await foldModel(m, h.reg.hw, { targetCycles: 500, twoPassRelaxation: false });
  const { nodes } = await h.reg.hw.nodes(m);
  // Thresholding PE 4: in 4·8, out 4·4; SWG SIMD 16: 16·4 in, and since the VVAU's SIMD 3 > 1 the rtl SWG
  // gets parallel_window=1 (FINN's SetFolding): a whole 3×3 window out, 16·4·9; VVAU SIMD 3 × PE 16 × 4 in, 16·32 out.
  assert.deepEqual(nodes.map((kn) => kn.streamWidths()), [
    { inputs: [32], outputs: [16] },
    { inputs: [64], outputs: [576] },
    { inputs: [192], outputs: [512] },
  ]);
});

test('InsertDWC on cybsec_PE_SIMD: converters exactly where adjacent MVAUs\' widths differ', { skip: skipNoShared }, async () => {
  const h = await harness();
  const m = await cybsec();
  // Unfolded, every stream is 1·2 bits on both sides: nothing to convert.
  assert.equal((await applyTransform(h.reg, 'InsertDWC', m)).changed, false);
  // out = PE·2 bits (UINT2), in = SIMD·2 bits (UINT2 input):
  // MVAU_0 PE 4 → 8 | MVAU_1 SIMD 4 → 8: equal; MVAU_1 PE 2 → 4 | MVAU_2 SIMD 8 → 16: DWC 4→16;
  // MVAU_2 PE 1 → 2 | MVAU_3 SIMD 1 → 2: equal.
  const folding = [[4, 1], [2, 4], [1, 8], [1, 1]];
  for (const [i, n] of m.graph.nodeList().entries()) {
    n.proto.attribute = n.proto.attribute!.filter((a) => a.name !== 'PE' && a.name !== 'SIMD');
    n.proto.attribute.push(int('PE', folding[i]![0]!), int('SIMD', folding[i]![1]!));
  }
  const widths = (await hwEdges(m, h.reg.hw)).map((e) => [e.producer.name, e.outWidth, e.consumer.name, e.inWidth]);
  assert.deepEqual(widths, [['MVAU_hls_0', 8, 'MVAU_hls_1', 8], ['MVAU_hls_1', 4, 'MVAU_hls_2', 16], ['MVAU_hls_2', 2, 'MVAU_hls_3', 2]]);
  assert.equal((await applyTransform(h.reg, 'InsertDWC', m)).changed, true);
  const nodes = m.graph.nodeList();
  assert.deepEqual(nodes.map((n) => n.name), ['MVAU_hls_0', 'MVAU_hls_1', 'StreamingDataWidthConverter_0', 'MVAU_hls_2', 'MVAU_hls_3']);
  const dwc = nodes[2]!;
  assert.deepEqual([getInt(dwc, 'inWidth'), getInt(dwc, 'outWidth')], [4, 16]);
  // The converter is a kernel node too: its declared widths close the gap on both sides.
  const after = (await hwEdges(m, h.reg.hw)).map((e) => [e.producer.name, e.outWidth, e.consumer.name, e.inWidth]);
  assert.deepEqual(after, [
    ['MVAU_hls_0', 8, 'MVAU_hls_1', 8], ['MVAU_hls_1', 4, 'StreamingDataWidthConverter_0', 4],
    ['StreamingDataWidthConverter_0', 16, 'MVAU_hls_2', 16], ['MVAU_hls_2', 2, 'MVAU_hls_3', 2],
  ]);
  assert.equal((await applyTransform(h.reg, 'InsertDWC', m)).changed, false);

  // InsertFIFO then puts a FIFO on every stream between two kernels (4), each as wide as its stream.
  assert.equal((await applyTransform(h.reg, 'InsertFIFO', m)).changed, true);
  const withFifos = m.graph.nodeList();
  assert.deepEqual(withFifos.map((n) => n.opType), [
    'MVAU_hls', 'StreamingFIFO', 'MVAU_hls', 'StreamingFIFO', 'StreamingDataWidthConverter', 'StreamingFIFO', 'MVAU_hls', 'StreamingFIFO', 'MVAU_hls',
  ]);
  const fifoEdges = (await hwEdges(m, h.reg.hw)).filter((e) => e.consumer.node.opType === 'StreamingFIFO' || e.producer.node.opType === 'StreamingFIFO');
  assert.equal(fifoEdges.length, 8);
  for (const e of fifoEdges) assert.equal(e.outWidth, e.inWidth, `${e.producer.name} → ${e.consumer.name}`);
  const fifoWidths = (await h.reg.hw.nodes(m)).nodes.filter((kn) => kn.node.opType === 'StreamingFIFO').map((kn) => kn.streamWidths()!.inputs[0]);
  assert.deepEqual(fifoWidths, [8, 4, 16, 2]);
});

test('stream widths of the other kernels from their folded shapes', async () => {
  const h = await harness();
  const C = 8;
  const m = chainModel([1, 4, 4, C], 'UINT4', [
    {
      node: makeNode({
        opType: 'FMPadding_rtl', domain: 'finn.custom_op.fpgadataflow.rtl', name: 'FMPadding_rtl_0', inputs: ['x'], outputs: ['p'],
        attributes: [ints('ImgDim', [4, 4]), ints('Padding', [1, 1, 1, 1]), int('NumChannels', C), int('SIMD', 2), str('inputDataType', 'UINT4')],
      }),
      out: { dt: 'UINT4', shape: [1, 6, 6, C] },
    },
    {
      node: makeNode({
        opType: 'StreamingMaxPool_hls', domain: 'finn.custom_op.fpgadataflow.hls', name: 'StreamingMaxPool_hls_0', inputs: ['p'], outputs: ['q'],
        attributes: [ints('ImgDim', [6, 6]), ints('PoolDim', [2, 2]), int('NumChannels', C), int('PE', 2), str('dataType', 'UINT4')],
      }),
      out: { dt: 'UINT4', shape: [1, 3, 3, C] },
    },
    {
      node: makeNode({
        opType: 'GlobalAccPool_hls', domain: 'finn.custom_op.fpgadataflow.hls', name: 'GlobalAccPool_hls_0', inputs: ['q'], outputs: ['r'],
        attributes: [int('NumChannels', C), int('PE', 4), str('inputDataType', 'UINT4'), ints('numInputVectors', [1, 3, 3])],
      }),
      out: { dt: 'UINT8', shape: [1, 1, 1, C] },
    },
    {
      node: makeNode({
        opType: 'LabelSelect_hls', domain: 'finn.custom_op.fpgadataflow.hls', name: 'LabelSelect_hls_0', inputs: ['r'], outputs: ['y'],
        attributes: [int('Labels', C), int('PE', 2), int('K', 1), str('inputDataType', 'UINT8')],
      }),
      out: { dt: 'UINT8', shape: [1, 1] },
    },
  ]);
  const { nodes } = await h.reg.hw.nodes(m);
  assert.deepEqual(nodes.map((kn) => [kn.name, kn.streamWidths()]), [
    ['FMPadding_rtl_0', { inputs: [8], outputs: [8] }], // SIMD 2 × 4 bits
    ['StreamingMaxPool_hls_0', { inputs: [32], outputs: [32] }], // 2D: all 8 channels × 4 bits
    ['GlobalAccPool_hls_0', { inputs: [16], outputs: [32] }], // PE 4 × 4 bits in; sum of 9 UINT4 ≤ 135 → UINT8
    ['LabelSelect_hls_0', { inputs: [16], outputs: [8] }], // PE 2 × 8 bits in; one label (0..7: UINT3, FINN rounds to UINT8) out
  ]);
  // SetFolding leaves StreamingMaxPool's PE alone (FINN does not fold it; 2D: int(36·1.25) = 45 cycles) and
  // walks the others. 20 cycles is out of reach (FMPadding bottoms out at 288/8 = 36), so the second pass
  // balances to 45: FMPadding SIMD 8 (36), GlobalAccPool 80/PE → PE 2 (40), LabelSelect 8/PE → PE 1.
  const r = await foldModel(m, h.reg.hw, { targetCycles: 20 });
  assert.equal(r.passes, 2);
  assert.deepEqual(r.relaxedFrom, { node: 'StreamingMaxPool_hls_0', cycles: 45 });
  assert.equal(attrOf(m, 'StreamingMaxPool_hls_0', 'PE'), 2);
  assert.deepEqual([attrOf(m, 'FMPadding_rtl_0', 'SIMD'), attrOf(m, 'GlobalAccPool_hls_0', 'PE'), attrOf(m, 'LabelSelect_hls_0', 'PE')], [8, 2, 1]);
});
