import protobuf from 'protobufjs';
import { precompiledType } from './precompiled.js';

/**
 * The complete current ONNX schema (onnx.proto with the onnx-ml additions, and the onnx-data.proto messages
 * used by test-data `.pb` files) as a protobufjs reflection descriptor.
 *
 * Why reflection with our own descriptor instead of a generated package: the generated packages lag behind
 * ONNX and silently drop newer fields (see ../shared/reference/onnx-io.md). Three details make the round trip
 * byte-identical with files written by the C++ protobuf library:
 * - proto2 semantics (every top-level type is pinned to edition "proto2"), so a field explicitly set to its
 *   default value is kept, and absent fields stay absent;
 * - repeated scalars are packed exactly where onnx.proto says `[packed = true]` (five TensorProto fields),
 *   everything else is written unpacked (proto2's default);
 * - fields are written in field-number order, which protobufjs does like the C++ library.
 */

type Rule = 'repeated';
interface FieldJSON { id: number; type: string; rule?: Rule; options?: { packed: boolean } }
interface TypeJSON {
  edition?: string;
  fields: Record<string, FieldJSON>;
  oneofs?: Record<string, { oneof: string[] }>;
  nested?: Record<string, TypeJSON | EnumJSON>;
  reserved?: Array<[number, number] | string>;
}
interface EnumJSON { edition?: string; values: Record<string, number> }

const one = (id: number, type: string): FieldJSON => ({ id, type });
const many = (id: number, type: string): FieldJSON => ({ id, type, rule: 'repeated' });
const packed = (id: number, type: string): FieldJSON => ({ id, type, rule: 'repeated', options: { packed: true } });

/** Pin a top-level type or enum to proto2 (protobufjs defaults JSON types to proto3 otherwise). */
function proto2<T extends TypeJSON | EnumJSON>(t: T): T {
  return { edition: 'proto2', ...t };
}

/** Element types (TensorProto.DataType); the newer ones (17..26) are post-1.10. */
const tensorDataType: EnumJSON = {
  values: {
    UNDEFINED: 0, FLOAT: 1, UINT8: 2, INT8: 3, UINT16: 4, INT16: 5, INT32: 6, INT64: 7, STRING: 8, BOOL: 9,
    FLOAT16: 10, DOUBLE: 11, UINT32: 12, UINT64: 13, COMPLEX64: 14, COMPLEX128: 15, BFLOAT16: 16,
    FLOAT8E4M3FN: 17, FLOAT8E4M3FNUZ: 18, FLOAT8E5M2: 19, FLOAT8E5M2FNUZ: 20, UINT4: 21, INT4: 22,
    FLOAT4E2M1: 23, FLOAT8E8M0: 24, UINT2: 25, INT2: 26,
  },
};

/** onnx-data.proto's element kinds, shared by SequenceProto and OptionalProto. */
const containerDataType: EnumJSON = {
  values: { UNDEFINED: 0, TENSOR: 1, SPARSE_TENSOR: 2, SEQUENCE: 3, MAP: 4, OPTIONAL: 5 },
};

