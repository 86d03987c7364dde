import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Model } from '../../../src/ir/model.js';
import { makeNode } from '../../../src/ir/node.js';
import { makeValueInfo } from '../../../src/ir/shape.js';
import { getInt, hasAttribute } from '../../../src/ir/attributes.js';
import { ElemType } from '../../../src/tensor/element-type.js';
import { makeTensor, tensorToNumbers } from '../../../src/tensor/tensor-value.js';
import { executeModel } from '../../../src/exec/execute.js';
import type { ModelProto } from '../../../src/onnx/proto-types.js';
import { applyAll } from './support.js';

/** x [1,5] → Relu → y [1,5], under the given default-domain opset. */
function classifier(opset: number): Model {
  return new Model({
    ir_version: 7,
    opset_import: [{ domain: '', version: opset }],
    graph: {
      name: 'head',
      node: [makeNode({ opType: 'Relu', name: 'Relu_0', inputs: ['x'], outputs: ['y'] })],
      input: [makeValueInfo('x', ElemType.FLOAT, [1, 5])],
      output: [makeValueInfo('y', ElemType.FLOAT, [1, 5])],
    },
  } as ModelProto);
}

const x = makeTensor(ElemType.FLOAT, [1, 5], Float32Array.from([0.1, 2.5, -1, 0.7, 2.4]));

test('FINN rule 2: InsertTopK changes nothing unless enabled (FINN\'s build inserts no TopK)', async () => {
  const model = classifier(13);
  assert.deepEqual(await applyAll(model, ['InsertTopK']), []);
  assert.equal(model.graph.nodesByOpType('TopK').length, 0);
  assert.deepEqual(model.graph.outputNames(), ['y']);
});

// TopK-1 (opsets 1-9): k is an attribute; TopK-10: K is an input; TopK-11 on: largest and sorted too.
for (const [opset, form] of [[9, 'attribute k'], [10, 'input K'], [13, 'input K, largest, sorted']] as const) {
  test(`InsertTopK writes the opset-${opset} form of TopK (${form}) and the model still executes`, async () => {
    const model = classifier(opset);
    assert.deepEqual(await applyAll(model, ['InsertTopK'], { InsertTopK: { enabled: true } }), ['InsertTopK']);
    const [topk] = model.graph.nodesByOpType('TopK');
    assert.ok(topk);
    if (opset < 10) {
      assert.equal(topk.inputs.length, 1);
      assert.equal(getInt(topk, 'k'), 1);
    } else {
      assert.equal(topk.inputs.length, 2);
      assert.equal(hasAttribute(topk, 'k'), false);
    }
    assert.equal(hasAttribute(topk, 'largest'), opset >= 11);
    // The logits keep the shape of the output they were: the rules that map the head need it.
    assert.deepEqual(model.graph.getShape(topk.inputs[0]!), [1, 5]);
    const r = await executeModel(model, new Map([['x', x]]), { fallback: 'none' });
    assert.deepEqual([...tensorToNumbers(r.outputs.get('y')!)], [1], 'index of the largest score');
  });
}
