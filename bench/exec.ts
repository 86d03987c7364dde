import { executeModel } from '../src/exec/execute.js';
import { readNpy } from '../src/exec/npy.js';
import { loadModel } from '../src/onnx/load.js';
import type { TensorValue } from '../src/tensor/tensor-value.js';
import { hasShared, shared } from '../test/helpers/paths.js';
import type { Report } from './harness.js';

/**
 * Reference execution speed: FINN's TFC-w1a1 (tfc_w1a1/model.onnx) run in-process on 10,000 MNIST-sized
 * inputs, one executeModel call per input (the golden images, cycled). Reports inputs/s and ms per call.
 */

const SUITE = 'exec';
const INPUTS = 10_000;

export async function run(report: Report): Promise<void> {
  if (!hasShared) {
    report({ suite: SUITE, name: `TFC-w1a1 exec, ${INPUTS} inputs`, median: NaN, unit: 'items/s', note: 'skipped: ../shared/fixtures absent' });
    return;
  }
  const model = await loadModel(shared('finn', 'tfc_w1a1', 'model.onnx'));
  const batch = readNpy(shared('finn', 'tfc_w1a1', 'input.npy'));
  const per = 784;
  const images: TensorValue[] = [];
  for (let i = 0; i < batch.dims[0]!; i++) {
    images.push({ elemType: batch.elemType, dims: [1, 1, 28, 28], data: (batch.data as Float32Array).slice(i * per, (i + 1) * per) });
  }
  const input = model.graph.inputNames()[0]!;
  await executeModel(model, new Map([[input, images[0]!]]), { fallback: 'none' }); // warm-up (decodes weights)
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < INPUTS; i++) await executeModel(model, new Map([[input, images[i % images.length]!]]), { fallback: 'none' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  report({ suite: SUITE, name: `TFC-w1a1 exec, ${INPUTS} inputs (in-process executeModel loop)`, median: Math.round((INPUTS / ms) * 1000), unit: 'items/s', note: `${(ms / INPUTS).toFixed(3)} ms per call, ${(ms / 1000).toFixed(1)} s total` });
  report({ suite: SUITE, name: 'TFC-w1a1 exec, ms per call', median: Number((ms / INPUTS).toFixed(3)), unit: 'ms' });
}
