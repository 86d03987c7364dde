import { QONNX_GENERAL_DOMAIN, defineTransform, getFloat, setFloat, setString } from '../../../src/index.js';
import { addConst, constOf } from '../../../src/rewrite.js';
import { dropIfUnused, ensureQonnxOpset, isOnnxOp, isQonnxOp } from '../../../src/rewrite.js';
import { thresholdsOf } from '../_lib/multithreshold.js';
import { quantizedNodes } from '../_lib/quantized-scope.js';

/**
 * MatMul of a BIPOLAR activation (from a MultiThreshold with out_scale 2, out_bias −1) by BIPOLAR weights →
 * the MultiThreshold emits BINARY {0,1} instead, weights become (W+1)/2, and XnorPopcountMatMul counts
 * agreements p; the bipolar dot product is 2p − K, restored by a Mul and an Add for later absorption.
 */
export default defineTransform({
  name: 'ConvertBipolarMatMulToXnorPopcount',
  stage: 'topology',
  description: 'Turn a BIPOLAR×BIPOLAR MatMul into XnorPopcountMatMul on BINARY operands plus an affine correction',
  apply(model) {
    const graph = model.graph;
    let changed = false;
    for (const mm of quantizedNodes(graph, 'MatMul')) {
      if (!isOnnxOp(mm, 'MatMul')) continue;
      const [x, wName] = mm.inputs as [string, string];
      const w = constOf(graph, wName);
      if (!w || w.dims.length !== 2 || graph.getDatatypeName(x) !== 'BIPOLAR' || graph.getDatatypeName(wName) !== 'BIPOLAR') continue;
      const mt = graph.producer(x);
      if (!mt || !isQonnxOp(mt, 'MultiThreshold') || !thresholdsOf(graph, mt)) continue;
      if (getFloat(mt, 'out_scale', 1) !== 2 || getFloat(mt, 'out_bias', 0) !== -1) continue;
      // Every reader of the activation must take the binary form: only this MatMul (or other bipolar MatMuls).
      if (graph.isGraphOutput(x) || graph.consumerNodes(x).some((n) => n !== mm)) continue;
      const binary = binaryOfBipolar(w.data);
      if (!binary) continue;
      setFloat(mt, 'out_scale', 1);
      setFloat(mt, 'out_bias', 0);
      setString(mt, 'out_dtype', 'BINARY');
      graph.setDatatypeName(x, 'BINARY');
      const base = mm.name || 'MatMul';
      const wb = addConst(graph, `${base}_binary_weights`, { dims: w.dims, data: binary });
      graph.setDatatypeName(wb, 'BINARY');
      const [k] = w.dims as [number, number];
      const out = mm.outputs[0]!;
      const shape = graph.getShape(out);
      const pc = graph.uniqueTensorName(`${base}_popcount`);
      const scaled = graph.uniqueTensorName(`${base}_scaled`);
      const xnor = graph.replaceNode(mm, { op_type: 'XnorPopcountMatMul', domain: QONNX_GENERAL_DOMAIN, name: base, input: [x, wb], output: [pc] });
      const two = addConst(graph, `${base}_two`, { dims: [], data: Float64Array.of(2) });
      const negK = addConst(graph, `${base}_neg_k`, { dims: [], data: Float64Array.of(-k) });
      const mul = graph.insertAfter(xnor, { op_type: 'Mul', name: `${base}_xnor_scale`, input: [pc, two], output: [scaled] });
      graph.insertAfter(mul, { op_type: 'Add', name: `${base}_xnor_offset`, input: [scaled, negK], output: [out] });
      if (shape) {
        graph.setShape(pc, shape, graph.getElemType(out));
        graph.setShape(scaled, shape, graph.getElemType(out));
      }
      graph.setDatatypeName(pc, 'UINT32');
      dropIfUnused(graph, wName);
      ensureQonnxOpset(model);
      changed = true;
    }
    return changed;
  },
});

/**
 * ±1 → 0/1, or undefined when a value is neither. One plain loop: in a short compile this code runs before
 * V8 optimizes it, where a callback per element (every, map) or a second pass costs several times more.
 */
function binaryOfBipolar(data: Float64Array): Float64Array | undefined {
  const out = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v === 1) out[i] = 1;
    else if (v !== -1) return undefined;
  }
  return out;
}