const onnxTypes: Record<string, TypeJSON | EnumJSON> = {
  Version: proto2<EnumJSON>({
    values: {
      _START_VERSION: 0, IR_VERSION_2017_10_10: 1, IR_VERSION_2017_10_30: 2, IR_VERSION_2017_11_3: 3,
      IR_VERSION_2019_1_22: 4, IR_VERSION_2019_3_18: 5, IR_VERSION_2019_9_19: 6, IR_VERSION_2020_5_8: 7,
      IR_VERSION_2021_7_30: 8, IR_VERSION_2023_5_5: 9, IR_VERSION_2024_3_25: 10, IR_VERSION_2025_05_12: 11,
      IR_VERSION_2025_08_26: 12, IR_VERSION: 13,
    },
  }),
  OperatorStatus: proto2<EnumJSON>({ values: { EXPERIMENTAL: 0, STABLE: 1 } }),

  AttributeProto: proto2<TypeJSON>({
    nested: {
      AttributeType: {
        values: {
          UNDEFINED: 0, FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, SPARSE_TENSOR: 11, TYPE_PROTO: 13,
          FLOATS: 6, INTS: 7, STRINGS: 8, TENSORS: 9, GRAPHS: 10, SPARSE_TENSORS: 12, TYPE_PROTOS: 14,
        },
      },
    },
    reserved: [[12, 12], [16, 19], 'v'],
    fields: {
      name: one(1, 'string'),
      ref_attr_name: one(21, 'string'),
      doc_string: one(13, 'string'),
      type: one(20, 'AttributeType'),
      f: one(2, 'float'),
      i: one(3, 'int64'),
      s: one(4, 'bytes'),
      t: one(5, 'TensorProto'),
      g: one(6, 'GraphProto'),
      sparse_tensor: one(22, 'SparseTensorProto'),
      tp: one(14, 'TypeProto'),
      floats: many(7, 'float'),
      ints: many(8, 'int64'),
      strings: many(9, 'bytes'),
      tensors: many(10, 'TensorProto'),
      graphs: many(11, 'GraphProto'),
      sparse_tensors: many(23, 'SparseTensorProto'),
      type_protos: many(15, 'TypeProto'),
    },
  }),

  ValueInfoProto: proto2<TypeJSON>({
    fields: {
      name: one(1, 'string'),
      type: one(2, 'TypeProto'),
      doc_string: one(3, 'string'),
      metadata_props: many(4, 'StringStringEntryProto'),
    },
  }),

  NodeProto: proto2<TypeJSON>({
    fields: {
      input: many(1, 'string'),
      output: many(2, 'string'),
      name: one(3, 'string'),
      op_type: one(4, 'string'),
      domain: one(7, 'string'),
      overload: one(8, 'string'),
      attribute: many(5, 'AttributeProto'),
      doc_string: one(6, 'string'),
      metadata_props: many(9, 'StringStringEntryProto'),
      device_configurations: many(10, 'NodeDeviceConfigurationProto'),
    },
  }),

  IntIntListEntryProto: proto2<TypeJSON>({
    fields: { key: one(1, 'int64'), value: many(2, 'int64') },
  }),

  NodeDeviceConfigurationProto: proto2<TypeJSON>({
    fields: {
      configuration_id: one(1, 'string'),
      sharding_spec: many(2, 'ShardingSpecProto'),
      pipeline_stage: one(3, 'int32'),
    },
  }),

  ShardingSpecProto: proto2<TypeJSON>({
    fields: {
      tensor_name: one(1, 'string'),
      device: many(2, 'int64'),
      index_to_device_group_map: many(3, 'IntIntListEntryProto'),
      sharded_dim: many(4, 'ShardedDimProto'),
    },
  }),

  ShardedDimProto: proto2<TypeJSON>({
    fields: { axis: one(1, 'int64'), simple_sharding: many(2, 'SimpleShardedDimProto') },
  }),

  SimpleShardedDimProto: proto2<TypeJSON>({
    oneofs: { dim: { oneof: ['dim_value', 'dim_param'] } },
    fields: { dim_value: one(1, 'int64'), dim_param: one(2, 'string'), num_shards: one(3, 'int64') },
  }),

  TrainingInfoProto: proto2<TypeJSON>({
    fields: {
      initialization: one(1, 'GraphProto'),
      algorithm: one(2, 'GraphProto'),
      initialization_binding: many(3, 'StringStringEntryProto'),
      update_binding: many(4, 'StringStringEntryProto'),
    },
  }),

  ModelProto: proto2<TypeJSON>({
    reserved: [[9, 9], 'graph_proto'],
    fields: {
      ir_version: one(1, 'int64'),
      opset_import: many(8, 'OperatorSetIdProto'),
      producer_name: one(2, 'string'),
      producer_version: one(3, 'string'),
      domain: one(4, 'string'),
      model_version: one(5, 'int64'),
      doc_string: one(6, 'string'),
      graph: one(7, 'GraphProto'),
      metadata_props: many(14, 'StringStringEntryProto'),
      training_info: many(20, 'TrainingInfoProto'),
      functions: many(25, 'FunctionProto'),
      configuration: many(26, 'DeviceConfigurationProto'),
    },
  }),

  DeviceConfigurationProto: proto2<TypeJSON>({
    fields: { name: one(1, 'string'), num_devices: one(2, 'int32'), device: many(3, 'string') },
  }),

  StringStringEntryProto: proto2<TypeJSON>({
    fields: { key: one(1, 'string'), value: one(2, 'string') },
  }),

  TensorAnnotation: proto2<TypeJSON>({
    fields: {
      tensor_name: one(1, 'string'),
      quant_parameter_tensor_names: many(2, 'StringStringEntryProto'),
    },
  }),

  GraphProto: proto2<TypeJSON>({
    reserved: [[3, 4], [6, 9], 'ir_version', 'producer_version', 'producer_tag', 'domain'],
    fields: {
      node: many(1, 'NodeProto'),
      name: one(2, 'string'),
      initializer: many(5, 'TensorProto'),
      sparse_initializer: many(15, 'SparseTensorProto'),
      doc_string: one(10, 'string'),
      input: many(11, 'ValueInfoProto'),
      output: many(12, 'ValueInfoProto'),
      value_info: many(13, 'ValueInfoProto'),
      quantization_annotation: many(14, 'TensorAnnotation'),
      metadata_props: many(16, 'StringStringEntryProto'),
    },
  }),

  TensorProto: proto2<TypeJSON>({
    nested: {
      DataType: tensorDataType,
      Segment: { fields: { begin: one(1, 'int64'), end: one(2, 'int64') } },
      DataLocation: { values: { DEFAULT: 0, EXTERNAL: 1 } },
    },
    fields: {
      dims: many(1, 'int64'),
      // An int32 rather than the DataType enum, as in onnx.proto: element types newer than this schema survive.
      data_type: one(2, 'int32'),
      segment: one(3, 'Segment'),
      float_data: packed(4, 'float'),
      int32_data: packed(5, 'int32'),
      string_data: many(6, 'bytes'),
      int64_data: packed(7, 'int64'),
      name: one(8, 'string'),
      doc_string: one(12, 'string'),
      raw_data: one(9, 'bytes'),
      external_data: many(13, 'StringStringEntryProto'),
      data_location: one(14, 'DataLocation'),
      double_data: packed(10, 'double'),
      uint64_data: packed(11, 'uint64'),
      metadata_props: many(16, 'StringStringEntryProto'),
    },
  }),

  SparseTensorProto: proto2<TypeJSON>({
    fields: {
      values: one(1, 'TensorProto'),
      indices: one(2, 'TensorProto'),
      dims: many(3, 'int64'),
    },
  }),

  TensorShapeProto: proto2<TypeJSON>({
    nested: {
      Dimension: {
        oneofs: { value: { oneof: ['dim_value', 'dim_param'] } },
        fields: { dim_value: one(1, 'int64'), dim_param: one(2, 'string'), denotation: one(3, 'string') },
      },
    },
    fields: { dim: many(1, 'Dimension') },
  }),

  TypeProto: proto2<TypeJSON>({
    nested: {
      Tensor: { fields: { elem_type: one(1, 'int32'), shape: one(2, 'TensorShapeProto') } },
      Sequence: { fields: { elem_type: one(1, 'TypeProto') } },
      Map: { fields: { key_type: one(1, 'int32'), value_type: one(2, 'TypeProto') } },
      Optional: { fields: { elem_type: one(1, 'TypeProto') } },
      SparseTensor: { fields: { elem_type: one(1, 'int32'), shape: one(2, 'TensorShapeProto') } },
      // onnx-ml
      Opaque: { fields: { domain: one(1, 'string'), name: one(2, 'string') } },
    },
    oneofs: {
      value: {
        oneof: ['tensor_type', 'sequence_type', 'map_type', 'optional_type', 'sparse_tensor_type', 'opaque_type'],
      },
    },
    fields: {
      tensor_type: one(1, 'Tensor'),
      sequence_type: one(4, 'Sequence'),
      map_type: one(5, 'Map'),
      optional_type: one(9, 'Optional'),
      sparse_tensor_type: one(8, 'SparseTensor'),
      opaque_type: one(7, 'Opaque'),
      denotation: one(6, 'string'),
    },
  }),

  OperatorSetIdProto: proto2<TypeJSON>({
    fields: { domain: one(1, 'string'), version: one(2, 'int64') },
  }),

  FunctionProto: proto2<TypeJSON>({
    reserved: [[2, 3], 'since_version', 'status'],
    fields: {
      name: one(1, 'string'),
      input: many(4, 'string'),
      output: many(5, 'string'),
      attribute: many(6, 'string'),
      attribute_proto: many(11, 'AttributeProto'),
      value_info: many(12, 'ValueInfoProto'),
      node: many(7, 'NodeProto'),
      doc_string: one(8, 'string'),
      opset_import: many(9, 'OperatorSetIdProto'),
      domain: one(10, 'string'),
      overload: one(13, 'string'),
      metadata_props: many(14, 'StringStringEntryProto'),
    },
  }),

  // onnx-data.proto
  SequenceProto: proto2<TypeJSON>({
    nested: { DataType: containerDataType },
    fields: {
      name: one(1, 'string'),
      elem_type: one(2, 'int32'),
      tensor_values: many(3, 'TensorProto'),
      sparse_tensor_values: many(4, 'SparseTensorProto'),
      sequence_values: many(5, 'SequenceProto'),
      map_values: many(6, 'MapProto'),
      optional_values: many(7, 'OptionalProto'),
    },
  }),

  MapProto: proto2<TypeJSON>({
    fields: {
      name: one(1, 'string'),
      key_type: one(2, 'int32'),
      keys: many(3, 'int64'),
      string_keys: many(4, 'bytes'),
      values: one(5, 'SequenceProto'),
    },
  }),

  OptionalProto: proto2<TypeJSON>({
    nested: { DataType: containerDataType },
    fields: {
      name: one(1, 'string'),
      elem_type: one(2, 'int32'),
      tensor_value: one(3, 'TensorProto'),
      sparse_tensor_value: one(4, 'SparseTensorProto'),
      sequence_value: one(5, 'SequenceProto'),
      map_value: one(6, 'MapProto'),
      optional_value: one(7, 'OptionalProto'),
    },
  }),
};

