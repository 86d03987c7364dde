import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getInt, getString, loadModel, tensorFromProto, tensorToNumbers, makeNode, makeValueInfo, Model, ElemType, type AttributeProto, type ModelProto } from '../../../src/index.js';
import { applyTransform } from '../../../src/host.js';
import { shared, skipNoShared } from '../../helpers/paths.js';
import { apiUrl, harness } from './support.js';

/** A test kernel with a declared stream width (PE × bits), for DWC/FIFO insertion. */
const streamKernel = `import { defineKernel } from '${apiUrl}';
export default defineKernel({
  name: 'StreamK',
  domain: 'finn.custom_op.fpgadataflow',
  parallelism(n) { return { PE: { dimension: 'C', size: n.attrs.C } }; },
  cycles(n) { return n.attrs.C / n.attrs.PE; },
  streamWidths(n) { const w = n.attrs.PE * n.attrs.bits; return { inputs: [w], outputs: [w] }; },
});
`;

const int = (name: string, i: number): AttributeProto => ({ name, type: 2, i });

/** x → StreamK_0 (PE a) → StreamK_1 (PE b) → StreamK_2 (PE c) → y, C = 8 channels of UINT4. */
function chain(pes: number[]): Model {
  const tensors = ['x', ...pes.slice(0, -1).map((_, i) => `t${i}`), 'y'];
  const nodes = pes.map((pe, i) => makeNode({
    opType: 'StreamK', domain: 'finn.custom_op.fpgadataflow', name: `StreamK_${i}`, inputs: [tensors[i]!], outputs: [tensors[i + 1]!],
    attributes: [int('PE', pe), int('C', 8), int('bits', 4)],
  }));
  const m = new Model({
    ir_version: 8,
    opset_import: [{ domain: '', version: 13 }],
    graph: { name: 'g', node: nodes, input: [makeValueInfo('x', ElemType.FLOAT, [1, 8])], output: [makeValueInfo('y', ElemType.FLOAT, [1, 8])], value_info: tensors.slice(1, -1).map((t) => makeValueInfo(t, ElemType.FLOAT, [1, 8])) },
  } as ModelProto);
  for (const t of tensors) m.graph.setDatatypeName(t, 'UINT4');
  return m;
}

test('InsertDWC puts a converter only where producer and consumer stream widths differ', async () => {
  const h = await harness({ 'stream-kernel.mjs': streamKernel });
  const m = chain([2, 4, 4]);
  assert.equal((await applyTransform(h.reg, 'InsertDWC', m)).changed, true);
  const nodes = m.graph.nodeList();
  assert.deepEqual(nodes.map((n) => n.name), ['StreamK_0', 'StreamingDataWidthConverter_0', 'StreamK_1', 'StreamK_2']);
  const dwc = nodes[1]!;
  assert.equal(dwc.domain, 'finn.custom_op.fpgadataflow');
  assert.deepEqual([getInt(dwc, 'inWidth'), getInt(dwc, 'outWidth')], [8, 16]);
  assert.equal(getString(dwc, 'dataType'), 'UINT4');
  assert.equal(dwc.inputs[0], 't0');
  assert.equal(nodes[2]!.inputs[0], dwc.outputs[0]);
  assert.deepEqual(m.graph.getShape(dwc.outputs[0]!), [1, 8]);
  assert.equal(m.graph.getDatatypeName(dwc.outputs[0]!), 'UINT4');
  // Equal widths everywhere: nothing to do.
  assert.equal((await applyTransform(h.reg, 'InsertDWC', chain([4, 4, 4]))).changed, false);
});

test('InsertFIFO puts a depth-2 FIFO on every stream between kernels, deeper where a node asks, and is idempotent', async () => {
  const h = await harness({ 'stream-kernel.mjs': streamKernel });
  const m = chain([2, 2, 4]);
  m.graph.nodeList()[2]!.proto.attribute!.push({ name: 'inFIFODepths', type: 7, ints: [32] });
  assert.equal((await applyTransform(h.reg, 'InsertFIFO', m)).changed, true);
  const nodes = m.graph.nodeList();
  assert.deepEqual(nodes.map((n) => n.opType), ['StreamK', 'StreamingFIFO', 'StreamK', 'StreamingFIFO', 'StreamK']);
  const [f0, f1] = [nodes[1]!, nodes[3]!];
  assert.deepEqual([getInt(f0, 'depth'), getInt(f1, 'depth')], [2, 32]);
  // folded shape from the producer's stream width: 8 bits of UINT4 = 2 elements per beat.
  assert.deepEqual(f0.attributes.find((a) => a.name === 'folded_shape')!.ints!.map(Number), [1, 4, 2]);
  assert.deepEqual(f0.attributes.find((a) => a.name === 'normal_shape')!.ints!.map(Number), [1, 8]);
  assert.equal(getString(f0, 'impl_style'), 'rtl');
  assert.equal((await applyTransform(h.reg, 'InsertFIFO', m)).changed, false);
  // Only deeper FIFOs without create_shallow_fifos.
  const m2 = chain([2, 2, 4]);
  m2.graph.nodeList()[2]!.proto.attribute!.push({ name: 'inFIFODepths', type: 7, ints: [32] });
  await applyTransform(h.reg, 'InsertFIFO', m2, { create_shallow_fifos: false });
  assert.deepEqual(m2.graph.nodeList().map((n) => n.opType), ['StreamK', 'StreamK', 'StreamingFIFO', 'StreamK']);
});

