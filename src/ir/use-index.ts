import type { Node } from './node.js';

/** One use of a tensor: `node.inputs[index]`. Mul(x, x) gives two uses of x. */
export interface Consumer {
  node: Node;
  index: number;
}

/**
 * Who produces and who reads each tensor, with O(1) updates. The Graph calls the update methods whenever a
 * node's inputs or outputs change; '' (an omitted optional input or output) is never passed in.
 */
export class UseIndex {
  /** Tensor → its producer; further producers (an invalid graph) wait in #extraProducers, in order. */
  #producers = new Map<string, Node>();
  #extraProducers = new Map<string, Node[]>();
  /** Tensor → nodes reading it; the input slots are found on the node (inputs are few). */
  #consumers = new Map<string, Set<Node>>();

  producer(t: string): Node | undefined {
    return this.#producers.get(t);
  }

  producers(t: string): Node[] {
    const first = this.#producers.get(t);
    if (!first) return [];
    const extra = this.#extraProducers.get(t);
    return extra ? [first, ...extra] : [first];
  }

  consumers(t: string): Consumer[] {
    const nodes = this.#consumers.get(t);
    if (!nodes) return [];
    const out: Consumer[] = [];
    for (const node of nodes) {
      const ins = node.inputs;
      for (let i = 0; i < ins.length; i++) if (ins[i] === t) out.push({ node, index: i });
    }
    return out;
  }

  consumerNodes(t: string): ReadonlySet<Node> | undefined {
    return this.#consumers.get(t);
  }

  isProduced(t: string): boolean {
    return this.#producers.has(t);
  }

  isConsumed(t: string): boolean {
    return this.#consumers.has(t);
  }

  producedTensors(): IterableIterator<string> {
    return this.#producers.keys();
  }

  consumedTensors(): IterableIterator<string> {
    return this.#consumers.keys();
  }

  /** Records one more output slot of `node` holding t. */
  addProducer(t: string, node: Node): void {
    if (!this.#producers.has(t)) {
      this.#producers.set(t, node);
      return;
    }
    const extra = this.#extraProducers.get(t);
    if (extra) extra.push(node);
    else this.#extraProducers.set(t, [node]);
  }

  /** Forgets one output slot of `node` holding t. */
  removeProducer(t: string, node: Node): void {
    const extra = this.#extraProducers.get(t);
    if (this.#producers.get(t) === node) {
      if (extra) {
        this.#producers.set(t, extra.shift()!);
        if (extra.length === 0) this.#extraProducers.delete(t);
      } else {
        this.#producers.delete(t);
      }
    } else if (extra) {
      const i = extra.indexOf(node);
      if (i >= 0) extra.splice(i, 1);
      if (extra.length === 0) this.#extraProducers.delete(t);
    }
  }

  addConsumer(t: string, node: Node): void {
    const set = this.#consumers.get(t);
    if (set) set.add(node);
    else this.#consumers.set(t, new Set([node]));
  }

  /** Forgets node as a reader of t, whatever its slots say. */
  removeConsumer(t: string, node: Node): void {
    const set = this.#consumers.get(t);
    if (!set) return;
    set.delete(node);
    if (set.size === 0) this.#consumers.delete(t);
  }

  /** After one input slot stopped reading t: the node stays a reader if another slot still reads it. */
  releaseInputSlot(t: string, node: Node): void {
    if (!node.inputs.includes(t)) this.removeConsumer(t, node);
  }

  /** Indexes every slot of a node; returns the number of slots. */
  addNode(node: Node): number {
    for (const t of node.outputs) if (t) this.addProducer(t, node);
    for (const t of node.inputs) if (t) this.addConsumer(t, node);
    return node.outputs.length + node.inputs.length;
  }

  removeNode(node: Node): number {
    for (const t of node.outputs) if (t) this.removeProducer(t, node);
    for (const t of node.inputs) if (t) this.removeConsumer(t, node);
    return node.outputs.length + node.inputs.length;
  }

  /** Moves the entries of `from` to `to`; the caller renames the node slots themselves. */
  rename(from: string, to: string): void {
    moveKey(this.#producers, from, to);
    moveKey(this.#extraProducers, from, to);
    moveKey(this.#consumers, from, to);
  }
}

export function moveKey<V>(m: Map<string, V>, from: string, to: string): void {
  const v = m.get(from);
  if (v === undefined) return;
  m.delete(from);
  m.set(to, v);
}
