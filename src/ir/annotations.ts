import { BrainsmithError } from '../errors.js';
import type { TensorAnnotation } from '../onnx/proto-types.js';
import { OrderedTable } from './ordered-table.js';

/** Keys FINN/QONNX store in graph.quantization_annotation (finn-qonnx reference §5). */
export const FINN_DATATYPE_KEY = 'finn_datatype';
export const TENSOR_LAYOUT_KEY = 'tensor_layout';
export const TENSOR_SPARSITY_KEY = 'tensor_sparsity';

/** Keys the ONNX spec defines whose values are names of other tensors, so a rename must follow them. */
const TENSOR_VALUED_KEYS: ReadonlySet<string> = new Set(['SCALE_TENSOR', 'ZERO_POINT_TENSOR']);

/**
 * The graph's quantization_annotation as tensor → key → value, in file order. Several entries for one tensor
 * in the file are merged (a later key wins). A tensor whose last key is removed loses its entry.
 */
export class AnnotationStore {
  #table = new OrderedTable<Map<string, string>>();
  /** Tensor named by a tensor-valued key → the annotated tensors that name it. */
  #refs = new Map<string, Set<string>>();

  static fromProto(list: readonly TensorAnnotation[] | undefined): AnnotationStore {
    const store = new AnnotationStore();
    for (const a of list ?? []) {
      const tensor = a.tensor_name ?? '';
      let keys = store.#table.get(tensor);
      if (!keys) {
        keys = new Map();
        store.#table.set(tensor, keys);
      }
      for (const kv of a.quant_parameter_tensor_names ?? []) store.#put(tensor, keys, kv.key ?? '', kv.value ?? '');
    }
    return store;
  }

  has(tensor: string): boolean {
    return this.#table.has(tensor);
  }

  get(tensor: string, key: string): string | undefined {
    return this.#table.get(tensor)?.get(key);
  }

  /** All keys of one tensor (a live view: do not hold it across mutations). */
  keysOf(tensor: string): ReadonlyMap<string, string> | undefined {
    return this.#table.get(tensor);
  }

  /** Sets or (value undefined) removes one key; returns whether anything changed. */
  set(tensor: string, key: string, value: string | undefined): boolean {
    let keys = this.#table.get(tensor);
    if (value === undefined) {
      if (!keys || !keys.has(key)) return false;
      this.#unref(tensor, key, keys.get(key)!);
      keys.delete(key);
      if (keys.size === 0) this.#table.delete(tensor);
      return true;
    }
    if (keys?.get(key) === value) return false;
    if (!keys) {
      keys = new Map();
      this.#table.set(tensor, keys);
    }
    this.#put(tensor, keys, key, value);
    return true;
  }

  /** Moves a tensor's annotations to its new name and updates tensor-valued keys that named it. */
  rename(from: string, to: string): void {
    const keys = this.#table.get(from);
    if (keys) {
      for (const [key, value] of keys) this.#unref(from, key, value);
      this.#table.rename(from, to);
      for (const [key, value] of keys) if (TENSOR_VALUED_KEYS.has(key)) this.#refsTo(value).add(to);
    }
    const referrers = this.#refs.get(from);
    if (!referrers) return;
    this.#refs.delete(from);
    const target = this.#refsTo(to);
    for (const annotated of referrers) {
      const m = this.#table.get(annotated)!;
      for (const [key, value] of m) if (value === from && TENSOR_VALUED_KEYS.has(key)) m.set(key, to);
      target.add(annotated);
    }
  }

  tensors(): IterableIterator<string> {
    return this.#table.keys();
  }

  toProto(): TensorAnnotation[] {
    const out: TensorAnnotation[] = [];
    for (const [tensor, keys] of this.#table.entries()) {
      out.push({
        tensor_name: tensor,
        quant_parameter_tensor_names: [...keys].map(([key, value]) => ({ key, value })),
      });
    }
    return out;
  }

  #put(tensor: string, keys: Map<string, string>, key: string, value: string): void {
    const old = keys.get(key);
    if (old !== undefined) this.#unref(tensor, key, old);
    keys.set(key, value);
    if (TENSOR_VALUED_KEYS.has(key)) this.#refsTo(value).add(tensor);
  }

  #unref(tensor: string, key: string, value: string): void {
    if (!TENSOR_VALUED_KEYS.has(key)) return;
    const s = this.#refs.get(value);
    if (!s) return;
    s.delete(tensor);
    if (s.size === 0) this.#refs.delete(value);
  }

  #refsTo(value: string): Set<string> {
    let s = this.#refs.get(value);
    if (!s) {
      s = new Set();
      this.#refs.set(value, s);
    }
    return s;
  }
}

/**
 * tensor_layout values are Python list literals as QONNX writes them (`str(["N", "C"])` gives "['N', 'C']").
 */
export function parseTensorLayout(text: string, tensor: string): string[] {
  const body = /^\s*\[(.*)\]\s*$/s.exec(text)?.[1];
  const bad = (): BrainsmithError =>
    new BrainsmithError('E_ANNOTATION_INVALID', `tensor '${tensor}': tensor_layout ${JSON.stringify(text)} is not a list of quoted names`);
  if (body === undefined) throw bad();
  if (body.trim() === '') return [];
  return body.split(',').map((item) => {
    const m = /^\s*(['"])([^'"]*)\1\s*$/.exec(item);
    if (!m) throw bad();
    return m[2]!;
  });
}

export function formatTensorLayout(layout: readonly string[]): string {
  return `[${layout.map((d) => `'${d}'`).join(', ')}]`;
}
