import type { Model } from '../ir/model.js';
import type { Graph } from '../ir/graph.js';
import { classifyDomain, normalizeNodeDomain, isStandardDomain, type DomainKind } from '../ir/domains.js';
import { verifyGraph, type VerifyFinding } from '../ir/verify.js';
import type { Dim } from '../ir/shape.js';
import { elemTypeName } from '../tensor/element-type.js';
import { tensorDataByteLength } from '../onnx/tensor-bytes.js';
import { isExternalTensor } from '../onnx/external-data.js';

/** The dialect a model is written in, judged by the operator domains it uses. */
export type ModelFormat = 'onnx' | 'qonnx' | 'finn' | 'finn-hw';

export interface TensorSummary {
  name: string;
  elemType: string;
  shape?: Dim[];
  /** QONNX `finn_datatype` annotation, when present. */
  datatype?: string;
  layout?: string[];
}

export interface OpCount {
  opType: string;
  /** The domain as written in the model. */
  domain: string;
  /** The domain after alias normalization (onnx.brevitas → qonnx.custom_op.general, …). */
  normalizedDomain: string;
  kind: DomainKind;
  count: number;
}

export interface ModelSummary {
  file?: string;
  fileBytes?: number;
  format: ModelFormat;
  irVersion: number;
  producer: { name: string; version: string };
  graphName: string;
  opsets: { domain: string; version: number }[];
  inputs: TensorSummary[];
  outputs: TensorSummary[];
  nodeCount: number;
  ops: OpCount[];
  initializers: { count: number; bytes: number; external: number; sparse: number };
  customDomains: string[];
  functions: number;
  valueInfos: number;
  /** How many tensors carry each `finn_datatype` annotation. */
  datatypes: Record<string, number>;
  verifier: { ok: boolean; errors: number; warnings: number; findings: VerifyFinding[] };
}

function tensorSummary(graph: Graph, name: string): TensorSummary {
  const et = graph.getElemType(name);
  const s: TensorSummary = { name, elemType: et === undefined ? 'unknown' : elemTypeName(et) };
  const shape = graph.getShape(name);
  if (shape) s.shape = shape;
  const dt = graph.getDatatypeName(name);
  if (dt) s.datatype = dt;
  const layout = graph.getTensorLayout(name);
  if (layout) s.layout = layout;
  return s;
}

function detectFormat(kinds: Set<DomainKind>, rawDomains: Set<string>): ModelFormat {
  if (kinds.has('finn-hw')) return 'finn-hw';
  // FINN's legacy export writes its general ops under finn.custom_op.general; QONNX tools use their own.
  if (rawDomains.has('finn.custom_op.general') || rawDomains.has('finn')) return 'finn';
  if (kinds.has('qonnx')) return 'qonnx';
  return 'onnx';
}

/** Everything `brainsmith inspect` shows, as data. Builds the graph IR but does not change the model. */
export function summarizeModel(model: Model, file?: { path: string; bytes: number }): ModelSummary {
  const graph = model.graph;
  const counts = new Map<string, OpCount>();
  const kinds = new Set<DomainKind>();
  const rawDomains = new Set<string>();
  for (const node of graph.nodes()) {
    const domain = node.domain;
    const normalizedDomain = normalizeNodeDomain(node);
    const kind = classifyDomain(normalizedDomain);
    kinds.add(kind);
    rawDomains.add(domain);
    const key = `${domain}\u0000${node.opType}`;
    const c = counts.get(key);
    if (c) c.count++;
    else counts.set(key, { opType: node.opType, domain, normalizedDomain, kind, count: 1 });
  }
  const ops = [...counts.values()].sort((a, b) => a.domain.localeCompare(b.domain) || b.count - a.count || a.opType.localeCompare(b.opType));

  let bytes = 0;
  let external = 0;
  for (const t of graph.initializers()) {
    bytes += tensorDataByteLength(t, model.source.baseDir);
    if (isExternalTensor(t)) external++;
  }
  const datatypes: Record<string, number> = {};
  for (const t of graph.annotatedTensors()) {
    const dt = graph.getDatatypeName(t);
    if (dt) datatypes[dt] = (datatypes[dt] ?? 0) + 1;
  }
  const opsets = [...model.opsets].map(([domain, version]) => ({ domain, version }));
  const customDomains = new Set<string>();
  for (const d of rawDomains) if (!isStandardDomain(d)) customDomains.add(d);
  for (const { domain } of opsets) if (!isStandardDomain(domain)) customDomains.add(domain);

  const findings = verifyGraph(graph);
  const errors = findings.filter((f) => f.severity === 'error').length;
  const summary: ModelSummary = {
    format: detectFormat(kinds, rawDomains),
    irVersion: model.irVersion,
    producer: { name: model.proto.producer_name ?? '', version: model.proto.producer_version ?? '' },
    graphName: graph.name,
    opsets,
    inputs: graph.inputNames().filter((n) => !graph.isInitializer(n)).map((n) => tensorSummary(graph, n)),
    outputs: graph.outputNames().map((n) => tensorSummary(graph, n)),
    nodeCount: graph.nodeCount,
    ops,
    initializers: { count: graph.initializerNames().length, bytes, external, sparse: graph.sparseInitializerNames().size },
    customDomains: [...customDomains].sort(),
    functions: model.proto.functions?.length ?? 0,
    valueInfos: graph.valueInfos().length,
    datatypes,
    verifier: { ok: errors === 0, errors, warnings: findings.length - errors, findings },
  };
  if (file) {
    summary.file = file.path;
    summary.fileBytes = file.bytes;
  }
  return summary;
}
