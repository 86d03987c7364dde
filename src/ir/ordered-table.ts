/**
 * A name → value table that keeps insertion order, with O(1) get/set/delete and a rename that keeps the
 * entry's position (a Map cannot: re-inserting moves the key to the end). Deleted slots are tombstones,
 * compacted once they outnumber the live ones, so every operation is amortized O(1).
 */
export class OrderedTable<T> {
  #names: (string | undefined)[] = [];
  #values: (T | undefined)[] = [];
  #slotOf = new Map<string, number>();
  #dead = 0;

  get size(): number {
    return this.#slotOf.size;
  }

  has(name: string): boolean {
    return this.#slotOf.has(name);
  }

  get(name: string): T | undefined {
    const slot = this.#slotOf.get(name);
    return slot === undefined ? undefined : this.#values[slot];
  }

  /** Replaces in place when the name exists, else appends. */
  set(name: string, value: T): void {
    const slot = this.#slotOf.get(name);
    if (slot !== undefined) {
      this.#values[slot] = value;
      return;
    }
    this.#slotOf.set(name, this.#names.length);
    this.#names.push(name);
    this.#values.push(value);
  }

  delete(name: string): boolean {
    const slot = this.#slotOf.get(name);
    if (slot === undefined) return false;
    this.#slotOf.delete(name);
    this.#names[slot] = undefined;
    this.#values[slot] = undefined;
    this.#dead++;
    if (this.#dead > 16 && this.#dead > this.#slotOf.size) this.#compact();
    return true;
  }

  /** Moves the entry to a new key at the same position; the caller checks `to` is free. */
  rename(from: string, to: string): boolean {
    const slot = this.#slotOf.get(from);
    if (slot === undefined) return false;
    this.#slotOf.delete(from);
    this.#slotOf.set(to, slot);
    this.#names[slot] = to;
    return true;
  }

  *entries(): IterableIterator<[string, T]> {
    for (let i = 0; i < this.#names.length; i++) {
      const name = this.#names[i];
      if (name !== undefined) yield [name, this.#values[i] as T];
    }
  }

  *keys(): IterableIterator<string> {
    for (const name of this.#names) if (name !== undefined) yield name;
  }

  values(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.#names.length; i++) if (this.#names[i] !== undefined) out.push(this.#values[i] as T);
    return out;
  }

  #compact(): void {
    const names: (string | undefined)[] = [];
    const values: (T | undefined)[] = [];
    for (let i = 0; i < this.#names.length; i++) {
      const name = this.#names[i];
      if (name === undefined) continue;
      this.#slotOf.set(name, names.length);
      names.push(name);
      values.push(this.#values[i]);
    }
    this.#names = names;
    this.#values = values;
    this.#dead = 0;
  }
}
