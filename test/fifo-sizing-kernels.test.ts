// The MLP kernels' stream behaviours against their generated RTL: each node alone in Icarus (input always
// valid, output always ready, two frames) hands over every output word in exactly the cycle the dataflow
// model predicts (the testbench's first input handshake is one cycle after the model's cycle 0).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ElemType, makeTensor, type GeneratedNode, type KernelNodeView, type StreamBehaviour } from '../src/index.js';
import { paddedWidth } from '../src/hdl/index.js';
import { runDataflow } from '../src/fifo-sizing/dataflow-model.js';
import { buildSimulation, finnNodeInterface, runSimulation } from '../src/sim/index.js';
import mvauKernel from '../kernels/MVAU/kernel.js';
import mvauRtl from '../kernels/MVAU/rtl.js';
import { mvauAttributes } from '../kernels/MVAU/_model.js';
import thrKernel from '../kernels/Thresholding/kernel.js';
import thrRtl from '../kernels/Thresholding/rtl.js';
import { thresholdingAttributes } from '../kernels/Thresholding/_model.js';
import lsKernel, { labelSelectAttributes } from '../kernels/LabelSelect/kernel.js';
import lsRtl from '../kernels/LabelSelect/rtl.js';
import dwcKernel from '../kernels/StreamingDataWidthConverter/kernel.js';
import dwcRtl from '../kernels/StreamingDataWidthConverter/rtl.js';
import { dwcAttributes } from '../kernels/StreamingDataWidthConverter/_model.js';
import fifoKernel from '../kernels/StreamingFIFO/kernel.js';
import fifoRtl from '../kernels/StreamingFIFO/rtl.js';
import { fifoAttributes } from '../kernels/StreamingFIFO/_model.js';
import cwKernel, { channelwiseOpAttributes } from '../kernels/ChannelwiseOp/kernel.js';
import cwRtl from '../kernels/ChannelwiseOp/rtl.js';
import { ctx, view } from './kernels/support.js';
import { writeNode } from './helpers/hdl-sim.js';
import { repoRoot } from './helpers/paths.js';
import { skipNoIcarus } from './helpers/sim.js';
import { tempDir } from './helpers/tmp.js';

interface Case {
  what: string;
  kernel: string;
  node: KernelNodeView;
  behaviour: (n: KernelNodeView) => StreamBehaviour;
  generate: (n: KernelNodeView) => Promise<GeneratedNode>;
  inBits: number;
  outBits: number;
}

const FRAMES = 2;
const weights = (mw: number, mh: number) => makeTensor(ElemType.FLOAT, [mw, mh], Float32Array.from({ length: mw * mh }, (_, k) => (k % 3) - 1));
const thresholds = (c: number, s: number) => makeTensor(ElemType.FLOAT, [c, s], Float32Array.from({ length: c * s }, (_, k) => (k % s) - 1));

function mvau(MW: number, MH: number, SIMD: number, PE: number): Case {
  const attrs = { MW, MH, SIMD, PE, inputDataType: 'UINT2', weightDataType: 'INT2', outputDataType: 'UINT2', noActivation: 0 };
  const node = view(mvauAttributes, attrs, { name: `MVAU_rtl_${MW}_${MH}_${SIMD}_${PE}`, consts: { 1: weights(MW, MH), 2: thresholds(MH, 3) } });
  return { what: `MVAU ${MW}x${MH} SIMD ${SIMD} PE ${PE}`, kernel: 'MVAU', node, behaviour: (n) => mvauKernel.streamBehaviour!(n, ctx), generate: async (n) => mvauRtl.generate!(n, ctx), inBits: SIMD * 2, outBits: PE * 2 };
}

function dwc(inWidth: number, outWidth: number, n: number): Case {
  const node = view(dwcAttributes, { shape: [1, n], inWidth, outWidth, dataType: 'UINT2' }, { name: `DWC_${inWidth}_${outWidth}` });
  return { what: `DWC ${inWidth} -> ${outWidth}`, kernel: 'StreamingDataWidthConverter', node, behaviour: (v) => dwcKernel.streamBehaviour!(v, ctx), generate: async (v) => dwcRtl.generate!(v, ctx), inBits: inWidth, outBits: outWidth };
}

