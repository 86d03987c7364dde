import type { Int64 } from './int64.js';

/**
 * TypeScript shapes of the ONNX protobuf messages as protobufjs decodes them (proto2 semantics: a field that
 * was absent in the file is not an own property, and encodes back as absent). Every field of the current
 * ONNX schema is here, including those added after ONNX 1.10 (see ../shared/reference/onnx-io.md), so that
 * nothing is dropped on a load/save round trip. Field names are the schema's snake_case names.
 *
 * Objects we create may be plain objects of these shapes; protobufjs encodes them the same way.
 */

export interface StringStringEntryProto { key?: string; value?: string }

export interface OperatorSetIdProto { domain?: string; version?: Int64 }

export interface TensorShapeDimension { dim_value?: Int64; dim_param?: string; denotation?: string }
export interface TensorShapeProto { dim?: TensorShapeDimension[] }

export interface TypeProtoTensor { elem_type?: number; shape?: TensorShapeProto }
export interface TypeProtoSequence { elem_type?: TypeProto }
export interface TypeProtoMap { key_type?: number; value_type?: TypeProto }
export interface TypeProtoOptional { elem_type?: TypeProto }
export interface TypeProtoSparseTensor { elem_type?: number; shape?: TensorShapeProto }
export interface TypeProtoOpaque { domain?: string; name?: string }
export interface TypeProto {
  tensor_type?: TypeProtoTensor;
  sequence_type?: TypeProtoSequence;
  map_type?: TypeProtoMap;
  optional_type?: TypeProtoOptional;
  sparse_tensor_type?: TypeProtoSparseTensor;
  opaque_type?: TypeProtoOpaque;
  denotation?: string;
}

export interface ValueInfoProto {
  name?: string;
  type?: TypeProto;
  doc_string?: string;
  metadata_props?: StringStringEntryProto[];
}

export interface TensorSegment { begin?: Int64; end?: Int64 }

export interface TensorProto {
  dims?: Int64[];
  data_type?: number;
  segment?: TensorSegment;
  /** Decoded packed runs arrive as Float32Array (exact bits, fast); objects we build may use number[]. */
  float_data?: number[] | Float32Array;
  int32_data?: number[];
  string_data?: Uint8Array[];
  int64_data?: Int64[];
  name?: string;
  doc_string?: string;
  /** A view into the loaded file's bytes, never a copy. */
  raw_data?: Uint8Array;
  external_data?: StringStringEntryProto[];
  /** 0 = DEFAULT, 1 = EXTERNAL */
  data_location?: number;
  double_data?: number[] | Float64Array;
  uint64_data?: Int64[];
  metadata_props?: StringStringEntryProto[];
}

export interface SparseTensorProto { values?: TensorProto; indices?: TensorProto; dims?: Int64[] }

/** AttributeProto.AttributeType */
export const AttributeType = {
  UNDEFINED: 0, FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, FLOATS: 6, INTS: 7, STRINGS: 8,
  TENSORS: 9, GRAPHS: 10, SPARSE_TENSOR: 11, SPARSE_TENSORS: 12, TYPE_PROTO: 13, TYPE_PROTOS: 14,
} as const;

export interface AttributeProto {
  name?: string;
  ref_attr_name?: string;
  doc_string?: string;
  type?: number;
  f?: number;
  i?: Int64;
  s?: Uint8Array;
  t?: TensorProto;
  g?: GraphProto;
  sparse_tensor?: SparseTensorProto;
  tp?: TypeProto;
  floats?: number[];
  ints?: Int64[];
  strings?: Uint8Array[];
  tensors?: TensorProto[];
  graphs?: GraphProto[];
  sparse_tensors?: SparseTensorProto[];
  type_protos?: TypeProto[];
}

export interface SimpleShardedDimProto { dim_value?: Int64; dim_param?: string; num_shards?: Int64 }
export interface ShardedDimProto { axis?: Int64; simple_sharding?: SimpleShardedDimProto[] }
export interface IntIntListEntryProto { key?: Int64; value?: Int64[] }
export interface ShardingSpecProto {
  tensor_name?: string;
  device?: Int64[];
  index_to_device_group_map?: IntIntListEntryProto[];
  sharded_dim?: ShardedDimProto[];
}
export interface NodeDeviceConfigurationProto {
  configuration_id?: string;
  sharding_spec?: ShardingSpecProto[];
  pipeline_stage?: number;
}
export interface DeviceConfigurationProto { name?: string; num_devices?: number; device?: string[] }

export interface NodeProto {
  input?: string[];
  output?: string[];
  name?: string;
  op_type?: string;
  domain?: string;
  overload?: string;
  attribute?: AttributeProto[];
  doc_string?: string;
  metadata_props?: StringStringEntryProto[];
  device_configurations?: NodeDeviceConfigurationProto[];
}

export interface TensorAnnotation {
  tensor_name?: string;
  quant_parameter_tensor_names?: StringStringEntryProto[];
}

export interface GraphProto {
  node?: NodeProto[];
  name?: string;
  initializer?: TensorProto[];
  sparse_initializer?: SparseTensorProto[];
  doc_string?: string;
  input?: ValueInfoProto[];
  output?: ValueInfoProto[];
  value_info?: ValueInfoProto[];
  quantization_annotation?: TensorAnnotation[];
  metadata_props?: StringStringEntryProto[];
}

export interface TrainingInfoProto {
  initialization?: GraphProto;
  algorithm?: GraphProto;
  initialization_binding?: StringStringEntryProto[];
  update_binding?: StringStringEntryProto[];
}

export interface FunctionProto {
  name?: string;
  input?: string[];
  output?: string[];
  attribute?: string[];
  attribute_proto?: AttributeProto[];
  node?: NodeProto[];
  doc_string?: string;
  opset_import?: OperatorSetIdProto[];
  domain?: string;
  overload?: string;
  value_info?: ValueInfoProto[];
  metadata_props?: StringStringEntryProto[];
}

export interface ModelProto {
  ir_version?: Int64;
  opset_import?: OperatorSetIdProto[];
  producer_name?: string;
  producer_version?: string;
  domain?: string;
  model_version?: Int64;
  doc_string?: string;
  graph?: GraphProto;
  metadata_props?: StringStringEntryProto[];
  training_info?: TrainingInfoProto[];
  functions?: FunctionProto[];
  configuration?: DeviceConfigurationProto[];
}

/** onnx-data.proto messages, used by test-data `.pb` files. */
export interface SequenceProto {
  name?: string;
  elem_type?: number;
  tensor_values?: TensorProto[];
  sparse_tensor_values?: SparseTensorProto[];
  sequence_values?: SequenceProto[];
  map_values?: MapProto[];
  optional_values?: OptionalProto[];
}
export interface MapProto { name?: string; key_type?: number; keys?: Int64[]; string_keys?: Uint8Array[]; values?: SequenceProto }
export interface OptionalProto {
  name?: string;
  elem_type?: number;
  tensor_value?: TensorProto;
  sparse_tensor_value?: SparseTensorProto;
  sequence_value?: SequenceProto;
  map_value?: MapProto;
  optional_value?: OptionalProto;
}
