import { BrainsmithError } from '../errors.js';
import type { ValueInfoProto } from '../onnx/proto-types.js';
import type { Graph } from './graph.js';
import { type Node, describeNode } from './node.js';
import { elemTypeOfType, formatShape, initializerShape, shapeOfType, shapesCompatible } from './shape.js';
import { hasSubgraphs, implicitInputs } from './subgraphs.js';
import { topologicalOrder } from './topo.js';

export type Severity = 'error' | 'warning';

export interface VerifyFinding {
  severity: Severity;
  /** Stable code, e.g. 'UNDEFINED_INPUT'. */
  code: string;
  /** One line naming the node and tensor concerned. */
  message: string;
  /** The node concerned, as describeNode gives it. */
  node?: string;
  tensor?: string;
}

interface Declaration {
  where: 'graph input' | 'graph output' | 'value_info';
  vi: ValueInfoProto;
}

/**
 * Structural checks of a graph, O(N + E): every node input is defined by a graph input, an initializer or an
 * earlier node; no cycles; one producer per tensor; every graph output exists; no duplicate graph inputs or
 * outputs; declared shapes and types agree with initializers. Names a subgraph defines itself are its own
 * business; the names it takes from the graph are checked like inputs of the node that owns it.
 */
export function verifyGraph(graph: Graph): VerifyFinding[] {
  const findings: VerifyFinding[] = [];
  const add = (severity: Severity, code: string, message: string, node?: Node, tensor?: string): void => {
    const f: VerifyFinding = { severity, code, message };
    if (node) f.node = describeNode(node);
    if (tensor !== undefined) f.tensor = tensor;
    findings.push(f);
  };
  const orderProblems = checkNodes(graph, add);
  if (orderProblems) {
    const topo = topologicalOrder(graph.nodeList());
    if (!topo.ok) {
      const path = topo.cycle.map(describeNode).join(' -> ');
      findings.unshift({
        severity: 'error', code: 'CYCLE', message: `the graph has a cycle: ${path} -> back to the first`,
        node: describeNode(topo.cycle[0]!),
      });
    }
  }
  checkGraphIO(graph, add);
  checkDeclarations(graph, add);
  return findings;
}

type Add = (severity: Severity, code: string, message: string, node?: Node, tensor?: string) => void;

/** Walks the nodes in order; returns whether some input is read before its producer. */
function checkNodes(graph: Graph, add: Add): boolean {
  const sparse = graph.sparseInitializerNames();
  const defined = new Set<string>([...graph.inputNames(), ...graph.initializerNames(), ...sparse]);
  const producedBy = new Map<string, Node>();
  let readBeforeProduced = false;
  const checkUse = (node: Node, tensor: string, what: string): void => {
    if (defined.has(tensor)) return;
    const producer = graph.producer(tensor);
    if (producer) {
      readBeforeProduced = true;
      const by = producer === node ? 'the node itself' : `${describeNode(producer)}, which comes later`;
      add('error', 'INPUT_BEFORE_PRODUCER', `node ${describeNode(node)}: ${what} '${tensor}' is produced by ${by}`, node, tensor);
    } else {
      add('error', 'UNDEFINED_INPUT',
        `node ${describeNode(node)}: ${what} '${tensor}' is not a graph input, an initializer or the output of any node`, node, tensor);
    }
  };
  for (const node of graph.nodes()) {
    if (!node.opType) add('error', 'MISSING_OP_TYPE', `node ${describeNode(node)} has no op_type`, node);
    node.inputs.forEach((t, i) => {
      if (t !== '') checkUse(node, t, `input ${i}`);
    });
    if (hasSubgraphs(node.proto)) {
      for (const t of implicitInputs(node.proto)) checkUse(node, t, 'a subgraph uses');
    }
    for (const t of node.outputs) {
      if (t === '') continue;
      const first = producedBy.get(t);
      if (first) {
        const other = first === node ? 'twice by the same node' : `also by ${describeNode(first)}`;
        add('error', 'DUPLICATE_PRODUCER', `node ${describeNode(node)}: output '${t}' is produced ${other}`, node, t);
        continue;
      }
      if (graph.isInitializer(t) || sparse.has(t)) {
        add('error', 'OUTPUT_IS_INITIALIZER', `node ${describeNode(node)}: output '${t}' is also an initializer`, node, t);
      } else if (graph.isGraphInput(t)) {
        add('error', 'OUTPUT_IS_GRAPH_INPUT', `node ${describeNode(node)}: output '${t}' is also a graph input`, node, t);
      }
      producedBy.set(t, node);
      defined.add(t);
    }
  }
  return readBeforeProduced;
}

