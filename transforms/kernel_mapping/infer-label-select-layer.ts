import { defineTransform, parseDataType, smallestDataType, type DataType } from '../../src/index.js';
import { constOf, datatypeOf, freshName, hwNode, isOnnxOp, staticShape } from '../../src/rewrite.js';
import { getInt } from '../../src/index.js';

/** FINN's LabelSelect output type: the smallest type for labels − 1, its width rounded up to whole bytes (BINARY stays). */
function labelDatatype(labels: number): DataType {
  const dt = smallestDataType(0, labels - 1);
  return dt.name.startsWith('UINT') ? parseDataType(`UINT${Math.ceil(dt.bitwidth() / 8) * 8}`) : dt;
}

/**
 * TopK over the last axis (largest, sorted) whose values output is unused, on integer input with a constant
 * K → LabelSelect producing the indices (FINN's InferLabelSelectLayer).
 */
export default defineTransform({
  name: 'InferLabelSelectLayer',
  stage: 'kernel_mapping',
  description: 'TopK (indices only) → LabelSelect',
  apply(model) {
    const graph = model.graph;
    let changed = false;
    for (const tk of graph.nodeList()) {
      if (!tk.graph || !isOnnxOp(tk, 'TopK')) continue;
      const [x, kName] = tk.inputs as [string, string];
      const [values, indices] = tk.outputs as [string, string];
      if (!indices || (values && (graph.hasConsumers(values) || graph.isGraphOutput(values)))) continue;
      const shape = staticShape(graph, x);
      // K is an input from opset 10 on, the attribute `k` before.
      const k = kName ? constOf(graph, kName) : undefined;
      const K = k ? k.data[0] : getInt(tk, 'k', 0);
      if (!shape || (k && k.data.length !== 1)) continue;
      const axis = getInt(tk, 'axis', -1);
      if (axis !== -1 && axis !== shape.length - 1) continue;
      if (getInt(tk, 'largest', 1) !== 1 || getInt(tk, 'sorted', 1) !== 1) continue;
      const idt = datatypeOf(graph, x);
      if (!idt.isInteger()) continue;
      const labels = shape[shape.length - 1]!;
      if (typeof K !== 'number' || !Number.isInteger(K) || K < 1 || K > labels) continue;
      // FINN's LabelSelect type: the label range rounded up to whole bytes.
      const odt = labelDatatype(labels).name;
      graph.insertBefore(tk, hwNode('LabelSelect', [x], [indices], {
        Labels: labels,
        PE: 1,
        K,
        inputDataType: idt.name,
        outputDataType: odt,
        numInputVectors: shape.length > 1 ? shape.slice(0, -1) : [1],
      }, freshName(graph, `LabelSelect_${tk.name}`)));
      graph.removeNode(tk);
      if (values) graph.removeValueInfo(values);
      if (kName && !graph.hasConsumers(kName)) graph.removeInitializer(kName);
      graph.setDatatypeName(indices, odt);
      changed = true;
    }
    return changed;
  },
});