/** Names of the messages the codec works with (fully qualified as `onnx.<name>`). */
export type OnnxMessageName =
  | 'ModelProto' | 'TensorProto' | 'SequenceProto' | 'MapProto' | 'OptionalProto' | 'GraphProto' | 'NodeProto'
  | 'SparseTensorProto' | 'TypeProto' | 'FunctionProto' | 'AttributeProto' | 'ValueInfoProto';

let root: protobuf.Root | undefined;
const typeCache = new Map<OnnxMessageName, protobuf.Type>();

/** The schema as a protobufjs Root, built on first use so that importing this module costs nothing. */
export function onnxRoot(): protobuf.Root {
  if (root) return root;
  root = protobuf.Root.fromJSON({ nested: { onnx: { nested: onnxTypes } } } as protobuf.INamespace);
  usePrecompiledConstructors(root);
  stripPrototypeDefaults(root);
  decodeOnDemand(root);
  return root;
}

/**
 * Gives every message type a decode that generates only the decoder on first use. protobufjs' own lazy
 * setup() generates five functions per type (encode, decode, verify, fromObject, toObject), and the codec
 * uses only decode (encoder.ts encodes): most of the code generation of a model load. A full setup()
 * later (protobufjs' own encode, verify, … on first use) keeps the decode in place.
 */
