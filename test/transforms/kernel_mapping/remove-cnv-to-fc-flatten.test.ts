// RemoveCNVtoFCFlatten on GTSRB: the Flatten between the last conv MVAU and the first dense MVAU goes (the
// dense weights are already in channels-last row order), so the dense layers run in the dataflow partition.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNode } from '../../../src/index.js';
import { applyTransform } from '../../../src/host.js';
import { shared, skipNoShared } from '../../helpers/paths.js';
import { KERNEL_MAPPING, applyAll, assertSameOutputs, builtins, cloneModel, histogram, randomTensor, run, streamlined } from './support.js';

const MODEL = 'labs/gtsrb_12x12_w2a3_c12x24x36.onnx';
const WITHOUT = KERNEL_MAPPING.filter((n) => n !== 'RemoveCNVtoFCFlatten');

test('gtsrb: Transpose and Flatten between MVAU_hls_2 and MVAU_hls_3 go, outputs identical', { skip: skipNoShared }, async () => {
  const model = await streamlined(shared(MODEL));
  const original = cloneModel(model);
  // Up to the transform: MVAU → Transpose(NHWC→NCHW) → Flatten → MVAU.
  await applyAll(model, WITHOUT.slice(0, WITHOUT.indexOf('AbsorbConsecutiveTransposes')));
  const kept = cloneModel(model);
  assert.equal(histogram(kept).Flatten, 1);
  await applyAll(model, ['RemoveCNVtoFCFlatten']);
  assert.equal(histogram(model).Flatten, undefined);
  assert.equal(histogram(model).Transpose, (histogram(kept).Transpose ?? 0) - 1);
  await applyAll(model, KERNEL_MAPPING.slice(KERNEL_MAPPING.indexOf('AbsorbConsecutiveTransposes')));
  const byName = new Map(model.graph.nodeList().map((n) => [n.name, n]));
  const conv = byName.get('MVAU_hls_2')!;
  const dense = byName.get('MVAU_hls_3')!;
  assert.equal(dense.inputs[0], conv.outputs[0], 'MVAU_hls_3 reads MVAU_hls_2 directly');
  assert.deepEqual(model.graph.getShape(dense.inputs[0]!), [1, 3, 3, 36]); // 324 = MW elements per vector
  const host = JSON.parse(model.toProto().metadata_props!.find((e) => e.key === 'brainsmith.host_nodes')!.value!) as { opType: string }[];
  assert.deepEqual(host.map((n) => n.opType), ['Transpose', 'Mul'], 'only the input transpose and output scale stay on the host');
  for (let seed = 1; seed <= 3; seed++) {
    const x = randomTensor([1, 3, 12, 12], seed, -1, 1);
    const ref = await run(original, { global_in: x });
    assertSameOutputs(ref, await run(kept, { global_in: x }), `gtsrb seed ${seed} (before the transform)`);
    assertSameOutputs(ref, await run(model, { global_in: x }), `gtsrb seed ${seed} (mapped)`);
  }
});

test('a Flatten whose output has another reader stays', { skip: skipNoShared }, async () => {
  const m = await streamlined(shared(MODEL));
  await applyAll(m, WITHOUT.slice(0, WITHOUT.indexOf('AbsorbConsecutiveTransposes')));
  const fl = m.graph.nodeList().find((n) => n.opType === 'Flatten')!;
  m.graph.addNode(makeNode({ opType: 'Identity', inputs: [fl.outputs[0]!], outputs: ['extra_reader'], name: 'extra' }));
  const before = cloneModel(m);
  const r = await applyTransform(await builtins(), 'RemoveCNVtoFCFlatten', m);
  assert.equal(r.changed, false);
  assert.deepEqual(histogram(m), histogram(before));
});
