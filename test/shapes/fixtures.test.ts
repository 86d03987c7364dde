import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { loadModel, normalizeDomain } from '../../src/index.js';
import { shapesCompatible } from '../../src/ir/shape.js';
import { assertGraphValid } from '../../src/ir/verify.js';
import { inferShapes } from '../../src/rewrite.js';
import { shared, skipNoShared } from '../helpers/paths.js';

const MODELS = skipNoShared ? [] : [
  'finn/tfc_w1a1/model.onnx', 'labs/gtsrb_12x12_w2a3_c12x24x36.onnx', 'labs/tfc-w1a2.onnx', 'qonnx/mnist-conv/model.onnx',
  'qonnx/bsd300x3-espcn/subpixel/quant_model.onnx', 'qonnx/matmul_update/sdp.onnx',
  ...readdirSync(shared('qonnx-zoo')).filter((f) => f.endsWith('.onnx')).map((f) => `qonnx-zoo/${f}`),
  ...readdirSync(shared('onnx-backend', 'light')).filter((f) => f.endsWith('.onnx')).map((f) => `onnx-backend/light/${f}`),
];

test('InferShapes gives every node output of the fixture models a static shape consistent with the declared outputs', { skip: skipNoShared }, async () => {
  for (const rel of MODELS) {
    const m = await loadModel(shared(rel));
    const declared = new Map(m.graph.outputNames().map((n) => [n, m.graph.getShape(n)]));
    const opsets = new Map([...m.opsets].map(([d, v]) => [normalizeDomain(d), v]));
    const r = inferShapes(m.graph, { opsets });
    assert.deepEqual(r.unknownOps, [], rel);
    assert.deepEqual(r.failures, [], rel);
    for (const n of m.graph.nodes()) {
      for (const o of n.outputs) {
        const s = m.graph.getShape(o);
        assert.ok(s && s.every((d) => typeof d === 'number'), `${rel}: ${o} (${n.opType}) has shape ${JSON.stringify(s)}`);
      }
    }
    // Declared numbers stay; declared symbols (e.g. 'Quant79_dim_0') may be resolved to numbers.
    for (const [name, shape] of declared) {
      const now = m.graph.getShape(name)!;
      assert.ok(shape === undefined || shapesCompatible(now, shape), `${rel}: output ${name} ${JSON.stringify(now)} vs declared ${JSON.stringify(shape)}`);
    }
    assertGraphValid(m.graph, rel);
    assert.equal(inferShapes(m.graph, { opsets }).written, 0, `${rel}: second run`);
  }
});