function decodeOnDemand(ns: protobuf.NamespaceBase): void {
  eachType(ns, (t) => {
    t.decode = function decodeSetup(this: protobuf.Type, ...args: unknown[]) {
      return (generateDecoder(this) as (...a: unknown[]) => protobuf.Message).apply(this, args);
    } as protobuf.Type['decode'];
    t.setup = function setupKeepingDecode(this: protobuf.Type) {
      const decode = this.decode;
      protobuf.Type.prototype.setup.call(this);
      this.decode = decode;
      return this;
    };
  });
}

/** Generates `type`'s decoder as protobufjs' setup() does, installs it as `type.decode` and returns it. */
export function generateDecoder(type: protobuf.Type): protobuf.Type['decode'] {
  const types = type.fieldsArray.map((f) => f.resolve().resolvedType);
  const pre = precompiledType(type.fullName);
  type.decode = (pre ? pre.decode(protobuf.Reader, types, protobuf.util, type.ctor) : protobuf.decoder(type)({ Reader: protobuf.Reader, types, util: protobuf.util, C: type.ctor })) as protobuf.Type['decode'];
  return type.decode;
}

/** Every message type of the schema, nested ones included (precompile-source.ts). */
export function onnxMessageTypes(): protobuf.Type[] {
  const out: protobuf.Type[] = [];
  eachType(onnxRoot(), (t) => out.push(t));
  return out;
}

/** A message type of the schema, e.g. `onnxType('ModelProto')`. */
export function onnxType(name: OnnxMessageName): protobuf.Type {
  let t = typeCache.get(name);
  if (!t) {
    t = onnxRoot().lookupType(`onnx.${name}`);
    typeCache.set(name, t);
  }
  return t;
}

/** Calls `fn` for every message type under `ns`, nested ones included. */
function eachType(ns: protobuf.NamespaceBase, fn: (t: protobuf.Type) => void): void {
  for (const nested of ns.nestedArray) {
    if (nested instanceof protobuf.Type) fn(nested);
    if (nested instanceof protobuf.Namespace || nested instanceof protobuf.Type) eachType(nested, fn);
  }
}

/** Gives each type its ahead-of-time compiled constructor, when the bundle has one (precompiled.ts). */
function usePrecompiledConstructors(ns: protobuf.NamespaceBase): void {
  eachType(ns, (t) => {
    const pre = precompiledType(t.fullName);
    if (pre) t.ctor = pre.ctor as unknown as protobuf.Constructor<object>;
  });
}

/**
 * protobufjs puts each field's default value on the message prototype, so reading an absent `raw_data` would
 * give an empty buffer instead of `undefined`. Our TypeScript shapes (proto-types.ts) promise that absent
 * means undefined; the encoder only looks at own properties, so removing the prototype values is safe.
 */
function stripPrototypeDefaults(ns: protobuf.NamespaceBase): void {
  eachType(ns, (t) => {
    const proto = t.ctor.prototype as unknown as Record<string, unknown>;
    for (const field of t.fieldsArray) delete proto[field.name];
  });
}
