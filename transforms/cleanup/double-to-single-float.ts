import {
  AttributeType, defineTransform, ElemType, getAttribute, int64ToNumber, makeTensor, tensorFromProto, tensorToProto, type Graph, type TensorProto,
  type ValueInfoProto,
} from '../../src/index.js';

function toFloat(t: TensorProto): TensorProto {
  const v = tensorFromProto(t);
  const out = tensorToProto(makeTensor(ElemType.FLOAT, v.dims, Float32Array.from(v.data as Float64Array)), t.name ?? undefined);
  if (t.doc_string) out.doc_string = t.doc_string;
  return out;
}

function fixType(vi: ValueInfoProto): boolean {
  const tt = vi.type?.tensor_type;
  if (tt?.elem_type !== ElemType.DOUBLE) return false;
  tt.elem_type = ElemType.FLOAT;
  return true;
}

/** Cast to DOUBLE, Constant / ConstantOfShape holding DOUBLE: the node attributes that make float64 tensors. */
function fixNodes(graph: Graph): number {
  let n = 0;
  for (const node of graph.nodes()) {
    if (node.opType === 'Cast') {
      const to = getAttribute(node, 'to');
      if (to && int64ToNumber(to.i) === ElemType.DOUBLE) {
        to.i = ElemType.FLOAT;
        n++;
      }
    }
    if (node.opType === 'Constant' || node.opType === 'ConstantOfShape') {
      const a = getAttribute(node, 'value');
      if (a && (a.type === AttributeType.TENSOR || a.t) && a.t?.data_type === ElemType.DOUBLE) {
        a.t = toFloat(a.t);
        n++;
      }
    }
  }
  return n;
}

/**
 * QONNX DoubleToSingleFloat: float64 initializers, declared tensor types (inputs, outputs, value_info) and
 * the nodes that create float64 (Cast to DOUBLE, DOUBLE constants) become float32, which FINN's flow uses.
 */
export default defineTransform({
  name: 'DoubleToSingleFloat',
  stage: 'cleanup',
  description: 'Convert float64 initializers, tensor types, casts and constants to float32',
  apply(model, ctx) {
    const graph = model.graph;
    let changed = 0;
    for (const t of graph.initializers()) {
      if (t.data_type === ElemType.DOUBLE) {
        graph.setInitializer(toFloat(t));
        changed++;
      }
    }
    for (const vi of [...graph.inputs, ...graph.outputs, ...graph.valueInfos()]) if (fixType(vi)) changed++;
    changed += fixNodes(graph);
    if (changed) {
      graph.markModified();
      ctx.log.debug({ changed }, 'converted float64 to float32');
    }
    return changed > 0;
  },
});
