import type {
  AttributeProto, FunctionProto, GraphProto, ModelProto, NodeProto, SparseTensorProto, TensorProto, TrainingInfoProto,
} from './proto-types.js';

/**
 * Visits every TensorProto a model holds (graph and subgraph initializers, sparse initializers, tensor-valued
 * attributes of nodes and of function defaults, training graphs) and lets the caller replace some of them.
 * Replacement is copy-on-write: the input proto is never modified; objects on the path to a replaced tensor
 * are shallow-cloned, everything else is shared. That lets save rewrite tensors without touching the Model.
 */

/** Where a tensor sits: an initializer of some graph, or a value inside an attribute. */
export type TensorSite = 'initializer' | 'attribute';

/** Return a replacement tensor, or undefined to keep the tensor as it is. */
export type TensorMapper = (tensor: TensorProto, site: TensorSite) => TensorProto | undefined;

export function mapModelTensors(model: ModelProto, fn: TensorMapper): ModelProto {
  let out = model;
  if (model.graph) out = withField(out, 'graph', mapGraph(model.graph, fn));
  out = withField(out, 'functions', mapArray(model.functions, (f) => mapFunction(f, fn)));
  out = withField(out, 'training_info', mapArray(model.training_info, (t) => mapTraining(t, fn)));
  return out;
}

/** Calls `fn` on every tensor of the model (read-only walk). */
export function forEachModelTensor(model: ModelProto, fn: (tensor: TensorProto, site: TensorSite) => void): void {
  mapModelTensors(model, (t, site) => {
    fn(t, site);
    return undefined;
  });
}

function mapTraining(t: TrainingInfoProto, fn: TensorMapper): TrainingInfoProto {
  let out = t;
  if (t.initialization) out = withField(out, 'initialization', mapGraph(t.initialization, fn));
  if (t.algorithm) out = withField(out, 'algorithm', mapGraph(t.algorithm, fn));
  return out;
}

function mapFunction(f: FunctionProto, fn: TensorMapper): FunctionProto {
  let out = withField(f, 'node', mapArray(f.node, (n) => mapNode(n, fn)));
  out = withField(out, 'attribute_proto', mapArray(f.attribute_proto, (a) => mapAttribute(a, fn)));
  return out;
}

function mapGraph(g: GraphProto, fn: TensorMapper): GraphProto {
  let out = withField(g, 'initializer', mapArray(g.initializer, (t) => fn(t, 'initializer') ?? t));
  out = withField(out, 'sparse_initializer', mapArray(g.sparse_initializer, (s) => mapSparse(s, 'initializer', fn)));
  out = withField(out, 'node', mapArray(g.node, (n) => mapNode(n, fn)));
  return out;
}

function mapNode(n: NodeProto, fn: TensorMapper): NodeProto {
  return withField(n, 'attribute', mapArray(n.attribute, (a) => mapAttribute(a, fn)));
}

function mapAttribute(a: AttributeProto, fn: TensorMapper): AttributeProto {
  let out = a;
  if (a.t) out = withField(out, 't', fn(a.t, 'attribute') ?? a.t);
  out = withField(out, 'tensors', mapArray(a.tensors, (t) => fn(t, 'attribute') ?? t));
  if (a.sparse_tensor) out = withField(out, 'sparse_tensor', mapSparse(a.sparse_tensor, 'attribute', fn));
  out = withField(out, 'sparse_tensors', mapArray(a.sparse_tensors, (s) => mapSparse(s, 'attribute', fn)));
  if (a.g) out = withField(out, 'g', mapGraph(a.g, fn));
  out = withField(out, 'graphs', mapArray(a.graphs, (g) => mapGraph(g, fn)));
  return out;
}

function mapSparse(s: SparseTensorProto, site: TensorSite, fn: TensorMapper): SparseTensorProto {
  let out = s;
  if (s.values) out = withField(out, 'values', fn(s.values, site) ?? s.values);
  if (s.indices) out = withField(out, 'indices', fn(s.indices, site) ?? s.indices);
  return out;
}

function mapArray<T>(arr: T[] | undefined, f: (x: T) => T): T[] | undefined {
  if (!arr) return arr;
  let copy: T[] | undefined;
  for (let i = 0; i < arr.length; i++) {
    const y = f(arr[i]!);
    if (y !== arr[i]) {
      copy ??= arr.slice();
      copy[i] = y;
    }
  }
  return copy ?? arr;
}

/** `obj` itself when the value is unchanged, otherwise a clone of it with the one field replaced. */
function withField<T extends object, K extends keyof T>(obj: T, key: K, value: T[K]): T {
  if (obj[key] === value) return obj;
  const copy = cloneMessage(obj);
  copy[key] = value;
  return copy;
}

/**
 * A shallow clone that keeps the prototype and every own property, including protobufjs' non-enumerable
 * `$unknowns` (fields the schema does not know), which a spread would lose.
 */
export function cloneMessage<T extends object>(obj: T): T {
  return Object.create(Object.getPrototypeOf(obj) as object, Object.getOwnPropertyDescriptors(obj)) as T;
}
