import { defineTransform, getInt, smallestDataTypeFor, type DataType } from '../../src/index.js';
import { allIntegers, constOf, datatypeOf, freshName, hwNode, isOnnxOp, staticShape, type Const } from '../../src/rewrite.js';

/**
 * The embedding table's datatype: its annotation when that is an integer type; for an unannotated (FLOAT32)
 * table the smallest integer type holding its values, when they are all integers. Undefined otherwise.
 */
function embeddingType(table: Const, annotated: DataType): string | undefined {
  if (annotated.isInteger()) return annotated.name;
  if (annotated.name !== 'FLOAT32' || table.data.length === 0 || !allIntegers(table.data)) return undefined;
  return smallestDataTypeFor(table.data).name;
}

/**
 * Gather (axis 0) of rows of a constant 2-D table by dynamic integer indices → Lookup (FINN's
 * InferLookupLayer). As in FINN the indices become input 0 and the table input 1. Index types with negative
 * values are left alone: Gather counts a negative index from the end, Lookup rejects it.
 */
export default defineTransform({
  name: 'InferLookupLayer',
  stage: 'kernel_mapping',
  description: 'Gather from a constant table by integer indices → Lookup',
  apply(model) {
    const graph = model.graph;
    let changed = false;
    for (const gather of graph.nodeList()) {
      if (!gather.graph || !isOnnxOp(gather, 'Gather') || gather.inputs.length !== 2) continue;
      const [tableName, indices] = gather.inputs as [string, string];
      const out = gather.outputs[0];
      if (!out || !indices || graph.isInitializer(indices)) continue;
      const table = constOf(graph, tableName);
      if (!table || table.dims.length !== 2) continue;
      const axis = getInt(gather, 'axis', 0);
      if (axis !== 0 && axis !== -2) continue;
      const idt = datatypeOf(graph, indices);
      if (!idt.isInteger() || idt.min() < 0) continue;
      const shape = staticShape(graph, indices);
      if (!shape || shape.length === 0 || shape.some((d) => d < 1)) continue;
      const etype = embeddingType(table, datatypeOf(graph, tableName));
      if (!etype) continue;
      const [numEmbeddings, embeddingDim] = table.dims as [number, number];
      graph.insertBefore(gather, hwNode('Lookup', [indices, tableName], [out], {
        NumEmbeddings: numEmbeddings,
        EmbeddingDim: embeddingDim,
        EmbeddingType: etype,
        InputType: idt.name,
        InputShape: shape,
      }, freshName(graph, `Lookup_${gather.name}`)));
      graph.removeNode(gather);
      graph.setDatatypeName(out, etype);
      changed = true;
    }
    return changed;
  },
});
