import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Model } from '../../src/index.js';
import { openRegistry, applyTransform } from '../../src/host.js';
import type { ModelProto, NodeProto } from '../../src/onnx/proto-types.js';
import { makeValueInfo } from '../../src/ir/shape.js';
import { assertGraphValid } from '../../src/ir/verify.js';
import { tempProject } from './helpers.js';

const F = 1;
const node = (op: string, inputs: string[], outputs: string[], name = ''): NodeProto => ({ op_type: op, input: inputs, output: outputs, name });
function model(nodes: NodeProto[], extra: Partial<NonNullable<ModelProto['graph']>> = {}): Model {
  return new Model({
    ir_version: 8,
    opset_import: [{ domain: '', version: 13 }],
    graph: { name: 'g', node: nodes, input: [makeValueInfo('x', F, [1, 4])], output: [makeValueInfo('y', F, [1, 4])], ...extra },
  } as ModelProto);
}

async function builtins() {
  const p = tempProject();
  // The package's own compiled transforms/ (the default built-in folders).
  return openRegistry({ projectDir: p.dir, home: p.home, pluginPath: '' });
}

test('built-ins are discovered from the package with namespace brainsmith', async () => {
  const reg = await builtins();
  for (const n of ['RemoveIdentityOps', 'RemoveUnusedTensors', 'GiveUniqueNodeNames']) {
    assert.equal(reg.transforms.get(n).qualifiedName, `brainsmith:${n}`);
    assert.equal(reg.transforms.get(n).plugin.source, 'builtin');
  }
});

test('RemoveIdentityOps removes Identity nodes and rewires consumers; a second run changes nothing', async () => {
  const reg = await builtins();
  const m = model([node('Relu', ['x'], ['a']), node('Identity', ['a'], ['b']), node('Identity', ['b'], ['c']), node('Relu', ['c'], ['y'])], {
    value_info: [makeValueInfo('b', F, [1, 4])],
  });
  const r = await applyTransform(reg, 'RemoveIdentityOps', m);
  assert.equal(r.changed, true);
  assert.equal(r.nodesBefore, 4);
  assert.equal(r.nodesAfter, 2);
  assert.deepEqual(m.graph.nodeList().map((n) => n.opType), ['Relu', 'Relu']);
  assert.deepEqual(m.graph.nodeList()[1]!.inputs, ['a']);
  assert.equal(m.graph.getValueInfo('b'), undefined);
  assertGraphValid(m.graph, 'after RemoveIdentityOps');
  assert.equal((await applyTransform(reg, 'RemoveIdentityOps', m)).changed, false);
});

test('RemoveIdentityOps keeps an Identity that produces a graph output', async () => {
  const reg = await builtins();
  const m = model([node('Relu', ['x'], ['a']), node('Identity', ['a'], ['y'])]);
  assert.equal((await applyTransform(reg, 'RemoveIdentityOps', m)).changed, false);
  assert.equal(m.graph.nodeCount, 2);
});

test('RemoveUnusedTensors drops unread initializers and stale value_info', async () => {
  const reg = await builtins();
  const w = { name: 'w', dims: [4], data_type: F, float_data: [1, 2, 3, 4] };
  const unused = { name: 'unused', dims: [1], data_type: F, float_data: [0] };
  const m = model([node('Mul', ['x', 'w'], ['y'])], { initializer: [w, unused], value_info: [makeValueInfo('gone', F, [1])] });
  assert.equal((await applyTransform(reg, 'RemoveUnusedTensors', m)).changed, true);
  assert.deepEqual(m.graph.initializerNames(), ['w']);
  assert.equal(m.graph.getValueInfo('gone'), undefined);
  assertGraphValid(m.graph, 'after RemoveUnusedTensors');
  assert.equal((await applyTransform(reg, 'RemoveUnusedTensors', m)).changed, false);
});

test('GiveUniqueNodeNames names nodes <OpType>_<n> per op type; idempotent', async () => {
  const reg = await builtins();
  const m = model([node('Relu', ['x'], ['a'], 'same'), node('Mul', ['a', 'a'], ['b'], 'same'), node('Relu', ['b'], ['y'])]);
  assert.equal((await applyTransform(reg, 'GiveUniqueNodeNames', m)).changed, true);
  assert.deepEqual(m.graph.nodeList().map((n) => n.name), ['Relu_0', 'Mul_0', 'Relu_1']);
  assert.equal((await applyTransform(reg, 'GiveUniqueNodeNames', m)).changed, false);
});
