// Built-in plugin, written with the same API third parties use. Imports the package's public entry by
// relative path, which at run time is the very module `import ... from 'brainsmith'` resolves to.
import { z } from 'zod';
import {
  defineTransform, getAttribute, getInts, isStandardDomain, tensorFromProto, tensorToNumbers, type Dim, type Graph, type Node,
} from '../../src/index.js';

/** Numpy broadcast of two shapes; undefined when they do not broadcast or a dim is symbolic where it matters. */
function broadcastShapes(a: readonly Dim[], b: readonly Dim[]): Dim[] | undefined {
  const rank = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[i - (rank - a.length)] ?? 1;
    const y = b[i - (rank - b.length)] ?? 1;
    if (x === y || y === 1) out.push(x);
    else if (x === 1) out.push(y);
    else return undefined;
  }
  return out;
}

const options = z.object({
  /**
   * How far a constant may be from 0 (Add/Sub) or 1 (Mul/Div) and still count as neutral. 0 (exact) keeps
   * outputs bit-identical; QONNX uses 1e-5.
   */
  tolerance: z.number().min(0).default(0).describe('Largest distance from 0 (Add/Sub) or 1 (Mul/Div) still treated as neutral; QONNX uses 1e-5'),
});

/** Values of an initializer operand, or undefined when the operand is computed. */
function constantValues(graph: Graph, name: string | undefined): Float64Array | undefined {
  const init = name ? graph.getInitializer(name) : undefined;
  return init ? tensorToNumbers(tensorFromProto(init)) : undefined;
}

/** The constant does not enlarge the data operand by broadcasting, so dropping it keeps the output shape. */
function shapePreserving(graph: Graph, data: string, constant: string): boolean {
  const c = graph.getShape(constant);
  if (!c) return false;
  if (c.every((d) => d === 1) && c.length <= 1) return true;
  const x = graph.getShape(data);
  if (!x) return false;
  const b = broadcastShapes(x, c);
  return b !== undefined && b.length === x.length && b.every((d, i) => d === x[i]);
}

/** Which input passes through unchanged, or -1 when the node is not a no-op. */
function passThroughInput(graph: Graph, node: Node, tol: number): number {
  const near = (values: Float64Array | undefined, target: number): boolean =>
    values !== undefined && values.length > 0 && values.every((v) => Math.abs(v - target) <= tol);
  const [a, b] = node.inputs;
  switch (node.opType) {
    case 'Identity':
      return 0;
    case 'Add':
      if (near(constantValues(graph, b), 0) && shapePreserving(graph, a!, b!)) return 0;
      if (near(constantValues(graph, a), 0) && shapePreserving(graph, b!, a!)) return 1;
      return -1;
    case 'Mul':
      if (near(constantValues(graph, b), 1) && shapePreserving(graph, a!, b!)) return 0;
      if (near(constantValues(graph, a), 1) && shapePreserving(graph, b!, a!)) return 1;
      return -1;
    case 'Sub':
      return near(constantValues(graph, b), 0) && shapePreserving(graph, a!, b!) ? 0 : -1;
    case 'Div':
      return near(constantValues(graph, b), 1) && shapePreserving(graph, a!, b!) ? 0 : -1;
    case 'Pad': {
      // Opset < 11 keeps the pads in an attribute, later opsets in input 1.
      const attr = getAttribute(node, 'pads');
      const pads = b ? constantValues(graph, b) : attr ? Float64Array.from(getInts(node, 'pads')) : undefined;
      return pads !== undefined && pads.every((p) => p === 0) ? 0 : -1;
    }
    default:
      return -1;
  }
}

/**
 * Removes nodes that compute their input unchanged: Identity, Add/Sub of 0, Mul/Div by 1 (constant operand,
 * no broadcasting growth), Pad by zero pads. Consumers read the input directly. A node producing a graph
 * output stays (the output name is the model's interface), as does one whose element types differ.
 */
export default defineTransform<z.infer<typeof options>>({
  name: 'RemoveIdentityOps',
  stage: 'cleanup',
  description: 'Remove Identity nodes and Add 0 / Sub 0 / Mul 1 / Div 1 / zero Pad, rewiring consumers to the input',
  options,
  apply(model, ctx) {
    const graph = model.graph;
    const tol = ctx.options.tolerance ?? 0;
    let removed = 0;
    for (const node of graph.nodeList()) {
      if (!isStandardDomain(node.domain)) continue;
      const output = node.outputs[0];
      if (!output || node.outputs.length !== 1 || graph.isGraphOutput(output)) continue;
      const k = passThroughInput(graph, node, tol);
      const input = k >= 0 ? node.inputs[k] : undefined;
      if (!input) continue;
      const ti = graph.getElemType(input);
      const to = graph.getElemType(output);
      if (ti !== undefined && to !== undefined && ti !== to) continue;
      const uses = graph.consumers(output);
      graph.removeNode(node);
      for (const use of uses) graph.setInput(use.node, use.index, input);
      graph.removeValueInfo(output);
      for (const key of [...(graph.annotationsOf(output)?.keys() ?? [])]) graph.setAnnotation(output, key, undefined);
      removed++;
    }
    if (removed) ctx.log.debug({ removed }, 'removed identity ops');
    return removed > 0;
  },
});
