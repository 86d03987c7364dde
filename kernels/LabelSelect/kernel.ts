import { defineKernel, z, BrainsmithError, ElemType, makeTensor, parseDataType, smallestDataType, type DataType } from '../../src/index.js';
import { datatype, datatypeName, hwCommonAttributes, numbers, positiveInt, requireDivides, type KernelNodeView } from '../../src/kernel.js';
import { labelSelectStreamBehaviour } from './_stream-model.js';

export const labelSelectAttributes = z.looseObject({
  ...hwCommonAttributes,
  Labels: positiveInt,
  PE: positiveInt.default(1),
  K: positiveInt,
  inputDataType: datatypeName,
  outputDataType: datatypeName.optional(),
  numInputVectors: z.array(positiveInt).default([1]),
});
type Attrs = z.infer<typeof labelSelectAttributes>;

/**
 * FINN's label type: the smallest type for Labels − 1 with its width rounded up to whole bytes (UINT8 for 10
 * labels). FINN renames the type by its width, so BINARY (2 labels) stays BINARY.
 */
export function labelDatatype(labels: number): DataType {
  const dt = smallestDataType(0, labels - 1);
  const bits = Math.ceil(dt.bitwidth() / 8) * 8;
  return dt.name.startsWith('UINT') ? parseDataType(`UINT${bits}`) : dt;
}

function attrs(node: KernelNodeView): Attrs {
  const a = node.attrs as Attrs;
  requireDivides(node.name, 'PE', a.PE, 'Labels', a.Labels);
  return a;
}

export default defineKernel({
  name: 'LabelSelect',
  domain: 'finn.custom_op.fpgadataflow',
  description: 'Indices of the K largest of Labels values (TopK without values)',
  inferFrom: ['TopK'],
  attributeSchema: labelSelectAttributes,
  parallelism(node) {
    return { PE: { dimension: 'Labels', size: attrs(node).Labels } };
  },
  /** in = PE·A; out = one label index per cycle. */
  streamWidths(node) {
    const a = attrs(node);
    const out = a.outputDataType ? datatype(a.outputDataType) : labelDatatype(a.Labels);
    return { inputs: [a.PE * datatype(a.inputDataType).bitwidth()], outputs: [out.bitwidth()] };
  },
  /** Labels/PE words in, then K labels out while the next vector streams in: _stream-model.ts. */
  streamBehaviour(node) {
    return labelSelectStreamBehaviour(node);
  },
  /** cycles = Labels/PE. */
  cycles(node) {
    const a = attrs(node);
    return a.Labels / a.PE;
  },
  inferShapes(node) {
    const a = attrs(node);
    return [[...(node.inputShapes[0] ?? [...a.numInputVectors, a.Labels]).slice(0, -1), a.K]];
  },
  inferDatatypes(node) {
    const a = attrs(node);
    return [a.outputDataType ?? labelDatatype(a.Labels).name];
  },
  /** Like ONNX TopK (largest, sorted): descending values, equal values in ascending index order; INT64 indices. */
  execute(inputs, attributes) {
    const a = labelSelectAttributes.parse(attributes);
    const x = inputs[0];
    const xs = numbers(x, 'LabelSelect input 0');
    if (x!.dims[x!.dims.length - 1] !== a.Labels) {
      throw new BrainsmithError('E_EXEC_SHAPE', `LabelSelect input has shape [${x!.dims.join(',')}], expected last axis Labels=${a.Labels}`, { kind: 'work' });
    }
    const rows = xs.length / a.Labels;
    const out = new BigInt64Array(rows * a.K);
    const idx = Array.from({ length: a.Labels }, (_, i) => i);
    for (let r = 0; r < rows; r++) {
      const base = r * a.Labels;
      const order = [...idx].sort((i, j) => xs[base + j]! - xs[base + i]! || i - j);
      for (let k = 0; k < a.K; k++) out[r * a.K + k] = BigInt(order[k]!);
    }
    return [makeTensor(ElemType.INT64, [...x!.dims.slice(0, -1), a.K], out)];
  },
});
