import type { DataType } from '../datatype/datatype.js';
import { DataTypes, tryParseDataType } from '../datatype/registry.js';
import { errorMessage } from '../errors.js';
import { classifyDomain, normalizeNodeDomain } from '../ir/domains.js';
import type { Graph } from '../ir/graph.js';
import type { Node } from '../ir/node.js';
import { tensorFromProto, type TensorValue } from '../tensor/tensor-value.js';
import { evaluationOrder } from '../shapes/infer.js';
import { builtinDatatypeRule, defaultDatatype } from './rules.js';
import type { DatatypeContext, DatatypeResolver, DatatypeRule } from './types.js';

export interface InferDataTypesOptions {
  resolvers?: readonly DatatypeResolver[];
  allowScaledInt?: boolean;
  debug?: (fields: Record<string, unknown>, message: string) => void;
}

export interface InferDataTypesResult {
  changed: boolean;
  /** Annotations added or changed. */
  written: number;
  /** `domain:opType` of custom ops no rule knows (their annotations stay as they are). */
  unknownOps: string[];
  failures: { node: string; message: string }[];
}

function contextFor(graph: Graph, node: Node, allowScaledInt: boolean, values: Map<string, TensorValue>): DatatypeContext {
  const inputs = node.inputs;
  return {
    node,
    allowScaledInt,
    inputCount: inputs.length,
    input: (i) => {
      const t = inputs[i];
      if (!t) return undefined;
      const name = graph.getDatatypeName(t);
      return (name !== undefined ? tryParseDataType(name) : undefined) ?? DataTypes.FLOAT32;
    },
    value: (i) => {
      const t = inputs[i];
      const init = t ? graph.getInitializer(t) : undefined;
      if (!init) return undefined;
      let v = values.get(t!);
      if (!v) {
        v = tensorFromProto(init);
        values.set(t!, v);
      }
      return v;
    },
    outputElemType: (i) => (node.outputs[i] ? graph.getElemType(node.outputs[i]!) : undefined),
    shape: (i) => (inputs[i] ? graph.getShape(inputs[i]!) : undefined),
  };
}

function findRule(node: Node, domain: string, resolvers: readonly DatatypeResolver[]): DatatypeRule | undefined {
  for (const r of resolvers) {
    const rule = r(node, domain);
    if (rule) return rule;
  }
  return builtinDatatypeRule(domain, node.opType);
}

/**
 * Annotates every node output with its FINN DataType (`finn_datatype`), in graph order so each node sees its
 * inputs' final types (run on a sorted graph). Initializers and graph inputs keep whatever they carry:
 * like FINN, no type is invented for weights. Standard ops without a rule get FLOAT32 (or the integer type
 * of an integer element type); custom ops without a rule keep their annotations.
 */
export function inferDataTypes(graph: Graph, opts: InferDataTypesOptions = {}): InferDataTypesResult {
  const resolvers = opts.resolvers ?? [];
  const values = new Map<string, TensorValue>();
  const unknown = new Set<string>();
  const failures: InferDataTypesResult['failures'] = [];
  let written = 0;
  const write = (tensor: string, dt: DataType): void => {
    if (!tensor || graph.isInitializer(tensor) || graph.isGraphInput(tensor)) return;
    if (graph.getDatatypeName(tensor) === dt.name) return;
    graph.setDatatypeName(tensor, dt.name);
    written++;
  };
  for (const node of evaluationOrder(graph)) {
    const domain = normalizeNodeDomain(node);
    const rule = findRule(node, domain, resolvers);
    if (!rule) {
      if (classifyDomain(domain) === 'onnx') node.outputs.forEach((o) => write(o, defaultDatatype(o ? graph.getElemType(o) : undefined)));
      else {
        unknown.add(`${domain}:${node.opType}`);
        opts.debug?.({ node: node.name, opType: node.opType, domain }, 'no datatype rule; annotations left as they are');
      }
      continue;
    }
    let types: (DataType | undefined)[];
    try {
      types = rule(contextFor(graph, node, opts.allowScaledInt ?? false, values));
    } catch (e) {
      failures.push({ node: node.toString(), message: errorMessage(e) });
      opts.debug?.({ node: node.name, error: errorMessage(e) }, 'datatype rule failed; annotations left as they are');
      continue;
    }
    node.outputs.forEach((o, i) => {
      const dt = types[i];
      if (dt) write(o, dt);
    });
  }
  return { changed: written > 0, written, unknownOps: [...unknown].sort(), failures };
}
