import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shared, skipNoShared } from '../../helpers/paths.js';
import { KERNEL_MAPPING, applyAll, assertSameOutputs, cloneModel, histogram, randomTensor, run, streamlined } from './support.js';

for (const [file, mvaus] of [['qonnx-zoo/TFC_2W2A.onnx', 4], ['qonnx-zoo/kwsmlp_w3a3.onnx', 4], ['qonnx-zoo/unsw_nb15-mlp-w2a2.onnx', 4]] as const) {
  test(`${file}: MLP layers map to MVAUs with unchanged outputs`, { skip: skipNoShared }, async () => {
    const model = await streamlined(shared(file));
    const before = cloneModel(model);
    await applyAll(model, KERNEL_MAPPING);
    const h = histogram(model);
    assert.equal((h.MVAU_hls ?? 0) + (h.MVAU_rtl ?? 0), mvaus, JSON.stringify(h));
    const input = model.graph.inputNames()[0]!;
    const x = randomTensor(model.graph.getShape(input) as number[], 9, 0, 1);
    assertSameOutputs(await run(before, { [input]: x }), await run(model, { [input]: x }), file);
  });
}