const CASES: Case[] = [
  mvau(8, 4, 2, 4), mvau(8, 4, 2, 1), mvau(8, 8, 8, 2), mvau(6, 6, 1, 2),
  (() => {
    const node = view(thresholdingAttributes, { NumChannels: 8, PE: 2, inputDataType: 'UINT4', outputDataType: 'UINT2', numSteps: 3 }, { name: 'Thresholding_rtl_t', consts: { 1: thresholds(8, 3) } });
    return { what: 'Thresholding C 8 PE 2', kernel: 'Thresholding', node, behaviour: (n: KernelNodeView) => thrKernel.streamBehaviour!(n, ctx), generate: async (n: KernelNodeView) => thrRtl.generate!(n, ctx), inBits: 8, outBits: 4 };
  })(),
  ...[[10, 2, 3], [6, 1, 4]].map(([Labels, PE, K]) => {
    const node = view(labelSelectAttributes, { Labels, PE, K, inputDataType: 'INT8' }, { name: `LabelSelect_rtl_${Labels}_${PE}_${K}` });
    return { what: `LabelSelect ${Labels}/${PE} top ${K}`, kernel: 'LabelSelect', node, behaviour: (n: KernelNodeView) => lsKernel.streamBehaviour!(n, ctx), generate: async (n: KernelNodeView) => lsRtl.generate!(n, ctx), inBits: PE! * 8, outBits: 8 };
  }),
  (() => {
    // Eight parameter words read through a registered ROM port: the word of each beat is ready when it is accepted.
    const params = makeTensor(ElemType.FLOAT, [16], Float32Array.from({ length: 16 }, (_, k) => (k % 5) - 2));
    const attrs = { Func: 'add', NumChannels: 16, PE: 2, inputDataType: 'UINT4', paramDataType: 'INT3', outputDataType: 'INT6', numInputVectors: [3] };
    const node = view(channelwiseOpAttributes, attrs, { name: 'ChannelwiseOp_rtl_t', consts: { 1: params } });
    return { what: 'ChannelwiseOp add C 16 PE 2', kernel: 'ChannelwiseOp', node, behaviour: (n: KernelNodeView) => cwKernel.streamBehaviour!(n, ctx), generate: async (n: KernelNodeView) => cwRtl.generate!(n, ctx), inBits: 8, outBits: 12 };
  })(),
  dwc(2, 8, 16), dwc(8, 2, 16), dwc(6, 4, 24), dwc(4, 6, 24),
  (() => {
    const node = view(fifoAttributes, { depth: 3, folded_shape: [1, 8, 4], normal_shape: [1, 32], dataType: 'UINT2' }, { name: 'StreamingFIFO_t' });
    return { what: 'FIFO depth 3', kernel: 'StreamingFIFO', node, behaviour: (n: KernelNodeView) => fifoKernel.streamBehaviour!(n, ctx), generate: async (n: KernelNodeView) => fifoRtl.generate!(n, ctx), inBits: 8, outBits: 8 };
  })(),
];

test('MLP kernels: every output word of the RTL alone moves in the cycle the stream model predicts (Icarus, 2 frames)', { skip: skipNoIcarus }, async () => {
  const cache = tempDir('bs-fifo-kernels-');
  for (const c of CASES) {
    const b = c.behaviour(c.node);
    const model = runDataflow([{ name: c.node.name, behaviour: b, inputs: ['x'], outputs: ['y'] }], { frames: FRAMES });
    assert.equal(model.ok, true, c.what);
    const w = writeNode(await c.generate(c.node), path.join(repoRoot, 'kernels', c.kernel));
    const dut = finnNodeInterface(w.top, [paddedWidth(c.inBits)], [paddedWidth(c.outBits)]);
    const build = await buildSimulation({ sources: w.sources, dut }, { simulator: 'icarus', cacheDir: cache });
    const inWords = Array.from({ length: b.words.in0! * FRAMES }, (_, k) => BigInt(k % (1 << Math.min(c.inBits, 8))));
    const r = await runSimulation(build, { inputs: [inWords], expected: [b.words.out0! * FRAMES], cwd: w.dir, idleTimeout: 10_000 });
    assert.deepEqual(r.cycles[0], model.outputs[0]!.map((t) => t + 1), c.what);
  }
});
