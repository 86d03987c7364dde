/**
 * Output comparison for verification: integer outputs must match exactly, float outputs within
 * |a - b| <= atol + rtol * |b| (numpy's allclose, b the reference), optionally allowing a small fraction
 * of elements outside (threshold ties after float rounding). Outputs are matched by position. A top-1
 * label output compared with reference scores (a classifier head turned into TopK/LabelSelect) is
 * compared by class: the label must name a class whose reference score ties the row's maximum.
 */
import { elemTypeInfo, elemTypeName } from '../tensor/element-type.js';
import { numElements, tensorToNumbers, type TensorValue } from '../tensor/tensor-value.js';

export interface Tolerance {
  rtol: number;
  atol: number;
  maxMismatchFraction: number;
}

export const DEFAULT_TOLERANCE: Tolerance = { rtol: 1e-3, atol: 1e-5, maxMismatchFraction: 0 };

export interface OutputComparison {
  /** Output name in the reference model. */
  name: string;
  ok: boolean;
  exact: boolean;
  elements: number;
  mismatches: number;
  maxAbsDiff: number;
  firstMismatch?: { index: number; expected: number; actual: number };
  /** Why the output could not be compared element by element (shape or count). */
  problem?: string;
  /** 'labels': top-1 labels checked against reference scores (expected = the reference's argmax). */
  mode?: 'labels';
}

export interface Comparison {
  ok: boolean;
  outputs: OutputComparison[];
}

/** True when `labels` holds one integer label per row of `scores` (float, more than one class). */
export function isTopLabelsOf(labels: TensorValue, scores: TensorValue): boolean {
  const classes = scores.dims.at(-1) ?? 1;
  return elemTypeInfo(labels.elemType).isInteger && !elemTypeInfo(scores.elemType).isInteger && classes > 1
    && numElements(labels.dims) * classes === numElements(scores.dims);
}

/** Each label must pick a class scoring within tolerance of its row's maximum (ties count as agreement). */
function compareLabels(name: string, scores: TensorValue, labels: TensorValue, tol: Tolerance): OutputComparison {
  const s = tensorToNumbers(scores);
  const l = tensorToNumbers(labels);
  const classes = scores.dims.at(-1)!;
  let mismatches = 0;
  let maxAbsDiff = 0;
  let first: OutputComparison['firstMismatch'];
  for (let r = 0; r < l.length; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (s[r * classes + c]! > s[r * classes + best]!) best = c;
    const max = s[r * classes + best]!;
    const label = l[r]!;
    const inRange = Number.isInteger(label) && label >= 0 && label < classes;
    const d = inRange ? max - s[r * classes + label]! : Infinity;
    maxAbsDiff = Math.max(maxAbsDiff, d);
    if (!(d <= tol.atol + tol.rtol * Math.abs(max))) {
      mismatches++;
      first ??= { index: r, expected: best, actual: label };
    }
  }
  const allowed = Math.floor(tol.maxMismatchFraction * l.length);
  return { name, ok: mismatches <= allowed, exact: false, elements: l.length, mismatches, maxAbsDiff, firstMismatch: first, mode: 'labels' };
}

function compareOne(name: string, ref: TensorValue, got: TensorValue | undefined, tol: Tolerance): OutputComparison {
  const base = { name, exact: false, elements: numElements(ref.dims), mismatches: 0, maxAbsDiff: 0 };
  if (!got) return { ...base, ok: false, problem: 'output missing' };
  if (isTopLabelsOf(got, ref)) return compareLabels(name, ref, got, tol);
  const n = numElements(ref.dims);
  if (numElements(got.dims) !== n) return { ...base, ok: false, problem: `shape [${got.dims.join(', ')}] instead of [${ref.dims.join(', ')}]` };
  const refInt = elemTypeInfo(ref.elemType).isInteger;
  const gotInt = elemTypeInfo(got.elemType).isInteger;
  const exact = refInt && gotInt;
  const a = tensorToNumbers(got);
  const b = tensorToNumbers(ref);
  let mismatches = 0;
  let maxAbsDiff = 0;
  let first: OutputComparison['firstMismatch'];
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    const d = Math.abs(x - y);
    const bad = exact ? x !== y : !(d <= tol.atol + tol.rtol * Math.abs(y)) && !(Number.isNaN(x) && Number.isNaN(y));
    if (d > maxAbsDiff || Number.isNaN(d)) maxAbsDiff = Number.isNaN(d) ? Infinity : d;
    if (bad) {
      mismatches++;
      first ??= { index: i, expected: y, actual: x };
    }
  }
  const allowed = exact ? 0 : Math.floor(tol.maxMismatchFraction * n);
  const typeNote = refInt !== gotInt ? `element type ${elemTypeName(got.elemType)} instead of ${elemTypeName(ref.elemType)}` : undefined;
  return { name, ok: mismatches <= allowed, exact, elements: n, mismatches, maxAbsDiff, firstMismatch: first, ...(typeNote ? { problem: typeNote } : {}) };
}

/** Compares `got` with the reference outputs `ref`, both in graph-output order. */
export function compareOutputs(ref: [string, TensorValue][], got: (TensorValue | undefined)[], tol: Tolerance): Comparison {
  const outputs = ref.map(([name, t], i) => compareOne(name, t, got[i], tol));
  if (got.length !== ref.length) {
    outputs.push({ name: '(outputs)', ok: false, exact: false, elements: 0, mismatches: 0, maxAbsDiff: 0, problem: `${got.length} outputs instead of ${ref.length}` });
  }
  return { ok: outputs.every((o) => o.ok), outputs };
}

/** One line for messages: `output 'y': 3 of 40 elements differ (max |diff| 0.5; first at 7: 1 vs 2)`. */
export function describeMismatch(c: Comparison): string {
  const bad = c.outputs.find((o) => !o.ok);
  if (!bad) return 'outputs match';
  if (bad.problem && bad.mismatches === 0) return `output '${bad.name}': ${bad.problem}`;
  const f = bad.firstMismatch;
  if (bad.mode === 'labels') {
    return `output '${bad.name}': ${bad.mismatches} of ${bad.elements} labels name a class that does not have the reference's top score${f ? ` (first at row ${f.index}: reference top class ${f.expected}, got ${f.actual}; score gap ${bad.maxAbsDiff})` : ''}`;
  }
  return `output '${bad.name}': ${bad.mismatches} of ${bad.elements} elements differ (max |diff| ${bad.maxAbsDiff}${f ? `; first at index ${f.index}: expected ${f.expected}, got ${f.actual}` : ''})`;
}