function checkGraphIO(graph: Graph, add: Add): void {
  const seenInputs = new Set<string>();
  for (const name of graph.inputNames()) {
    if (name === '') add('error', 'UNNAMED_GRAPH_INPUT', 'a graph input has no name');
    else if (seenInputs.has(name)) add('error', 'DUPLICATE_GRAPH_INPUT', `graph input '${name}' is listed twice`, undefined, name);
    seenInputs.add(name);
  }
  const seenOutputs = new Set<string>();
  for (const name of graph.outputNames()) {
    if (name === '') {
      add('error', 'UNNAMED_GRAPH_OUTPUT', 'a graph output has no name');
      continue;
    }
    if (seenOutputs.has(name)) add('error', 'DUPLICATE_GRAPH_OUTPUT', `graph output '${name}' is listed twice`, undefined, name);
    seenOutputs.add(name);
    const exists = graph.producer(name) !== undefined || graph.isGraphInput(name) || graph.isInitializer(name) ||
      graph.sparseInitializerNames().has(name);
    if (!exists) {
      add('error', 'UNPRODUCED_GRAPH_OUTPUT', `graph output '${name}' is not produced by any node, input or initializer`, undefined, name);
    }
  }
  const defects = graph.loadDefects;
  for (const name of defects.duplicateInitializers) {
    add('error', 'DUPLICATE_INITIALIZER', `initializer '${name}' is defined more than once`, undefined, name);
  }
  for (const name of defects.duplicateValueInfos) {
    add('warning', 'DUPLICATE_VALUE_INFO', `value_info lists '${name}' more than once`, undefined, name);
  }
}

/** Declared shapes: sane dims, agreement between declarations, and with initializer dims and types. */
function checkDeclarations(graph: Graph, add: Add): void {
  const declared = new Map<string, Declaration[]>();
  const declare = (where: Declaration['where'], vi: ValueInfoProto): void => {
    const name = vi.name ?? '';
    const list = declared.get(name);
    if (list) list.push({ where, vi });
    else declared.set(name, [{ where, vi }]);
    const shape = shapeOfType(vi.type);
    if (shape?.some((d) => typeof d === 'number' && d < 0)) {
      add('error', 'INVALID_DIM', `${where} '${name}' declares a negative dimension ${formatShape(shape)}`, undefined, name);
    }
  };
  for (const vi of graph.inputs) declare('graph input', vi);
  for (const vi of graph.outputs) declare('graph output', vi);
  for (const vi of graph.valueInfos()) declare('value_info', vi);

  for (const [name, decls] of declared) {
    const first = decls[0]!;
    const firstShape = shapeOfType(first.vi.type);
    for (const d of decls.slice(1)) {
      const shape = shapeOfType(d.vi.type);
      if (firstShape && shape && !shapesCompatible(firstShape, shape)) {
        add('warning', 'SHAPE_CONFLICT',
          `tensor '${name}': ${first.where} declares ${formatShape(firstShape)} but ${d.where} declares ${formatShape(shape)}`, undefined, name);
      }
    }
    const init = graph.getInitializer(name);
    if (!init) continue;
    const dims = initializerShape(init);
    for (const d of decls) {
      const shape = shapeOfType(d.vi.type);
      if (shape && !shapesCompatible(shape, dims)) {
        add('error', 'SHAPE_MISMATCH',
          `initializer '${name}' has dims ${formatShape(dims)} but its ${d.where} declares ${formatShape(shape)}`, undefined, name);
      }
      const et = elemTypeOfType(d.vi.type);
      if (et !== undefined && init.data_type && et !== init.data_type) {
        add('error', 'TYPE_MISMATCH',
          `initializer '${name}' has data_type ${init.data_type} but its ${d.where} declares elem_type ${et}`, undefined, name);
      }
    }
  }
}

/**
 * Throws E_GRAPH_INVALID when the graph has an error-level finding; the message starts with `context`
 * (e.g. the transform that just ran), then the first problem. Returns the warnings otherwise.
 */
export function assertGraphValid(graph: Graph, context?: string): VerifyFinding[] {
  const findings = verifyGraph(graph);
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.length > 0) {
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : '';
    throw new BrainsmithError('E_GRAPH_INVALID', `${context ?? 'invalid graph'}: ${errors[0]!.message}${more}`, { kind: 'work' });
  }
  return findings;
}
