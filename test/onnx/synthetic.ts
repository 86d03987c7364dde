import type { ModelProto, TensorProto } from '../../src/onnx/proto-types.js';

/**
 * Small generated models for IO tests and benchmarks: each given tensor is an initializer passed through an
 * Identity node to a graph output.
 */
export function modelWithInitializers(tensors: TensorProto[]): ModelProto {
  return {
    ir_version: 8,
    producer_name: 'brainsmith-test',
    opset_import: [{ domain: '', version: 13 }],
    graph: {
      name: 'weights',
      initializer: tensors,
      node: tensors.map((t) => ({ op_type: 'Identity', name: `id_${t.name}`, input: [t.name!], output: [`${t.name}_out`] })),
      output: tensors.map((t) => ({
        name: `${t.name}_out`,
        type: { tensor_type: { elem_type: t.data_type, shape: { dim: (t.dims ?? []).map((d) => ({ dim_value: d })) } } },
      })),
    },
  };
}

/** A float32 tensor of `count` elements stored as raw_data, filled with a position-dependent pattern. */
export function rawFloatTensor(name: string, count: number, seed = 1): TensorProto {
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = ((i * 2654435761 + seed) % 1000) / 7;
  return { name, data_type: 1, dims: [count], raw_data: new Uint8Array(data.buffer) };
}

/** The same kind of tensor with its values in float_data instead of raw_data. */
export function floatDataTensor(name: string, count: number, seed = 1): TensorProto {
  const data = new Array<number>(count);
  for (let i = 0; i < count; i++) data[i] = Math.fround(((i * 2654435761 + seed) % 1000) / 7);
  return { name, data_type: 1, dims: [count], float_data: data };
}
