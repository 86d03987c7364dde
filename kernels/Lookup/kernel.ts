import { defineKernel, z, BrainsmithError } from '../../src/index.js';
import { datatype, datatypeName, floatTensor, hwCommonAttributes, numbers, positiveInt, prod, type KernelNodeView } from '../../src/kernel.js';
import { lookupBehaviour } from './_stream-model.js';

export const lookupAttributes = z.looseObject({
  ...hwCommonAttributes,
  NumEmbeddings: positiveInt,
  EmbeddingDim: positiveInt,
  EmbeddingType: datatypeName,
  InputType: datatypeName,
  InputShape: z.array(positiveInt).min(1),
  mem_mode: z.enum(['const', 'external', 'internal_embedded']).default('const'),
  ext_mem_width: positiveInt.default(32),
});
type Attrs = z.infer<typeof lookupAttributes>;

const attrs = (node: KernelNodeView): Attrs => node.attrs as Attrs;

export default defineKernel({
  name: 'Lookup',
  domain: 'finn.custom_op.fpgadataflow',
  description: 'Embedding lookup: Gather of rows of a constant table by integer indices (no parallelism parameter)',
  inferFrom: ['Gather'],
  attributeSchema: lookupAttributes,
  parallelism() {
    return {};
  },
  /** in = one index per cycle; out = one embedding per cycle (ext_mem_width bits with external memory). */
  /** When each word moves (FIFO sizing's dataflow model): _stream-model.ts. */
  streamBehaviour(node) {
    return lookupBehaviour(node);
  },
  streamWidths(node) {
    const a = attrs(node);
    const out = a.mem_mode === 'external' ? a.ext_mem_width : a.EmbeddingDim * datatype(a.EmbeddingType).bitwidth();
    return { inputs: [datatype(a.InputType).bitwidth()], outputs: [out] };
  },
  /** cycles = prod(InputShape): one index per cycle. */
  cycles(node) {
    return prod(attrs(node).InputShape);
  },
  inferShapes(node) {
    const a = attrs(node);
    return [[...a.InputShape, a.EmbeddingDim]];
  },
  inferDatatypes(node) {
    return [attrs(node).EmbeddingType];
  },
  /** out[…, d] = embeddings[idx[…], d]; an index outside [0, NumEmbeddings) is an error. */
  execute(inputs, attributes) {
    const a = lookupAttributes.parse(attributes);
    const idx = numbers(inputs[0], 'Lookup indices (input 0)');
    const emb = numbers(inputs[1], 'Lookup embeddings (input 1)');
    const D = a.EmbeddingDim;
    if (emb.length !== a.NumEmbeddings * D) {
      throw new BrainsmithError('E_EXEC_SHAPE', `Lookup embeddings have shape [${inputs[1]!.dims.join(',')}], expected [${a.NumEmbeddings},${D}]`, { kind: 'work' });
    }
    const out = new Float64Array(idx.length * D);
    idx.forEach((v, i) => {
      if (!Number.isInteger(v) || v < 0 || v >= a.NumEmbeddings) {
        throw new BrainsmithError('E_EXEC_VALUE', `Lookup index ${v} is outside [0, ${a.NumEmbeddings})`, { kind: 'work' });
      }
      out.set(emb.subarray(v * D, (v + 1) * D), i * D);
    });
    return [floatTensor([...inputs[0]!.dims, D], out)];
  },
});
