/**
 * The RTL generators on real nodes: TFC models mapped to kernels (real weights, thresholds and datatypes
 * from the mapping), each node folded, generated, simulated alone and compared bit-exactly with `execute`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ElemType, makeTensor, tensorToNumbers, type KernelDeclaration, type BackendDeclaration } from '../src/index.js';
import { buildNodeView, datatype, divisors } from '../src/estimate/index.js';
import { packStream } from '../src/hdl/index.js';
import mvauKernel from '../kernels/MVAU/kernel.js';
import mvauRtl from '../kernels/MVAU/rtl.js';
import thrKernel from '../kernels/Thresholding/kernel.js';
import thrRtl from '../kernels/Thresholding/rtl.js';
import lsKernel from '../kernels/LabelSelect/kernel.js';
import lsRtl from '../kernels/LabelSelect/rtl.js';
import { mvauAttributes } from '../kernels/MVAU/_model.js';
import { thresholdingAttributes } from '../kernels/Thresholding/_model.js';
import { labelSelectAttributes } from '../kernels/LabelSelect/kernel.js';
import { ctx } from './kernels/support.js';
import { KERNEL_MAPPING, applyAll, streamlined } from './transforms/kernel_mapping/support.js';
import { shared, skipNoShared } from './helpers/paths.js';
import { skipNoIcarus } from './helpers/hdl-sim.js';
import { rng, runCase } from './helpers/hdl-kernel.js';
import type { z } from 'zod';

const KERNELS: Record<string, { kernel: KernelDeclaration; rtl: BackendDeclaration; schema: z.ZodType; dir: string; lanes: [string, string] }> = {
  MVAU: { kernel: mvauKernel as KernelDeclaration, rtl: mvauRtl as BackendDeclaration, schema: mvauAttributes, dir: 'MVAU', lanes: ['SIMD', 'PE'] },
  Thresholding: { kernel: thrKernel as KernelDeclaration, rtl: thrRtl as BackendDeclaration, schema: thresholdingAttributes, dir: 'Thresholding', lanes: ['PE', 'PE'] },
  LabelSelect: { kernel: lsKernel as KernelDeclaration, rtl: lsRtl as BackendDeclaration, schema: labelSelectAttributes, dir: 'LabelSelect', lanes: ['PE', 'PE'] },
};

function largestDivisor(n: number, max: number): number {
  return Math.max(...divisors(n).filter((d) => d <= max));
}

for (const file of ['labs/tfc-w1a1.onnx', 'labs/tfc-w2a2.onnx']) {
  test(`${file}: every MVAU, Thresholding and LabelSelect node generated, simulated alone, bit-exact`, { skip: skipNoShared || skipNoIcarus }, async () => {
    const model = await streamlined(shared(file));
    await applyAll(model, KERNEL_MAPPING);
    let checked = 0;
    for (const [k, node] of model.graph.nodeList().entries()) {
      const kind = Object.keys(KERNELS).find((name) => node.opType.startsWith(name));
      if (!kind) continue;
      const K = KERNELS[kind]!;
      const v = buildNodeView(model, node);
      const attrs = K.schema.parse(v.attrs) as Record<string, number | string | number[]>;
      // Fold so that a frame takes tens of cycles.
      if (kind === 'MVAU') Object.assign(attrs, { SIMD: largestDivisor(attrs.MW as number, 64), PE: largestDivisor(attrs.MH as number, 16), mem_mode: 'internal_embedded' });
      if (kind === 'Thresholding') attrs.PE = largestDivisor(attrs.NumChannels as number, 16);
      const view = { ...v, name: node.name.replace(/_hls_/, '_rtl_'), attrs };
      const idt = attrs.inputDataType as string;
      const odt = (kind === 'LabelSelect' ? v.outputDatatypes[0] : attrs.outputDataType) as string;
      const width = (kind === 'MVAU' ? attrs.MW : kind === 'Thresholding' ? attrs.NumChannels : attrs.Labels) as number;
      const r = rng(2000 + k);
      const t = datatype(idt);
      const frames = 2;
      const xs = Array.from({ length: frames * width }, () => (t.name === 'BIPOLAR' ? (r(0, 1) ? 1 : -1) : r(t.min(), t.max())));
      const x = makeTensor(ElemType.FLOAT, [frames, width], Float32Array.from(xs));
      const inputs = [x, ...node.inputs.slice(1).map((_, i) => v.constantInput(i + 1))];
      const [y] = await K.kernel.execute!(inputs, attrs, ctx);
      const inLanes = attrs[K.lanes[0]] as number;
      const outLanes = kind === 'LabelSelect' ? 1 : (attrs[K.lanes[1]] as number);
      const inType = kind === 'MVAU' && attrs.binaryXnorMode === 1 ? 'BINARY' : idt;
      const res = await runCase({
        gen: await K.rtl.generate!(view, ctx), kernel: K.dir,
        inBits: inLanes * t.bitwidth(), outBits: outLanes * datatype(odt).bitwidth(),
        inWords: packStream(xs.map((e) => (inType === 'BINARY' && idt === 'BIPOLAR' ? (e > 0 ? 1 : 0) : e)), inLanes, inType),
        expected: packStream(tensorToNumbers(y!), outLanes, odt),
      });
      assert.deepEqual(res.errors, [], `${file} ${node.name} (${kind})`);
      checked++;
    }
    assert.ok(checked >= 5, `${checked} nodes checked`);
  });
}
