import type { GraphProto, NodeProto } from '../onnx/proto-types.js';

/**
 * Graph-valued attributes (If branches, Loop and Scan bodies, custom ops alike). A subgraph may use names of
 * enclosing scopes; those "outer references" are implicit inputs of the node that owns the subgraph.
 */
export function subgraphsOf(node: NodeProto): GraphProto[] {
  const out: GraphProto[] = [];
  for (const a of node.attribute ?? []) {
    if (a.g) out.push(a.g);
    for (const g of a.graphs ?? []) out.push(g);
  }
  return out;
}

export function hasSubgraphs(node: NodeProto): boolean {
  for (const a of node.attribute ?? []) if (a.g || (a.graphs && a.graphs.length > 0)) return true;
  return false;
}

/** Names the graph defines itself: its inputs, initializers and node outputs. */
function definedIn(g: GraphProto): Set<string> {
  const defined = new Set<string>();
  for (const vi of g.input ?? []) if (vi.name) defined.add(vi.name);
  for (const t of g.initializer ?? []) if (t.name) defined.add(t.name);
  for (const s of g.sparse_initializer ?? []) if (s.values?.name) defined.add(s.values.name);
  for (const n of g.node ?? []) for (const o of n.output ?? []) if (o) defined.add(o);
  return defined;
}

/** Names a subgraph (and the subgraphs nested in it) take from enclosing scopes. */
export function outerReferences(g: GraphProto, into: Set<string> = new Set()): Set<string> {
  const defined = definedIn(g);
  const use = (name: string): void => {
    if (name && !defined.has(name)) into.add(name);
  };
  for (const n of g.node ?? []) {
    for (const i of n.input ?? []) use(i);
    for (const sub of subgraphsOf(n)) for (const name of outerReferences(sub)) use(name);
  }
  for (const vi of g.output ?? []) if (vi.name) use(vi.name);
  return into;
}

/** Outer references of all subgraphs of one node: its implicit inputs. */
export function implicitInputs(node: NodeProto): Set<string> {
  const refs = new Set<string>();
  for (const g of subgraphsOf(node)) outerReferences(g, refs);
  return refs;
}

/**
 * Renames uses of an enclosing-scope name inside a subgraph, stopping where the subgraph defines the name
 * itself (shadowing). Node input arrays are replaced, never written into (decoded ones may be shared).
 */
export function renameOuterReference(g: GraphProto, from: string, to: string): boolean {
  if (definedIn(g).has(from)) return false;
  let changed = false;
  for (const n of g.node ?? []) {
    if (n.input?.includes(from)) {
      n.input = n.input.map((i) => (i === from ? to : i));
      changed = true;
    }
    for (const sub of subgraphsOf(n)) changed = renameOuterReference(sub, from, to) || changed;
  }
  for (const vi of g.output ?? []) {
    if (vi.name === from) {
      vi.name = to;
      changed = true;
    }
  }
  return changed;
}

/** Every tensor name used anywhere in a subgraph, nested ones included. */
export function collectNames(g: GraphProto, into: Set<string>): void {
  for (const vi of g.input ?? []) if (vi.name) into.add(vi.name);
  for (const vi of g.output ?? []) if (vi.name) into.add(vi.name);
  for (const vi of g.value_info ?? []) if (vi.name) into.add(vi.name);
  for (const t of g.initializer ?? []) if (t.name) into.add(t.name);
  for (const n of g.node ?? []) {
    for (const i of n.input ?? []) if (i) into.add(i);
    for (const o of n.output ?? []) if (o) into.add(o);
    for (const sub of subgraphsOf(n)) collectNames(sub, into);
  }
}
