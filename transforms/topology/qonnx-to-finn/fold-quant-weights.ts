// Weight quantizers (Quant/BipolarQuant whose inputs are all constant) become initializers. When the weights are
// integers times a scale, the integers are stored with their DataType (INTb, BIPOLAR, …) and the scale moves to
// a Mul after the consuming MatMul/Conv, which is exact in real arithmetic when the scale is per-tensor or per
// output channel. Otherwise the float values are stored. A Transpose between quantizer and consumer (as PyTorch
// exports Linear layers) is folded into the stored tensor.
import {
  defineTransform, getInts, makeValueInfo, type Graph, type Node,
} from '../../../src/index.js';
import { integerDataType, integerOf, isQuantizerNode, readQuantizer, valueOfInteger, type Quantizer } from './_lib/quantizer.js';
import {
  addFloatInitializer, broadcastTo, dropIfUnused, nodeError, readInitializer, singleAxisValues, transpose, writeFloatInitializer,
} from './_lib/tensors.js';
import { appendAfterOutput, derivedNodeName, isStandardNode as isStandard, soleUse } from './_lib/rewire.js';
import { quantizedNodes } from '../_lib/quantized-scope.js';

interface Folded {
  /** Tensor the folded weights are stored under (the quantizer's output, or a folded Transpose's output). */
  name: string;
  dims: number[];
  ints: Float64Array;
  values: Float64Array;
  scale: Float64Array;
  /** Nodes to remove once the initializer replaces them. */
  replaced: Node[];
}

function evaluate(graph: Graph, q: Quantizer): Folded | undefined {
  const node = q.node;
  const w = readInitializer(graph, node.inputs[0] ?? '');
  if (!w) return undefined;
  const s = broadcastTo(q.scale, w.dims);
  const z = broadcastTo(q.zeroPoint, w.dims);
  if (!s || !z) throw nodeError(node, `scale/zero point do not broadcast to the weight shape [${w.dims.join(', ')}]`);
  // A zero or infinite scale has no integer form (and a NaN none at all): leave such a quantizer alone.
  for (const v of s) if (v === 0 || !Number.isFinite(v)) return undefined;
  const ints = new Float64Array(w.data.length);
  const values = new Float64Array(w.data.length);
  for (let i = 0; i < ints.length; i++) {
    const k = integerOf(q, w.data[i]!, s[i]!, z[i]!);
    ints[i] = k;
    values[i] = valueOfInteger(q, k, s[i]!, z[i]!);
  }
  const folded: Folded = { name: node.outputs[0]!, dims: w.dims, ints, values, scale: s, replaced: [node] };
  // Fold a Transpose that only reorders these weights.
  const use = soleUse(graph, folded.name);
  if (use && use.node.opType === 'Transpose' && isStandard(use.node) && use.node.outputs.length === 1) {
    const rank = w.dims.length;
    const perm = getInts(use.node, 'perm', [...Array(rank).keys()].reverse());
    if (perm.length === rank) {
      folded.ints = transpose(ints, w.dims, perm).data;
      folded.values = transpose(values, w.dims, perm).data;
      const ts = transpose(s, w.dims, perm);
      folded.scale = ts.data;
      folded.dims = ts.dims;
      folded.name = use.node.outputs[0]!;
      folded.replaced.push(use.node);
    }
  }
  return folded;
}

/**
 * Where the scale can go after the consumer: the consumer and the Mul operand (per-tensor scalar or per output
 * channel, shaped to broadcast over the consumer's output); undefined when the scale cannot move.
 */
function scaleTarget(graph: Graph, f: Folded): { node: Node; dims: number[]; values: number[] } | undefined {
  const use = soleUse(graph, f.name);
  if (!use || use.index !== 1 || !isStandard(use.node)) return undefined;
  const per = singleAxisValues(f.scale, f.dims);
  if (!per) return undefined;
  if (use.node.opType === 'MatMul' && f.dims.length === 2) {
    if (per.axis === -1) return { node: use.node, dims: [], values: per.values };
    if (per.axis === 1) return { node: use.node, dims: [f.dims[1]!], values: per.values };
    return undefined;
  }
  if (use.node.opType === 'Conv' && !use.node.inputs[2]) {
    if (per.axis === -1) return { node: use.node, dims: [], values: per.values };
    if (per.axis !== 0) return undefined;
    const dims = new Array<number>(f.dims.length).fill(1);
    dims[1] = f.dims[0]!;
    return { node: use.node, dims, values: per.values };
  }
  return undefined;
}

export default defineTransform({
  name: 'FoldQuantWeights',
  stage: 'topology',
  description: 'Fold quantizers of constant weights into integer initializers with a DataType, moving scales after MatMul/Conv',
  apply(model, ctx) {
    const graph = model.graph;
    let integer = 0;
    let float = 0;
    for (const node of quantizedNodes(graph)) {
      if (!node.graph || !isQuantizerNode(node)) continue;
      if (!node.inputs.every((i) => i === '' || graph.isInitializer(i))) continue;
      const q = readQuantizer(graph, node);
      if (!q) continue;
      const f = evaluate(graph, q);
      if (!f) continue;
      const params = [...node.inputs];
      const zeroFree = q.zeroPoint.data.every((v) => v === 0);
      const unity = f.scale.every((v) => v === 1);
      const target = zeroFree && !unity ? scaleTarget(graph, f) : undefined;
      const storeIntegers = zeroFree && (unity || target !== undefined);

      const declared = graph.getShape(f.name);
      for (const r of f.replaced) graph.removeNode(r);
      if (f.name !== node.outputs[0]) {
        graph.removeValueInfo(node.outputs[0]!);
        graph.setDatatypeName(node.outputs[0]!, undefined);
      }
      writeFloatInitializer(graph, f.name, f.dims, storeIntegers ? f.ints : f.values);
      if (declared) graph.setValueInfo(makeValueInfo(f.name, 1, f.dims));
      graph.setDatatypeName(f.name, storeIntegers ? integerDataType(q).name : 'FLOAT32');
      if (target) {
        const scale = addFloatInitializer(graph, `${f.name}_scale`, target.dims, target.values);
        appendAfterOutput(graph, target.node, 0, (fresh, out) => ({
          opType: 'Mul', inputs: [fresh, scale], outputs: [out], name: derivedNodeName(graph, target.node, 'weight_scale'),
        }));
      }
      dropIfUnused(graph, params);
      if (storeIntegers) integer++;
      else float++;
    }
    if (integer + float) ctx.log.debug({ integer, float }, 'weight quantizers folded');
    return integer + float > 0;
  },
});