const cybsec = () => loadModel(shared('finn', 'cybsec_PE_SIMD.onnx'));
const attrs = (m: Model, name: string) => m.graph.nodeList().map((n) => getString(n, name));

test('MinimizeAccumulatorWidth on cybsec: accumulator types from weights, input type and thresholds (by hand)', { skip: skipNoShared }, async () => {
  const h = await harness();
  const m = await cybsec();
  assert.equal((await applyTransform(h.reg, 'MinimizeAccumulatorWidth', m)).changed, true);
  // FINN's rule 5: thresholds are clipped to the accumulator range, which alone sizes the type.
  // MVAU_0: BIPOLAR input, max column Σ|w| = 141 → [−141, 141]; thresholds [−21, 248] clipped to 141;
  //   2^(n−1) ≥ max(141, 142) → INT9.
  // MVAU_1: UINT2 input, column sums of w<0 ≥ −24, of w>0 ≤ 22 → [−72, 66]; thresholds up to 137 clipped to
  //   66; 2^(n−1) ≥ max(72, 67) → INT8 (the old union with the thresholds gave INT9).
  // MVAU_2: [−36, 42], thresholds [1, 54] clipped to 42 → 2^6 ≥ 43 → INT7.  MVAU_3: [−27, 48], threshold 2 → INT7.
  assert.deepEqual(attrs(m, 'accDataType'), ['INT9', 'INT8', 'INT7', 'INT7']);
  const thr1 = m.graph.getInitializer(m.graph.nodeList()[1]!.inputs[2]!)!;
  assert.equal(Math.max(...tensorToNumbers(tensorFromProto(thr1))), 66);
  assert.equal(m.graph.getDatatypeName(m.graph.nodeList()[1]!.inputs[2]!), 'INT8');
  // With activations the output types stay.
  assert.deepEqual(attrs(m, 'outputDataType'), ['UINT2', 'UINT2', 'UINT2', 'BIPOLAR']);
  assert.equal((await applyTransform(h.reg, 'MinimizeAccumulatorWidth', m)).changed, false);
});

test('MinimizeAccumulatorWidth without activation: output type = accumulator, whole bytes at the graph output', { skip: skipNoShared }, async () => {
  const h = await harness();
  const m = await cybsec();
  const last = m.graph.nodeList()[3]!;
  last.proto.attribute!.find((a) => a.name === 'noActivation')!.i = 1;
  m.graph.setInputs(last, last.inputs.slice(0, 2));
  await applyTransform(h.reg, 'MinimizeAccumulatorWidth', m);
  // [−27, 48] → INT7, rounded up to INT8 at the graph output.
  assert.equal(getString(last, 'accDataType'), 'INT8');
  assert.equal(getString(last, 'outputDataType'), 'INT8');
  assert.equal(m.graph.getDatatypeName('global_out'), 'INT8');
});

test('MinimizeWeightBitWidth: cybsec weights in [−1, 1] stay INT2; a declared INT8 narrows to INT2', { skip: skipNoShared }, async () => {
  const h = await harness();
  const m = await cybsec();
  assert.equal((await applyTransform(h.reg, 'MinimizeWeightBitWidth', m)).changed, false);
  assert.deepEqual(attrs(m, 'weightDataType'), ['INT2', 'INT2', 'INT2', 'INT2']);
  const first = m.graph.nodeList()[0]!;
  const a = first.proto.attribute!.find((x) => x.name === 'weightDataType')!;
  a.s = new TextEncoder().encode('INT8');
  assert.equal((await applyTransform(h.reg, 'MinimizeWeightBitWidth', m)).changed, true);
  assert.equal(getString(first, 'weightDataType'), 'INT2');
  assert.equal(m.graph.getDatatypeName(first.inputs[1]!), 'INT2');
});
